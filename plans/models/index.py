"""The plan index: the list of transformation plans in one language, and the media and dashboard
indexes across all of them.

The media indexes (all podcasts, all films, all infographics) and the dashboard index are routes of
the plan index (`media/`, `media/podcasts/`, `media/films/`, `media/infographics/`, `dashboards/`), not
page types: they hold no content of their own, so editors have nothing to create, translate or approve;
they exist in every language the plan index is published in; and being served through the index page
they answer only where it is public, listing only what `cms.visibility` lets the public see.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import path, re_path

from cms import visibility
from cms.api.fields import BASE_PAGE_API_FIELDS
from cms.distribution.models import DistributedPageMixin
from cms.models import IntroPage
from plans import dashboard
from plans.models.film import FilmPage
from plans.models.infographic import InfographicPage
from plans.models.media_common import VisibleRoutesMixin
from plans.models.podcast import PodcastEpisodePage, PodcastSeriesPage
from plans.models.report import PlanPage

# kind → (route under media/, page model, plural title)
MEDIA_KINDS = {
    "podcasts": (PodcastSeriesPage, _("Podcasts")),
    "films": (FilmPage, _("Films and motion graphics")),
    "infographics": (InfographicPage, _("Infographics")),
}


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

    def media_pages(self, kind):
        """The public pages of one media kind under this index's plans, plan by plan."""
        model = MEDIA_KINDS[kind][0]
        return (
            visibility.public_pages(model.objects.descendant_of(self)).defer_streamfields().order_by("path")
        )

    def media_groups(self, kind):
        """[(plan, [pages of `kind`])] for the public plans that have any; podcast series carry their
        public episodes as `public_episodes`."""
        pages = list(self.media_pages(kind))
        if kind == "podcasts":
            episodes = visibility.public_pages(PodcastEpisodePage.objects.descendant_of(self)).order_by(
                "path"
            )
            by_series = {}
            for episode in episodes.defer_streamfields():
                by_series.setdefault(episode.path[: -PlanPage.steplen], []).append(episode)
            for series in pages:
                series.public_episodes = by_series.get(series.path, [])
        groups = []
        for plan in self.plans():
            children = [page for page in pages if page.path.startswith(plan.path)]
            if children:
                groups.append((plan, children))
        return groups

    def media_links(self):
        """[(kind, title, URL)] of the media indexes, for menus and the API."""
        return [
            (kind, title, self.url + self.reverse_subpage(kind))
            for kind, (_model, title) in MEDIA_KINDS.items()
        ]

    def _render_route(self, request, template, title, subpath, **context):
        return self.render(
            request,
            template=template,
            context_overrides={"route_title": title, "route_subpath": subpath, **context},
        )

    @path("media/")
    def media_index(self, request):
        """All media of all plans, by kind."""
        sections = [(kind, title, url, self.media_groups(kind)) for kind, title, url in self.media_links()]
        return self._render_route(
            request,
            "plans/media_index.html",
            _("Media"),
            self.reverse_subpage("media_index"),
            sections=sections,
        )

    def _media_kind(self, request, kind):
        if kind not in MEDIA_KINDS:
            raise Http404
        return self._render_route(
            request,
            "plans/media_kind_index.html",
            MEDIA_KINDS[kind][1],
            self.reverse_subpage(kind),
            kind=kind,
            groups=self.media_groups(kind),
            route_trail=[(_("Media"), self.url + self.reverse_subpage("media_index"))],
        )

    @path("media/podcasts/", name="podcasts")
    def podcasts(self, request):
        return self._media_kind(request, "podcasts")

    @path("media/films/", name="films")
    def films(self, request):
        return self._media_kind(request, "films")

    @path("media/infographics/", name="infographics")
    def infographics(self, request):
        return self._media_kind(request, "infographics")

    @path("dashboards/")
    def dashboards(self, request):
        """Every public plan's KPI dashboard (the `#dashboard` anchor of its page, for now)."""
        return self._render_route(
            request, "plans/dashboards_index.html", _("Dashboards"), self.reverse_subpage("dashboards")
        )
