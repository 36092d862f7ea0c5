"""Building the passages of a page or a document (search.models.Passage).

A page's passages come from what its type already declares: the values of its SearchFields (title
apart) make the page passage, its `chapter_list()` (podcasts, films) gives one passage per chapter and
the subtitle files of its `video` (films) one per cue, each linking to its timestamp. A PDF document's
text is read with poppler's `pdftotext -layout`-free default (it keeps Persian word order), one
passage per page; so are the plans' generated PDFs (`index_deliverables`). Extraction runs in the
background (`search.tasks`), never in an upload's request. Content types are found through Wagtail's
registry (the page's specific class and its attributes) or the app registry, never imported.
"""

import logging
import re
import shutil
import subprocess
import tempfile

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import translation
from django.utils.encoding import force_str
from persiantools.jdatetime import JalaliDate
from wagtail.models import Page
from wagtail.search.index import SearchField

from search.models import Passage

log = logging.getLogger(__name__)
PDFTOTEXT_TIMEOUT = 60
MAX_PASSAGE_CHARS = 200_000
_PERSIAN = re.compile("[\u0600-\u06ff]")


def _flatten(value):
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "\n".join(_flatten(item) for item in value)
    if isinstance(value, dict):
        return "\n".join(_flatten(item) for item in value.values())
    return force_str(value)


def page_text(page):
    """The original text of every SearchField of the page but its title, one field per paragraph."""
    texts = []
    for field in page.get_search_fields():
        if isinstance(field, SearchField) and field.field_name != "title":
            text = _flatten(field.get_value(page)).strip()
            if text:
                texts.append(text)
    return "\n".join(dict.fromkeys(texts))[:MAX_PASSAGE_CHARS]


def _plan_number(page):
    for ancestor in Page.objects.ancestor_of(page, inclusive=True).filter(depth__gt=2).specific():
        number = getattr(ancestor, "plan_number", None)
        if number:
            return number
    return None


def _years(moment):
    if moment is None:
        return None, None
    day = moment.date()
    return day.year, JalaliDate(day).year


def _label(seconds):
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60:02d}:{rest % 60:02d}"


def _cues(page):
    """(start seconds, text) of the subtitle cues of the page's video in the page's language."""
    from media_pipeline.subtitles import parse

    video = getattr(page, "video", None)
    subtitles = getattr(video, "subtitles", None)
    if subtitles is None:
        return []
    cues = []
    for track in subtitles.filter(language=page.locale.language_code):
        try:
            with track.file.open("rb") as handle:
                text = handle.read().decode("utf-8-sig", errors="replace")
            cues += [(start, " ".join(lines)) for start, _end, lines in parse(text)]
        except Exception:  # a missing or broken file must not stop publishing
            log.warning("subtitles of %s not indexed", page.pk, exc_info=True)
    return cues


def page_passages(page):
    """The passages of a page (not saved), its text in the page's language: a choice's label («انجام‌شده»,
    "done") is searched as written on the page, not in the language of whoever published it."""
    page = page.specific
    with translation.override(page.locale.language_code):
        return _page_passages(page)


def _page_passages(page):
    year, jalali_year = _years(page.first_published_at or page.last_published_at)
    common = {
        "page_id": page.pk,
        "language": page.locale.language_code,
        "content_type": ContentType.objects.get_for_model(type(page)),
        "plan": _plan_number(page),
        "year": year,
        "jalali_year": jalali_year,
        "title": page.title[:255],
    }
    passages = [Passage(kind=Passage.Kind.PAGE, text=page_text(page), **common)]
    chapter_list = getattr(page, "chapter_list", None)
    for chapter in chapter_list() if callable(chapter_list) else []:
        start = int(chapter["start"])
        passages.append(
            Passage(
                kind=Passage.Kind.CHAPTER,
                text=chapter["title"],
                anchor=f"#t={start}",
                label=_label(start),
                **common,
            )
        )
    for start, text in _cues(page):
        passages.append(
            Passage(
                kind=Passage.Kind.CUE, text=text, anchor=f"#t={int(start)}", label=_label(start), **common
            )
        )
    return passages


def index_page(page):
    """Replace the passages of a page (on publish); its search index entries follow. Its deliverables'
    passages are kept: they follow the deliverables (`index_deliverables`)."""
    passages = page_passages(page)
    own = Passage.objects.filter(page_id=page.pk).exclude(kind=Passage.Kind.DELIVERABLE)
    with transaction.atomic():
        own.delete()
        Passage.objects.bulk_create(passages)
    _index_entries(own)


def pdf_pages(path):
    """The text of each page of a PDF file, with poppler's pdftotext (pages split at form feeds)."""
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        timeout=PDFTOTEXT_TIMEOUT,
        check=False,
    )
    if result.returncode != 0:
        return []
    return result.stdout.decode("utf-8", errors="replace").split("\f")


