"""Admin views of the plans: the status and progress of every plan's generated deliverables, and the
release of a plan's source package to the public."""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.reports import ReportView
from wagtail.log_actions import log

from plans.models import PlanDeliverables, PlanPage, PlanSourcePackage

SOURCE_PACKAGE_RELEASED = "plans.source_package_released"


class DeliverablesFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        field_name="generated_deliverables__status",
        choices=PlanDeliverables.Status.choices,
        empty_label=gettext_lazy("All statuses"),
    )

    class Meta:
        model = PlanPage
        fields = []


class DeliverablesReportView(ReportView):
    """Every plan page with its deliverables: status, progress, current step, files, build time, errors."""

    page_title = gettext_lazy("Deliverables")
    header_icon = "doc-full"
    results_template_name = "deliverables/admin/status_results.html"
    index_url_name = "plans_deliverables_status"
    index_results_url_name = "plans_deliverables_status_results"
    filterset_class = DeliverablesFilterSet
    queryset = PlanPage.objects.select_related("locale", "generated_deliverables", "source_package")
    default_ordering = ("plan_number", "locale__language_code")
    FORMATS = ()  # no spreadsheet export: a row is a page and its build record, not one model's fields

    def decorate_paginated_queryset(self, object_list):
        return [
            (plan, getattr(plan, "generated_deliverables", None), getattr(plan, "source_package", None))
            for plan in object_list
        ]

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["can_release"] = self.request.user.has_perm("plans.release_plansourcepackage")
        return context


@require_POST
def rebuild_deliverables(request, page_id):
    """Rebuild one plan's deliverables in the background (for editors who may publish it)."""
    from plans.deliverables.tasks import request_build

    plan = get_object_or_404(PlanPage, pk=page_id)
    if not plan.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    request_build(plan, force=True)
    messages.success(request, _("The deliverables of “%(title)s” will be rebuilt.") % {"title": plan.title})
    return redirect("plans_deliverables_status")


@require_POST
def release_source_package(request, page_id):
    """Let the public download a plan's source package (approvers); recorded on the package and in the
    page's history."""
    if not request.user.has_perm("plans.release_plansourcepackage"):
        raise PermissionDenied
    package = get_object_or_404(PlanSourcePackage.objects.select_related("page"), page_id=page_id)
    if not package.released:
        package.released_at, package.released_by = timezone.now(), request.user
        package.save(update_fields=["released_at", "released_by"])
        log(
            instance=package.page,
            action=SOURCE_PACKAGE_RELEASED,
            user=request.user,
            data={"file": package.file.name},
        )
    messages.success(
        request,
        _("The source package of “%(title)s” is released to the public.") % {"title": package.page.title},
    )
    return redirect("plans_deliverables_status")
