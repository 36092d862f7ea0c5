"""What the portal's search finds: passages of original text, each with where it links to.

A public page gives one passage with all its searchable text (the SearchFields its type declares:
title, summary, every StreamField text, section fields, transcripts, KPI names …), one per chapter
and one per subtitle cue (linking to its timestamp); a document gives one passage per PDF page
(text from poppler's `pdftotext`, linking to that page). The text is stored as written, for
snippets; the index (search.backends) stores its search key. Passages of pages and documents that
stop being public stay in the table and are filtered out by `cms.visibility` at query time, so a
change of view restriction or collection never needs a rebuild to be safe.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model_string
from wagtail.search import index


class Passage(index.Indexed, models.Model):
    class Kind(models.TextChoices):
        PAGE = "page", _("page")
        CHAPTER = "chapter", _("chapter")
        CUE = "cue", _("subtitle")
        DOCUMENT = "document", _("document")
        DELIVERABLE = "deliverable", _("deliverable")

    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    document = models.ForeignKey(
        get_document_model_string(),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PAGE)
    language = models.CharField(max_length=8, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    plan = models.PositiveIntegerField(null=True, blank=True)  # the plan's number, for the facet
    year = models.PositiveSmallIntegerField(null=True, blank=True)  # Gregorian
    jalali_year = models.PositiveSmallIntegerField(null=True, blank=True)
    title = models.CharField(max_length=255)
    text = models.TextField(blank=True)
    anchor = models.CharField(max_length=64, blank=True)  # "#t=90" (cue, chapter), "#page=3" (PDF)
    label = models.CharField(max_length=64, blank=True)  # "01:30", or the PDF page number
    source = models.CharField(max_length=300, blank=True)  # the file a document passage was read from

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("text"),
        index.AutocompleteField("title"),
        index.FilterField("language"),
        index.FilterField("kind"),
        index.FilterField("plan"),
        index.FilterField("year"),
        index.FilterField("jalali_year"),
        index.FilterField("content_type"),
        index.FilterField("page"),
        index.FilterField("document"),
        index.FilterField("id"),
    ]

    class Meta:
        verbose_name = _("search passage")
        indexes = [
            models.Index(fields=["page", "kind"]),
            models.Index(fields=["document"]),
            # Every column the search statement reads of a hit (search.service): read from this index,
            # never from the row with its long text.
            models.Index(
                fields=[
                    "id",
                    "language",
                    "plan",
                    "content_type",
                    "year",
                    "jalali_year",
                    "kind",
                    "page",
                    "document",
                ],
                name="search_passage_hit",
            ),
        ]

    def __str__(self):
        return self.title
