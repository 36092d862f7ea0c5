"""Publishing a plan or its executive summary regenerates the plan's deliverables in the background;
unpublishing a plan withdraws them (the build task deletes the files of a page that is not public)."""

import logging

from django.conf import settings
from wagtail.signals import page_published, page_unpublished

logger = logging.getLogger(__name__)


def plan_of(page):
    from plans.models import ExecutiveSummaryPage, PlanPage

    if isinstance(page, PlanPage):
        return page
    if isinstance(page, ExecutiveSummaryPage):
        return page.get_parent().specific
    return None


def on_page_changed(sender, instance, **kwargs):
    if not settings.REVAYAT_DELIVERABLES_ON_PUBLISH:
        return
    try:
        plan = plan_of(instance)
        if plan is not None:
            from plans.deliverables.tasks import request_build

            request_build(plan)
    except Exception:
        logger.exception("Could not request the deliverables of page %s", instance.pk)


def register_signal_handlers():
    page_published.connect(on_page_changed, dispatch_uid="revayat_deliverables_published")
    page_unpublished.connect(on_page_changed, dispatch_uid="revayat_deliverables_unpublished")
