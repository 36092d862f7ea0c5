"""Admin views of the plans: the status and progress of every plan's generated deliverables."""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.reports import ReportView

from plans.models import PlanDeliverables, PlanPage


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
    queryset = PlanPage.objects.select_related("locale", "generated_deliverables")
    default_ordering = ("plan_number", "locale__language_code")
    FORMATS = ()  # no spreadsheet export: a row is a page and its build record, not one model's fields

    def decorate_paginated_queryset(self, object_list):
        return [(plan, getattr(plan, "generated_deliverables", None)) for plan in object_list]


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
