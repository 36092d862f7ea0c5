"""Translation views: the translation status of every source page, and a guarded PO import.

The status view lists each page of the source language with, per other locale, its state: missing,
in progress (with the share of translated segments), out of date (the source changed after its
strings were last extracted) or live — in a constant number of queries whatever the number of pages.

The PO import checks what wagtail-localize leaves to chance before handing the file over: a file is
present and parses, it was exported for this very translation, every entry belongs to the source, and
no translation carries markup the source string does not have (injected HTML or script). A refused
file changes nothing and says why.
"""

import re
import tempfile
from collections import Counter, defaultdict

import polib
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, IntegerField, OuterRef, Sum
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.reports import ReportView
from wagtail.log_actions import log
from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource
from wagtail_localize.views import edit_translation

from cms.page_access import editable_page_ids
from cms.workflow import access

MAX_PO_BYTES = 5 * 1024 * 1024
TAG = re.compile(r"<[^>]*>?")

MISSING, IN_PROGRESS, OUT_OF_DATE, LIVE = "missing", "in_progress", "out_of_date", "live"


def _refuse(request, message):
    messages.error(request, message)
    return redirect(get_valid_next_url_from_request(request) or reverse("wagtailadmin_home"))


def markup_problems(po):
    """Entries whose translation has tags the source string does not have, as 1-based numbers."""
    return [
        number
        for number, entry in enumerate(po, start=1)
        if Counter(TAG.findall(entry.msgstr)) - Counter(TAG.findall(entry.msgid))
    ]


def entries_outside_source(po, translation):
    """Entries whose (context, string) pair is not a segment of the translation's source."""
    known = set(
        StringSegment.objects.filter(source=translation.source).values_list("context__path", "string__data")
    )
    return [number for number, entry in enumerate(po, start=1) if (entry.msgctxt, entry.msgid) not in known]


def upload_pofile(request, translation_id):
    """wagtail-localize's PO import, behind the checks above."""
    translation = get_object_or_404(Translation, id=translation_id)
    if not edit_translation.user_can_edit_instance(request.user, translation.get_target_instance()):
        raise PermissionDenied
    upload = request.FILES.get("file")
    if upload is None or request.method != "POST":
        return _refuse(request, _("Choose a PO file to import."))
    if upload.size > MAX_PO_BYTES:
        return _refuse(request, _("This PO file is too large (at most 5 MB)."))
    content = upload.read()
    with tempfile.NamedTemporaryFile(suffix=".po") as file:  # polib reads a path, never trusted content
        file.write(content)
        file.flush()
        try:
            po = polib.pofile(file.name)
        except (OSError, UnicodeDecodeError, ValueError):
            po = None
    if po is None or (not po.metadata and not len(po)):  # polib reads most garbage as an empty file
        return _refuse(request, _("This is not a valid PO file; nothing was imported."))
    if po.metadata.get("X-WagtailLocalize-TranslationID") != str(translation.uuid):
        return _refuse(
            request,
            _(
                "This PO file was exported for another page or language; nothing was "
                "imported. Export the PO file of this translation and fill that one."
            ),
        )
    outside = entries_outside_source(po, translation)
    if outside:
        return _refuse(
            request,
            ngettext(
                "Entry %(entries)s does not match the source text; nothing was imported.",
                "Entries %(entries)s do not match the source text; nothing was imported.",
                len(outside),
            )
            % {"entries": ", ".join(map(str, outside[:10]))},
        )
    unsafe = markup_problems(po)
    if unsafe:
        return _refuse(
            request,
            ngettext(
                "The translation of entry %(entries)s contains HTML that is not in the source; nothing was "
                "imported.",
                "The translations of entries %(entries)s contain HTML that is not in the source; nothing was "
                "imported.",
                len(unsafe),
            )
            % {"entries": ", ".join(map(str, unsafe[:10]))},
        )
    upload.seek(0)
    response = edit_translation.upload_pofile(request, translation_id)
    log(
        instance=translation.get_target_instance(),
        action="revayat.translation_import",
        user=request.user,
        data={"translation_id": translation.pk, "entries": len(po), "file": upload.name},
    )
    return response


# Translation status --------------------------------------------------------------------------------
def progress_by_source(sources, locale):
    """{source id: (total segments, translated segments)} for translations into `locale` (one query)."""
    translated = Exists(
        StringTranslation.objects.filter(
            translation_of_id=OuterRef("string_id"),
            context_id=OuterRef("context_id"),
            locale=locale,
            has_error=False,
        )
    )
    rows = (
        StringSegment.objects.filter(source__in=sources)
        .values("source_id")
        .annotate(total=Count("pk"), done=Sum(Cast(translated, IntegerField())))
    )
    return {row["source_id"]: (row["total"], row["done"] or 0) for row in rows}