def _stored_pdf_pages(file):
    """The text of each page of a PDF in storage (local or S3): copied to a temporary file for poppler."""
    try:
        with file.open("rb") as handle, tempfile.NamedTemporaryFile(suffix=".pdf") as copy:
            shutil.copyfileobj(handle, copy, 1024 * 1024)
            copy.flush()
            return [
                (number, text.strip()) for number, text in enumerate(pdf_pages(copy.name), 1) if text.strip()
            ]
    except (OSError, subprocess.SubprocessError):
        log.warning("text of %s not extracted", file.name, exc_info=True)
        return []


def document_is_current(document):
    """Whether the document's passages were read from its current file (then only its title may have
    changed, and updating it needs no extraction)."""
    return Passage.objects.filter(document_id=document.pk, source=document.file.name).exists()


def retitle_document(document):
    """Give the passages of a document its current title (a save that kept the file)."""
    Passage.objects.filter(document_id=document.pk).update(title=document.title[:255])
    _index_entries(Passage.objects.filter(document_id=document.pk))


def index_document(document):
    """Replace the passages of a document from its file (PDFs: one per page, read by pdftotext; other
    files: the title). Slow for a long PDF: `search.tasks.index_document_text` runs it in the background."""
    name = document.file.name
    pages = _stored_pdf_pages(document.file) if name.lower().endswith(".pdf") else []
    year, jalali_year = _years(document.created_at)
    title = document.title[:255]
    common = {
        "document_id": document.pk,
        "content_type": ContentType.objects.get_for_model(type(document)),
        "year": year,
        "jalali_year": jalali_year,
        "title": title,
        "source": name,
    }
    language = "fa" if _PERSIAN.search(title + " ".join(text for _n, text in pages[:3])) else "en"
    passages = [
        Passage(
            kind=Passage.Kind.DOCUMENT,
            language=language,
            text=text[:MAX_PASSAGE_CHARS],
            anchor=f"#page={number}",
            label=str(number),
            **common,
        )
        for number, text in pages
    ] or [Passage(kind=Passage.Kind.DOCUMENT, language=language, text="", **common)]
    with transaction.atomic():
        Passage.objects.filter(document_id=document.pk).delete()
        Passage.objects.bulk_create(passages)
    _index_entries(Passage.objects.filter(document_id=document.pk))


# The generated PDFs of a plan whose text is searched (plans.models.deliverables.FILE_FIELDS).
DELIVERABLE_PDFS = ("report_pdf", "summary_pdf", "guide_pdf")


def index_deliverables(record):
    """Replace the passages of a plan's generated PDFs (report, executive summary, guide): one per PDF
    page, on the plan page (so they are searched only while `cms.visibility` shows the plan), linking
    to the file at `#page=N`. Nothing is indexed for a plan the public may not see. Read-only: the
    deliverables' record and files are never changed."""
    from cms import visibility

    plan = Page.objects.filter(pk=record.page_id).specific().first()
    mine = Passage.objects.filter(page_id=record.page_id, kind=Passage.Kind.DELIVERABLE)
    files = [getattr(record, field) for field in DELIVERABLE_PDFS if getattr(record, field).name]
    if plan is None or not files or not visibility.is_public(plan):
        mine.delete()
        return 0
    if set(mine.values_list("source", flat=True).distinct()) == {file.name for file in files}:
        return mine.count()  # these files were read already (a deliverables' record saved again)
    year, jalali_year = _years(record.built_at)
    common = {
        "page_id": plan.pk,
        "kind": Passage.Kind.DELIVERABLE,
        "language": plan.locale.language_code,
        "content_type": ContentType.objects.get_for_model(type(record)),
        "plan": _plan_number(plan),
        "year": year,
        "jalali_year": jalali_year,
    }
    passages = []
    with translation.override(plan.locale.language_code):
        for file in files:
            label = record._meta.get_field(file.field.name).verbose_name
            title = f"{plan.title} — {label}"[:255]
            for number, text in _stored_pdf_pages(file):
                passages.append(
                    Passage(
                        title=title,
                        text=text[:MAX_PASSAGE_CHARS],
                        anchor=f"#page={number}",
                        label=str(number),
                        source=file.name,
                        **common,
                    )
                )
    with transaction.atomic():
        mine.delete()
        Passage.objects.bulk_create(passages)
    _index_entries(Passage.objects.filter(page_id=plan.pk, kind=Passage.Kind.DELIVERABLE))
    return len(passages)


def _index_entries(queryset):
    """bulk_create sends no post_save: index the passages explicitly."""
    from wagtail.search.backends import get_search_backend

    objects = list(queryset)
    if objects:
        get_search_backend().get_index_for_model(Passage).add_items(Passage, objects)


def rebuild():
    """Passages of every live page and every document (the `index_passages` command)."""
    from wagtail.documents import get_document_model

    count = 0
    for page in Page.objects.live().specific().iterator():
        index_page(page)
        count += 1
    for document in get_document_model().objects.iterator():
        index_document(document)
        count += 1
    for record in apps.get_model("plans", "PlanDeliverables").objects.filter(status="done").iterator():
        index_deliverables(record)
        count += 1
    return count
