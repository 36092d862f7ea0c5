"""Scheduled go-live and expiry, each claimed in the database so that it happens exactly once.

Wagtail's `publish_scheduled` does the same work but leaves running it to cron, and two of them
running at once (two schedulers, or one restarted while the other is still busy) would both publish
the same revision and queue its channel posts twice. Here each due item is first claimed by a
conditional UPDATE (only one process's UPDATE changes the row, on SQLite and PostgreSQL alike), in the
same transaction as its publication: a crash rolls both back, and the next pass does it, once.
A pass publishes everything that fell due while nothing ran (catching up after downtime), through
`revision.publish()` and so through the publication gate; a revision the gate refuses stays scheduled
and is logged.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from wagtail.models import Page, Revision

logger = logging.getLogger(__name__)


def expire_due(now):
    """Unpublish live pages whose expiry has passed; returns how many this process unpublished."""
    done = 0
    due = Page.objects.filter(live=True, expired=False, expire_at__lt=now)
    for page_id in due.values_list("pk", flat=True):
        try:
            with transaction.atomic():
                if not Page.objects.filter(pk=page_id, live=True, expired=False).update(expired=True):
                    continue  # another scheduler took it
                Page.objects.get(pk=page_id).specific.unpublish(
                    set_expired=True, log_action="wagtail.unpublish.scheduled"
                )
                done += 1
        except DatabaseError:
            logger.warning("Scheduled expiry of page %s left for the next pass", page_id, exc_info=True)
    return done


def go_live_due(now):
    """Publish the revisions whose approved go-live time has passed; returns how many this process did."""
    done = 0
    due = Revision.objects.filter(approved_go_live_at__lt=now).order_by("approved_go_live_at")
    for revision_id in due.values_list("pk", flat=True):
        try:
            with transaction.atomic():
                if not Revision.objects.filter(pk=revision_id, approved_go_live_at__lt=now).update(
                    approved_go_live_at=None
                ):
                    continue  # another scheduler took it
                Revision.objects.get(pk=revision_id).publish(log_action="wagtail.publish.scheduled")
                done += 1
        except ValidationError as error:
            logger.error(
                "Scheduled revision %s refused by the publication gate: %s",
                revision_id,
                "; ".join(error.messages),
            )
        except DatabaseError:
            logger.warning("Scheduled revision %s left for the next pass", revision_id, exc_info=True)
    return done


def run_due(now=None):
    """One pass: expiries first (as `publish_scheduled` does), then go-lives. Returns (expired, published)."""
    now = now or timezone.now()
    return expire_due(now), go_live_due(now)
