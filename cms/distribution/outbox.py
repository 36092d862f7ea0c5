"""The outbox: rows written in the publishing transaction, and the relay that hands due rows to workers.

`record_publish()` / `record_unpublish()` / `record_delete()` run inside the transaction that changes the
page, so a crash after commit loses nothing: the rows are already there. The relay (`relay()`, run by
`manage.py distribution_relay` in a loop and kicked once after each publish) moves due rows to QUEUED and
enqueues their delivery task in one transaction, returns rows whose worker died to PENDING, and sweeps
pages that stopped being public while a channel still holds their post (an unpublish whose signal was
lost, an expiry, a new view restriction).

Writing and relaying stay in one module because they call each other: each write kicks the relay
(`relay_task`), and the relay's sweep writes unpublish rows. Which channels a page goes to is
`routing.py`; what an editor does to a row by hand is `actions.py`.
"""

import logging
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task
from wagtail.models import Page

from cms import visibility
from cms.distribution.conf import config
from cms.distribution.models import (
    OPEN_STATUSES,
    Attempt,
    Channel,
    ChannelKind,
    Event,
    OutboxEntry,
    RemotePost,
    Status,
)
from cms.distribution.posts import is_public
from cms.distribution.routing import channels_for
from cms.distribution.tasks import deliver

logger = logging.getLogger(__name__)
visibility.register_door("outbox")  # channel posts and portal webhooks are made from its rows


def _entry(channel, page, revision, event, now, key_suffix):
    return OutboxEntry(
        channel=channel,
        page_id=page.pk,
        page_key=page.pk,
        page_title=page.title[:255],
        language_code=page.locale.language_code,
        revision=revision,
        event=event,
        next_attempt_at=now,
        idempotency_key=f"{event}:{channel.pk}:{page.pk}:{key_suffix}",
    )


# Writing rows (inside the page's transaction) ------------------------------------------------------
def record_publish(page, revision):
    """Rows for a page revision that just went live: publish where the channel has no post yet,
    update where it has one. A row still waiting for the same channel is moved to this revision instead."""
    if not is_public(page.pk):
        return []
    now = timezone.now()
    rows = []
    held = set(
        RemotePost.objects.filter(page_key=page.pk, deleted_at__isnull=True).values_list(
            "channel_id", flat=True
        )
    )
    for channel in channels_for(page):
        waiting = OutboxEntry.objects.filter(
            channel=channel, page_key=page.pk, status=Status.PENDING, event__in=[Event.PUBLISH, Event.UPDATE]
        )
        if waiting.update(revision=revision, page_title=page.title[:255]):
            continue
        started = OutboxEntry.objects.filter(
            channel=channel, page_key=page.pk, event=Event.PUBLISH, status__in=OPEN_STATUSES
        ).exists()
        event = Event.UPDATE if channel.pk in held or started else Event.PUBLISH
        rows.append(_entry(channel, page, revision, event, now, revision.pk))
    OutboxEntry.objects.bulk_create(rows, ignore_conflicts=True)
    kick_relay_on_commit(rows)
    return rows


WITHDRAWN = {Event.UNPUBLISH: "unpublished", Event.DELETE: "deleted"}  # the reason's words for a withdrawal


def _withdraw(page, event, key_suffix):
    """Rows that take a page off its channels: every channel holding a post of it, and the portal
    webhooks of its language (always told). Publications that have not started are cancelled."""
    now = timezone.now()
    OutboxEntry.objects.filter(
        page_key=page.pk, status=Status.PENDING, event__in=[Event.PUBLISH, Event.UPDATE]
    ).update(
        status=Status.CANCELLED, finished_at=now, reason=f"Cancelled: the page was {WITHDRAWN[event]} first"
    )
    holding = Channel.objects.filter(posts__page_key=page.pk, posts__deleted_at__isnull=True)
    webhooks = Channel.objects.filter(kind=ChannelKind.PORTAL_WEBHOOK, enabled=True).filter(
        Q(locale__isnull=True) | Q(locale_id=page.locale_id)
    )
    if event == Event.DELETE:  # the unpublish that precedes a deletion already withdrew the posts
        holding = Channel.objects.none()
    rows = [_entry(channel, page, None, event, now, key_suffix) for channel in {*holding, *webhooks}]
    OutboxEntry.objects.bulk_create(rows, ignore_conflicts=True)
    kick_relay_on_commit(rows)
    return rows


