"""The executive summary of a plan (at most 20 printed pages)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.search import index
from wagtail_localize.fields import TranslatableField

from cms.api.fields import BASE_PAGE_API_FIELDS, StreamValueField
from cms.blocks import report_blocks
from cms.forms import ReadinessPageForm
from cms.i18n import localize_digits
from cms.models import BasePage, ChecklistItem
from cms.panels import ReadinessChecklistPanel
from cms.sanitize import strip_tags


class ExecutiveSummaryPage(BasePage):
    """A short version of the plan report for decision makers.

    The limit is 20 printed pages. Until PDFs are generated, a word limit (REVAYAT_SUMMARY_WORD_LIMIT)
    stands in for the page count.
    """

    body = StreamField(report_blocks(), blank=True, verbose_name=_("body"))

    base_form_class = ReadinessPageForm
    content_panels = [
        ReadinessChecklistPanel(heading=_("Publication checklist")),
        *BasePage.content_panels,
        FieldPanel("body"),
    ]
    translatable_fields = [*BasePage.translatable_fields, TranslatableField("body")]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]
    api_fields = [*BASE_PAGE_API_FIELDS, APIField("body", serializer=StreamValueField())]
    parent_page_types = ["plans.PlanPage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("executive summary")
        verbose_name_plural = _("executive summaries")

    def word_count(self):
        """Words in the summary's text, counted as a reader would (whitespace-separated)."""
        text = " ".join(strip_tags(block.render()) for block in self.body)
        return len(text.split())

    def publish_checklist(self):
        words, limit = self.word_count(), settings.REVAYAT_SUMMARY_WORD_LIMIT
        return [
            ChecklistItem("body", _("The summary has content"), bool(self.body)),
            ChecklistItem(
                "word-limit",
                _("At most %(limit)s words, standing in for 20 printed pages (%(words)s now)")
                % {"limit": localize_digits(limit), "words": localize_digits(words)},
                words <= limit,
            ),
        ]
