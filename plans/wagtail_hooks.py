"""Admin registration of the plans' snippets (units, people, upstream documents) and the deliverables'
status view, with the release of a plan's source package."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from plans import views
from plans.models import KPI, OrganizationUnit, Person, UpstreamDocument


class OrganizationUnitViewSet(SnippetViewSet):
    model = OrganizationUnit
    icon = "group"
    list_display = ["name", "locale"]
    search_fields = ["name"]


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    list_display = ["name", "position", "locale"]
    search_fields = ["name"]


class UpstreamDocumentViewSet(SnippetViewSet):
    model = UpstreamDocument
    icon = "doc-full"
    list_display = ["title", "issuer", "year", "locale"]
    search_fields = ["title"]


class KPIViewSet(SnippetViewSet):
    model = KPI
    icon = "table"
    list_display = ["name", "plan", "unit", "confidentiality", "locale"]
    list_filter = ["confidentiality", "illustrative"]
    search_fields = ["name"]


class PlanSnippetsGroup(SnippetViewSetGroup):
    menu_label = _("Plan directory")
    menu_icon = "folder-open-inverse"
    menu_order = 300
    items = (OrganizationUnitViewSet, PersonViewSet, UpstreamDocumentViewSet, KPIViewSet)


register_snippet(PlanSnippetsGroup)


@hooks.register("register_admin_urls")
def register_deliverables_urls():
    return [
        path("deliverables/", views.DeliverablesReportView.as_view(), name="plans_deliverables_status"),
        path(
            "deliverables/results/",
            views.DeliverablesReportView.as_view(results_only=True),
            name="plans_deliverables_status_results",
        ),
        path(
            "deliverables/<int:page_id>/rebuild/",
            views.rebuild_deliverables,
            name="plans_rebuild_deliverables",
        ),
        path(
            "deliverables/<int:page_id>/release-sources/",
            views.release_source_package,
            name="plans_release_source_package",
        ),
    ]


@hooks.register("register_log_actions")
def register_source_package_log_action(actions):
    actions.register_action(
        views.SOURCE_PACKAGE_RELEASED,
        _("Source package released"),
        _("Source package released to the public"),
    )


@hooks.register("register_reports_menu_item")
def register_deliverables_menu_item():
    return MenuItem(
        _("Deliverables"),
        reverse("plans_deliverables_status"),
        icon_name="doc-full",
        name="deliverables",
        order=900,
    )
