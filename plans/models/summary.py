"""The executive summary of a plan: at most 20 printed pages, counted on its generated PDF."""

import hashlib

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.search import index
from wagtail_localize.fields import TranslatableField

from cms.api.fields import BASE_PAGE_API_FIELDS, StreamValueField
from cms.blocks import report_blocks
from cms.distribution.models import DistributedPageMixin
from cms.forms import ReadinessPageForm
from cms.i18n import localize_digits
from cms.models import BasePage
from cms.panels import ReadinessChecklistPanel
from cms.publication import ChecklistItem
from plans.deliverables import documents, pdf

MAX_PAGES = 20
PAGE_COUNT_TIMEOUT = 7 * 24 * 3600  # seconds; the key is the rendered summary, so it never goes stale


class ExecutiveSummaryPage(DistributedPageMixin, BasePage):
    """A short version of the plan report for decision makers; its PDF may not exceed 20 pages."""

    body = StreamField(report_blocks(), blank=True, verbose_name=_("body"))

    base_form_class = ReadinessPageForm
    content_panels = [
        ReadinessChecklistPanel(heading=_("Publication checklist")),
        *BasePage.content_panels,
        FieldPanel("body"),
    ]
    promote_panels = [*BasePage.promote_panels, *DistributedPageMixin.distribution_panels]
    translatable_fields = [
        *BasePage.translatable_fields,
        *DistributedPageMixin.distribution_fields,
        TranslatableField("body"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]
    api_fields = [*BASE_PAGE_API_FIELDS, APIField("body", serializer=StreamValueField())]
    parent_page_types = ["plans.PlanPage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("executive summary")
        verbose_name_plural = _("executive summaries")

    def page_count(self):
        """Pages of this summary's PDF (laid out with WeasyPrint; cached by the rendered HTML).

        None while the summary is not in the page tree yet (it has no plan to print it with).
        """
        if not self.path:
            return None
        html = documents.summary_html(self, self.get_parent().specific)
        key = "revayat:summary-pages:" + hashlib.sha256(html.encode()).hexdigest()
        count = cache.get(key)
        if count is None:
            count = len(pdf.render_document(html, self).pages)
            cache.set(key, count, PAGE_COUNT_TIMEOUT)
        return count

    def publish_checklist(self):
        items = [ChecklistItem("body", _("The summary has content"), bool(self.body))]
        pages = self.page_count()
        if pages is None:
            items.append(
                ChecklistItem(
                    "page-limit",
                    _("At most %(limit)s printed pages (counted once the summary is saved)")
                    % {"limit": localize_digits(MAX_PAGES)},
                    True,
                )
            )
        else:
            items.append(
                ChecklistItem(
                    "page-limit",
                    _("At most %(limit)s printed pages (the PDF has %(pages)s pages now)")
                    % {"limit": localize_digits(MAX_PAGES), "pages": localize_digits(pages)},
                    pages <= MAX_PAGES,
                )
            )
        return items
