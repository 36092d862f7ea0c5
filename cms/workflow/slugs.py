"""English addresses for translated pages.

The slug is synchronized from the Persian source (`BasePage.translatable_fields`), so without this an
English page's address is the Persian slug, percent-encoded in every link. Here:

- a page translated into a Latin-script language gets an ASCII slug when its translation is created:
  from its translated title if there is one, else a Latin transliteration of the Persian title
  (`suggested_slug`); later syncs keep the slug the translator chose (`cms.workflow.localize`);
- the translator sets or confirms it in the translation editor when submitting for review
  (`cms.workflow.policy.submit_translation_for_review`, `translation_editor.js` asks `slug_info`);
- the PO download is named after the page in English (`download_pofile`).
"""

import re
import unicodedata

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Page
from wagtail_localize.models import Translation
from wagtail_localize.views.edit_translation import user_can_edit_instance

from cms.i18n import localize_digits

# Persian and Arabic letters to a Latin spelling a reader of English can say (vowels are not written in
# Persian, so this is a suggestion for the translator, never the last word).
LETTERS = {
    "ا": "a", "آ": "a", "أ": "a", "إ": "e", "ب": "b", "پ": "p", "ت": "t", "ث": "s", "ج": "j", "چ": "ch",
    "ح": "h", "خ": "kh", "د": "d", "ذ": "z", "ر": "r", "ز": "z", "ژ": "zh", "س": "s", "ش": "sh", "ص": "s",
    "ض": "z", "ط": "t", "ظ": "z", "ع": "", "غ": "gh", "ف": "f", "ق": "gh", "ک": "k", "ك": "k", "گ": "g",
    "ل": "l", "م": "m", "ن": "n", "و": "v", "ه": "h", "ة": "h", "ۀ": "eh", "ی": "i", "ي": "i", "ى": "a",
    "ئ": "", "ء": "", "ؤ": "o", "\u200c": "", "\u064b": "", "\u064e": "a", "\u064f": "o", "\u0650": "e",
    "\u0651": "", "\u0652": "",
}  # fmt: skip
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LATIN_LANGUAGES = ("en",)


def transliterate(text):
    """A Latin spelling of Persian text (Persian and Arabic digits become 0–9)."""
    text = unicodedata.normalize("NFKC", text or "")
    out = []
    for index, char in enumerate(text):
        if "۰" <= char <= "۹" or "٠" <= char <= "٩":
            out.append(str(unicodedata.digit(char)))
        elif char == "و" and index > 0 and text[index - 1] in LETTERS and text[index - 1] not in "اآو":
            out.append("o")  # after a consonant, و is most often the vowel o/u (نو → no)
        else:
            out.append(LETTERS.get(char, char))
    return "".join(out)


def is_latin_locale(locale):
    return locale.language_code.split("-")[0] in LATIN_LANGUAGES


def is_english_slug(slug):
    return bool(slug) and bool(SLUG_RE.match(slug))


def suggested_slug(page, source=None):
    """An ASCII slug for `page`: its own title if it is in Latin letters, else the source's title
    transliterated, else "page-<id>"."""
    for text in (page.title, transliterate(source.title if source else "")):
        candidate = slugify(text)[:80].strip("-")
        if candidate:
            return candidate
    return f"page-{page.pk}"


def available_slug(page, slug):
    """`slug`, or `slug-2`, `slug-3`… when a sibling already has it."""
    parent = page.get_parent()
    candidate, number = slug, 1
    while not Page._slug_is_available(candidate, parent, page):
        number += 1
        candidate = f"{slug}-{number}"
    return candidate


def slug_error(page, slug):
    """Why `slug` cannot be `page`'s English address (None if it can)."""
    if not is_english_slug(slug):
        return _(
            "The English address may only use lowercase Latin letters, digits and hyphens "
            "(like plan-12-pensions)."
        )
    if not Page._slug_is_available(slug, page.get_parent(), page):
        return _("Another page here already has the address “%(slug)s”.") % {"slug": slug}
    return None


def apply_slug(page, slug):
    """Give `page` the slug in its latest revision (what the workflow publishes) and, for a page that
    is not live, in its row too (a live page keeps its public address until the new version goes live)."""
    revision = page.get_latest_revision()
    if revision is not None and revision.content.get("slug") != slug:
        revision.content["slug"] = slug
        revision.save(update_fields=["content"])
    if not page.live and page.slug != slug:
        row = Page.objects.get(pk=page.pk).specific
        row.slug = slug
        row.save(clean=False)
    page.slug = slug


def give_english_slug(translation_page, previous_slug=None):
    """After wagtail-localize created or synced a translation: keep the English slug it had, or
    suggest one when the page would carry the Persian source's slug."""
    if not isinstance(translation_page, Page) or not is_latin_locale(translation_page.locale):
        return
    if is_english_slug(previous_slug):
        wanted = previous_slug
    elif is_english_slug(translation_page.slug) and not translation_page.live:
        return
    else:
        source = Page.objects.filter(translation_key=translation_page.translation_key).exclude(
            locale_id=translation_page.locale_id
        )
        wanted = available_slug(translation_page, suggested_slug(translation_page, source.first()))
    latest = translation_page.get_latest_revision()
    if translation_page.slug != wanted or (latest and latest.content.get("slug") != wanted):
        apply_slug(translation_page, wanted)


def english_name(translation):
    """A file name for the translation's PO file: the page's English address or title."""
    target = translation.get_target_instance()
    for text in (getattr(target, "slug", ""), str(target), transliterate(translation.source.object_repr)):
        name = slugify(text)
        if name:
            return name
    return f"translation-{translation.pk}"


def download_pofile(request, translation_id):
    """wagtail-localize's PO download (same URL, matched first), named after the page in English."""
    translation = get_object_or_404(Translation, id=translation_id)
    if not user_can_edit_instance(request.user, translation.get_target_instance()):
        raise PermissionDenied
    response = HttpResponse(str(translation.export_po()), content_type="text/x-gettext-translation")
    name = f"{english_name(translation)}-{translation.target_locale.language_code}.po"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def slug_info(request, translation_id):
    """For the translation editor: the page's English address, a suggestion, and its segment progress."""
    from cms.workflow.translations import progress_by_source

    translation = get_object_or_404(Translation, id=translation_id)
    target = translation.get_target_instance()
    if not user_can_edit_instance(request.user, target):
        raise PermissionDenied
    data = {"latin": False}
    if isinstance(target, Page) and is_latin_locale(target.locale):
        latest = target.get_latest_revision()
        current = (latest.content.get("slug") if latest else None) or target.slug
        source = translation.source.get_source_instance()
        data = {
            "latin": True,
            "slug": current if is_english_slug(current) else "",
            "suggestion": available_slug(target, suggested_slug(target, source)),
            "transliteration": slugify(transliterate(source.title)),
        }
    total, done = progress_by_source([translation.source], translation.target_locale).get(
        translation.source_id, (0, 0)
    )
    template = _("%(done)s of %(total)s segments translated")
    data["progress"] = {
        "total": total,
        "done": done,
        "text": template % {"done": localize_digits(done), "total": localize_digits(total)},
        "template": template,  # the editor keeps the count live
    }
    return JsonResponse(data)
