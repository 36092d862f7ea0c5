"""Background generation of a plan's deliverables (django-tasks), requested when a page is published."""

from django.db import transaction
from django_tasks import task

from plans.models import PlanDeliverables, PlanPage


@task()
def build_deliverables(page_id, force=False):
    """Build (or skip, when unchanged) the deliverables of one plan page; returns the outcome."""
    from plans.deliverables.build import build

    plan = PlanPage.objects.filter(pk=page_id).first()
    return build(plan, force=force) if plan else "missing"


def request_build(plan, force=False):
    """Show the plan's deliverables as waiting and build them once the current transaction commits."""
    if PlanDeliverables.objects.filter(page=plan).exists():
        PlanDeliverables.objects.filter(page=plan).update(status=PlanDeliverables.Status.PENDING, progress=0)
    transaction.on_commit(lambda: build_deliverables.enqueue(plan.pk, force))
