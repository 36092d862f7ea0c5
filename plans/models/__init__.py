"""Plan content types, one module per concept."""

from plans.models.deliverables import PlanDeliverables
from plans.models.index import PlanIndexPage
from plans.models.people import OrganizationUnit, Person, UpstreamDocument
from plans.models.report import PlanPage
from plans.models.summary import ExecutiveSummaryPage

__all__ = [
    "ExecutiveSummaryPage",
    "OrganizationUnit",
    "Person",
    "PlanDeliverables",
    "PlanIndexPage",
    "PlanPage",
    "UpstreamDocument",
]
