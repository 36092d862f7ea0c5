"""Plan content types, one module per concept."""

from plans.models.deliverables import PlanDeliverables, PlanSourcePackage
from plans.models.demo import DemoImage
from plans.models.film import FilmPage
from plans.models.index import PlanIndexPage
from plans.models.infographic import InfographicPage
from plans.models.kpi import KPI, KPIValue
from plans.models.people import OrganizationUnit, Person, UpstreamDocument
from plans.models.podcast import PodcastEpisodePage, PodcastSeriesPage
from plans.models.report import PlanPage
from plans.models.summary import ExecutiveSummaryPage

__all__ = [
    "KPI",
    "DemoImage",
    "ExecutiveSummaryPage",
    "FilmPage",
    "InfographicPage",
    "KPIValue",
    "OrganizationUnit",
    "Person",
    "PlanDeliverables",
    "PlanIndexPage",
    "PlanPage",
    "PlanSourcePackage",
    "PodcastEpisodePage",
    "PodcastSeriesPage",
    "UpstreamDocument",
]
