"""The plan index: the list of transformation plans in one language."""

from django.utils.translation import gettext_lazy as _
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import path, re_path

from cms import visibility
from cms.api.fields import BASE_PAGE_API_FIELDS
from cms.distribution.models import DistributedPageMixin
from cms.models import IntroPage
from plans import dashboard
from plans.models.media_common import VisibleRoutesMixin
from plans.models.report import PlanPage


class PlanIndexPage(VisibleRoutesMixin, DistributedPageMixin, IntroPage):
    """Lists the plans under it, ordered by their number in the 20-plan programme."""

    promote_panels = [*IntroPage.promote_panels, *DistributedPageMixin.distribution_panels]
    translatable_fields = [*IntroPage.translatable_fields, *DistributedPageMixin.distribution_fields]
    api_fields = [*BASE_PAGE_API_FIELDS, APIField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["plans.PlanPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("plan index")

    def plans(self):
        """The public plans under this index, by plan number."""
        return (
            visibility.public_pages(PlanPage.objects.child_of(self))
            .select_related("lead_unit", "hero_image")
            .defer_streamfields()
            .order_by("plan_number")
        )

    @path("")
    def index_view(self, request):
        return self.render(request)

    @path("dashboard/")
    def dashboard_view(self, request):
        """The KPI dashboard of all public plans, filterable by plan and period."""
        return dashboard.overall_dashboard(self, request)

    @re_path(r"^dashboard/(csv|xlsx)/$")  # Wagtail serves paths of words and slashes only
    def dashboard_download(self, request, fmt):
        return dashboard.overall_download(self, request, fmt)

    @property
    def dashboard_url(self):
        return f"{self.url}dashboard/" if self.url else ""