def translation_progress(page):
    """The share (0–100, rounded down: 100 only when complete) of its source's text that the translated
    `page` has translated, or None for a page that is not a synced translation."""
    translation = (
        Translation.objects.filter(
            source__object_id=page.translation_key,
            target_locale_id=page.locale_id,
            enabled=True,
        )
        .select_related("source")
        .first()
    )
    if translation is None:
        return None
    total, done = progress_by_source([translation.source], page.locale).get(translation.source_id, (0, 0))
    return 100 if total == 0 else 100 * done // total


def translation_status(source_locale, target_locales, pages):
    """Rows of {page, cells: [{locale, state, percent, page, translation}]} for the source pages (a list)."""
    keys = [page.translation_key for page in pages]
    targets = {
        (page.translation_key, page.locale_id): page
        for page in Page.objects.filter(translation_key__in=keys, locale__in=target_locales)
    }
    sources = {
        source.object_id: source
        for source in TranslationSource.objects.filter(object_id__in=keys, locale=source_locale)
    }
    translations = {
        (translation.source_id, translation.target_locale_id): translation
        for translation in Translation.objects.filter(source__in=sources.values(), enabled=True)
    }
    progress = {locale.pk: progress_by_source(sources.values(), locale) for locale in target_locales}
    rows = []
    for page in pages:
        source = sources.get(page.translation_key)
        cells = []
        for locale in target_locales:
            target = targets.get((page.translation_key, locale.pk))
            translation = translations.get((source.pk, locale.pk)) if source else None
            total, done = progress[locale.pk].get(source.pk, (0, 0)) if source else (0, 0)
            percent = 100 if total == 0 else round(100 * done / total)
            if target is None:
                state = MISSING
            elif (
                source
                and page.latest_revision_created_at
                and page.latest_revision_created_at > source.last_updated_at
            ):
                state = OUT_OF_DATE
            elif target.live and not target.has_unpublished_changes and percent == 100:
                state = LIVE
            else:
                state = IN_PROGRESS
            cells.append(
                {
                    "locale": locale,
                    "state": state,
                    "percent": percent,
                    "page": target,
                    "translation": translation,
                    "source": source,
                }
            )
        rows.append({"page": page, "cells": cells})
    return rows


class TranslationStatusView(ReportView):
    """The admin's translation status: per source page, each locale's state with links to act on it.

    The totals count every page; the rows are one page of them."""

    page_title = gettext_lazy("Translation status")
    header_icon = "wagtail-localize-language"
    results_template_name = "cms/workflow/translation_status_results.html"
    index_url_name = "revayat_translation_status"
    index_results_url_name = "revayat_translation_status_results"
    default_ordering = "path"
    paginate_by = 100
    FORMATS = ()  # no spreadsheet export: the states are computed, not fields of a model

    @cached_property
    def source_locale(self):
        return get_object_or_404(Locale, language_code=settings.LANGUAGE_CODE)

    @cached_property
    def target_locales(self):
        return list(Locale.objects.exclude(pk=self.source_locale.pk).order_by("language_code"))

    def get_base_queryset(self):
        return access.visible_pages(self.request.user).filter(depth__gt=1, locale=self.source_locale)

    @cached_property
    def all_rows(self):
        return translation_status(self.source_locale, self.target_locales, list(self.object_list))

    def decorate_paginated_queryset(self, object_list):
        shown = {page.pk for page in object_list}
        return [row for row in self.all_rows if row["page"].pk in shown]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        summary = defaultdict(Counter)
        for row in self.all_rows:
            for cell in row["cells"]:
                summary[cell["locale"]][cell["state"]] += 1
        rows = self.decorate_paginated_queryset(context["object_list"])  # ReportView decorates after this
        shown = [(row["page"], *(cell["page"] for cell in row["cells"])) for row in rows]
        page_ids = {page.pk for pages in shown for page in pages if page is not None}
        return {
            **context,
            "source_locale": self.source_locale,
            "target_locales": self.target_locales,
            "editable": editable_page_ids(self.request.user, page_ids),
            "summary": [(locale, dict(counts)) for locale, counts in summary.items()],
            "can_translate": self.request.user.has_perm("wagtail_localize.submit_translation"),
        }