def record_unpublish(page):
    return _withdraw(page, Event.UNPUBLISH, f"{timezone.now().timestamp():.6f}")


def record_delete(page):
    return _withdraw(page, Event.DELETE, "deleted")


def throttled(key, seconds):
    """True when `key` was taken less than `seconds` ago. The cache only spares repeated work: flushed,
    or away (Redis restarting), the work is done again; a publication never fails because of it."""
    try:
        return not cache.add(key, 1, seconds)
    except Exception:  # the backend's own connection error (redis.ConnectionError, …)
        logger.warning("cache unavailable for %s; not throttling", key, exc_info=True)
        return False


def kick_relay_on_commit(rows):
    """Ask for a relay pass once the rows are committed (at most one request a second: a burst of
    publications needs one pass, and `distribution_relay` passes every few seconds anyway)."""
    if rows and not throttled("revayat-distribution-kick", 1):
        transaction.on_commit(lambda: relay_task.enqueue())


# The relay ----------------------------------------------------------------------------------------
@task()
def relay_task():
    """Hand due rows to delivery tasks (kicked after each publish; `distribution_relay` also loops)."""
    return relay()


def relay(now=None):
    """One pass: recover rows of dead workers, sweep withdrawn pages, hand due rows to delivery tasks
    (except a paused channel's, see `tasks._pause`).

    Returns the number of rows handed over. Safe to run in several processes at once.
    """
    now = now or timezone.now()
    recover_stale(now)
    sweep_withdrawn(now)
    handed = 0
    due = (
        OutboxEntry.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
        .filter(channel__paused_at__isnull=True)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[: config("relay_batch")]
    )
    for pk in list(due):
        with transaction.atomic():
            claimed = OutboxEntry.objects.filter(pk=pk, status=Status.PENDING).update(
                status=Status.QUEUED, lease_until=now + timedelta(seconds=config("queue_seconds"))
            )
            if claimed:
                deliver.enqueue(str(pk))
                handed += 1
    return handed


def recover_stale(now=None):
    """Rows whose worker died (lease over) go back to PENDING; an attempt that died while posting is
    marked so the next attempt asks the channel first (`reconcile`)."""
    now = now or timezone.now()
    stale = OutboxEntry.objects.filter(status__in=[Status.QUEUED, Status.SENDING], lease_until__lt=now)
    for entry in stale:
        with transaction.atomic():
            if not OutboxEntry.objects.filter(
                pk=entry.pk, status=entry.status, lease_until=entry.lease_until
            ).exists():
                continue
            running = Attempt.objects.filter(entry=entry, outcome=Attempt.Outcome.RUNNING)
            if running.filter(posting=True).exists():
                entry.state = {**entry.state, "interrupted_while_posting": True}
            running.update(
                outcome=Attempt.Outcome.INTERRUPTED,
                finished_at=now,
                detail="The worker stopped before the attempt finished",
            )
            entry.status, entry.lease_until, entry.next_attempt_at = Status.PENDING, None, now
            entry.save(update_fields=["state", "status", "lease_until", "next_attempt_at"])


def sweep_withdrawn(now=None, force=False):
    """Unpublish rows for posts whose page is no longer public and that no row has withdrawn since they
    were posted (at most once every `sweep_seconds`, unless forced). Returns the rows written."""
    if not force and throttled("revayat-distribution-sweep", config("sweep_seconds")):
        return 0
    orphaned = RemotePost.objects.filter(deleted_at__isnull=True).exclude(
        page_key__in=visibility.public_pages().values("pk")
    )
    page_keys = set()
    for post in orphaned:
        withdrawn = OutboxEntry.objects.filter(
            channel_id=post.channel_id,
            page_key=post.page_key,
            event__in=[Event.UNPUBLISH, Event.DELETE],
            created_at__gte=post.posted_at,
        ).exclude(status=Status.CANCELLED)
        if not withdrawn.exists():
            page_keys.add(post.page_key)
    count = 0
    for page in Page.objects.filter(pk__in=page_keys).select_related("locale"):
        with transaction.atomic():
            count += len(record_unpublish(page))
    return count
