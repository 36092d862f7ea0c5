"""Admin views of the plans: the status and progress of every plan's generated deliverables."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plans.models import PlanDeliverables, PlanPage


def deliverables_status(request):
    """Every plan page with its deliverables: status, progress, current step, files, timings, errors."""
    records = {record.page_id: record for record in PlanDeliverables.objects.all()}
    plans = PlanPage.objects.select_related("locale").order_by("plan_number", "locale__language_code")
    rows = [(plan, records.get(plan.pk)) for plan in plans]
    return TemplateResponse(request, "deliverables/admin/status.html", {"rows": rows})


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
