"""Background delivery (django-tasks): one attempt per task run, its outcome recorded on the outbox row.

The outbox's relay (`outbox.py`) enqueues one task per due row. A task claims its row (QUEUED → SENDING,
under a lease) so a second copy of the task does nothing, and delivers rows of one page to one channel
in the order they were written. The adapter's posting request
is marked (committed) before it is sent: if the worker dies then, or the answer does not come back in
time, the next attempt asks the channel (`reconcile`) instead of posting again. A slow upload renews the
row's lease as it streams (`LeaseRenewal`); a channel refusing its credentials (401/403) is paused with
its rows waiting (`_pause`); the portal webhook keeps retrying for `retry_hours` (72 by default).
"""

import random
import time
import traceback
from contextlib import contextmanager
from datetime import timedelta

import httpx
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks import task

from cms.distribution.channels import adapter_class
from cms.distribution.channels.base import (
    DeliveryContext,
    DeliveryError,
    Permanent,
    Retry,
    Uncertain,
    Unsupported,
)
from cms.distribution.conf import config
from cms.distribution.credentials import CredentialsError, credentials_for
from cms.distribution.models import Attempt, Channel, Event, OutboxEntry, RemotePost, Status
from cms.distribution.outbound import GuardedTransport
from cms.distribution.posts import is_public, post_for_entry

# Failures after the request may have reached the channel (its answer was lost), unlike a refused
# connection or a wait for a pooled one, which prove nothing was sent.
UNANSWERED = (
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
)


@task()
def deliver(entry_id):
    """Make one delivery attempt for an outbox row; returns the row's status afterwards."""
    return deliver_now(entry_id)


def backoff(attempts, retry_after=None):
    """Seconds before attempt `attempts + 1`: exponential with jitter, or the channel's Retry-After."""
    if retry_after is not None:
        return retry_after + random.uniform(0, 1)
    ceiling = min(config("backoff_cap"), config("backoff_base") * 2 ** max(attempts - 1, 0))
    return random.uniform(ceiling / 2, ceiling)


_clients = {}


def http_client():
    """The worker's shared httpx client with explicit timeouts (settings.REVAYAT_DISTRIBUTION_TIMEOUTS).

    One per process and timeout setting: building a client loads the CA bundle (about 70 ms), and a
    shared client keeps connections to a channel alive between deliveries. httpx clients are thread-safe.
    """
    timeouts = getattr(settings, "REVAYAT_DISTRIBUTION_TIMEOUTS", {})
    key = tuple(sorted(timeouts.items()))
    if key not in _clients:
        _clients[key] = httpx.Client(
            timeout=httpx.Timeout(
                connect=timeouts.get("connect", 10),
                read=timeouts.get("read", 60),
                write=timeouts.get("write", 120),
                pool=timeouts.get("pool", 10),
            ),
            follow_redirects=False,
            headers={"User-Agent": "Revayat distribution"},
            transport=GuardedTransport(),  # no requests into the local network (outbound.py)
        )
    return _clients[key]


def _claim(entry_id, now):
    claimed = OutboxEntry.objects.filter(pk=entry_id, status=Status.QUEUED).update(
        status=Status.SENDING, lease_until=now + timedelta(seconds=config("lease_seconds"))
    )
    return OutboxEntry.objects.select_related("channel", "revision").get(pk=entry_id) if claimed else None


def _earlier_open(entry):
    return OutboxEntry.objects.filter(
        channel_id=entry.channel_id,
        page_key=entry.page_key,
        created_at__lt=entry.created_at,
        status__in=[Status.PENDING, Status.QUEUED, Status.SENDING],
    ).exists()


def deliver_now(entry_id):
    """One attempt, synchronously (the task body; also what tests and the benchmark call)."""
    now = timezone.now()
    entry = _claim(entry_id, now)
    if entry is None:
        return None  # another copy of the task has it, or it is finished
    if entry.channel.paused_at is not None or _earlier_open(entry):  # paused, or keep events in order
        OutboxEntry.objects.filter(pk=entry.pk).update(
            status=Status.PENDING, lease_until=None, next_attempt_at=now + timedelta(seconds=5)
        )
        return Status.PENDING
    entry.attempts += 1
    OutboxEntry.objects.filter(pk=entry.pk).update(attempts=entry.attempts)
    attempt = Attempt.objects.create(entry=entry, number=entry.attempts)
    try:
        result = _attempt(entry, attempt)
    except (Unsupported, CredentialsError, Permanent, Uncertain, Retry, DeliveryError) as error:
        return _fail(entry, attempt, error)
    except httpx.TimeoutException as error:
        reason = gettext("%(channel)s did not answer in time (%(error)s)") % {
            "channel": entry.channel,
            "error": type(error).__name__,
        }
        return _fail(entry, attempt, Retry(reason))
    except httpx.TransportError as error:
        reason = gettext("Could not reach %(channel)s: %(error)s") % {
            "channel": entry.channel,
            "error": error,
        }
        return _fail(entry, attempt, Retry(reason))
    except Exception:  # an adapter bug must not be silent: retried, then dead-lettered with the traceback
        return _fail(entry, attempt, Retry(traceback.format_exc(limit=5)))
    if result is None:
        return _finish(
            entry, attempt, Status.SKIPPED, Attempt.Outcome.SKIPPED, gettext("The page is no longer public")
        )
    finish_sent(
        entry,
        attempt=attempt,
        remote_id=result.remote_id,
        remote_url=result.remote_url,
        http_status=result.http_status,
        detail=result.detail,
    )
    return Status.SENT


def _attempt(entry, attempt):
    """Call the adapter; returns its Delivered, or None when there is nothing to send any more."""
    if entry.event in (Event.PUBLISH, Event.UPDATE) and not is_public(entry.page_id):
        return None
    adapter = adapter_class(entry.channel.kind)(entry.channel, credentials_for(entry.channel), http_client())
    post = post_for_entry(entry)

    @contextmanager
    def posting():
        Attempt.objects.filter(pk=attempt.pk).update(posting=True)  # committed: autocommit
        try:
            yield
        except UNANSWERED:  # the channel may have posted it: the next attempt asks before resending
            ctx.state["interrupted_while_posting"] = True
            ctx.save_state()
            raise

    def save_state(state):
        OutboxEntry.objects.filter(pk=entry.pk).update(state=state)

    lease = LeaseRenewal(entry.pk)
    for name in ("image", "audio", "video"):
        if (media := getattr(post, name)) is not None:
            media.open = lease.renewing(media.open)
    ctx = DeliveryContext(dict(entry.state), save_state, posting)
    if ctx.state.pop("interrupted_while_posting", False):
        save_state(ctx.state)
        found = adapter.reconcile(post, ctx)
        if found is not None:
            return found
    remote = RemotePost.objects.filter(
        channel_id=entry.channel_id, page_key=entry.page_key, deleted_at__isnull=True
    ).first()
    if entry.event == Event.PUBLISH or (entry.event == Event.UPDATE and remote is None):
        return adapter.publish(post, ctx)
    if entry.event == Event.UPDATE:
        return adapter.update(post, remote, ctx)
    if remote is None and entry.channel.kind != "portal_webhook":
        raise Unsupported(gettext("The channel holds no post of this page"))
    return adapter.delete(post, remote, ctx)


class LeaseRenewal:
    """Keeps a row's lease while its media uploads: every read of the file (httpx streams uploads in
    64 KB reads) renews it, at most once every few seconds. Without it, an upload slower than
    `lease_seconds` let the relay take the row back as if the worker had died, and the next attempt
    either posted a second time or left a "needs checking" row. The renewal runs in the worker's own
    thread and connection (autocommit), so the relay sees it at once; no second thread is needed."""

    def __init__(self, entry_id):
        self.entry_id, self.renewed = entry_id, time.monotonic()

    def renew(self):
        seconds = config("lease_seconds")
        if time.monotonic() - self.renewed >= min(5.0, seconds / 3):
            self.renewed = time.monotonic()
            OutboxEntry.objects.filter(pk=self.entry_id, status=Status.SENDING).update(
                lease_until=timezone.now() + timedelta(seconds=seconds)
            )

    def renewing(self, open_file):
        return lambda: _RenewingFile(open_file(), self.renew)


class _RenewingFile:
    """A file object whose reads renew a lease; everything else goes to the file itself."""

    def __init__(self, handle, renew):
        self._handle, self._renew = handle, renew

    def read(self, *args):
        self._renew()
        return self._handle.read(*args)

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._handle.close()


def _fail(entry, attempt, error):
    reason = getattr(error, "reason", str(error))
    attempt.http_status = getattr(error, "http_status", None)
    if isinstance(error, Unsupported):
        return _finish(entry, attempt, Status.SKIPPED, Attempt.Outcome.SKIPPED, reason)
    if isinstance(error, Permanent) and error.http_status in REFUSED_CREDENTIALS:
        return _pause(entry, attempt, reason)
    if isinstance(error, Uncertain):
        return _finish(entry, attempt, Status.UNCERTAIN, Attempt.Outcome.DEAD, reason)
    if isinstance(error, Retry) and (entry.attempts < config("max_attempts") or _within_retry_window(entry)):
        delay = backoff(entry.attempts, error.retry_after)
        attempt.retry_after = error.retry_after
        _record_attempt(attempt, Attempt.Outcome.RETRY, reason)
        OutboxEntry.objects.filter(pk=entry.pk, status=Status.SENDING).update(
            status=Status.PENDING,
            reason=reason,
            lease_until=None,
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
        )
        return Status.PENDING
    if isinstance(error, Retry):
        reason = gettext("Gave up after %(attempts)s attempts. Last error: %(reason)s") % {
            "attempts": entry.attempts,
            "reason": reason,
        }
    return _finish(entry, attempt, Status.DEAD, Attempt.Outcome.DEAD, reason)


REFUSED_CREDENTIALS = (401, 403)  # a revoked or wrong token, or an account removed from the channel


def _pause(entry, attempt, reason):
    """Pause the channel and keep the row waiting: every other row would fail for the same reason."""
    with transaction.atomic():
        Channel.objects.filter(pk=entry.channel_id, paused_at__isnull=True).update(
            paused_at=timezone.now(), pause_reason=reason[:4000]
        )
        _record_attempt(attempt, Attempt.Outcome.RETRY, reason)
        OutboxEntry.objects.filter(pk=entry.pk).update(
            status=Status.PENDING,
            reason=gettext("Waiting: the channel refused its credentials and is paused (%(reason)s)")
            % {"reason": reason},
            lease_until=None,
        )
    return Status.PENDING


def _within_retry_window(entry):
    """True while the channel kind's `retry_hours` since the row was written have not passed."""
    hours = config("retry_hours").get(entry.channel.kind)
    return bool(hours) and timezone.now() < entry.created_at + timedelta(hours=hours)


def _record_attempt(attempt, outcome, detail):
    attempt.outcome, attempt.detail, attempt.finished_at = outcome, detail[:4000], timezone.now()
    attempt.save(update_fields=["outcome", "detail", "finished_at", "http_status", "retry_after"])


def _finish(entry, attempt, status, outcome, reason):
    with transaction.atomic():
        _record_attempt(attempt, outcome, reason)
        OutboxEntry.objects.filter(pk=entry.pk).update(
            status=status, reason=reason[:4000], lease_until=None, finished_at=timezone.now()
        )
    return status


def finish_sent(entry, attempt=None, remote_id="", remote_url="", http_status=None, detail=""):
    """Record a delivered row and the remote post it created, changed or removed."""
    now = timezone.now()
    with transaction.atomic():
        if attempt is not None:
            attempt.http_status = http_status
            _record_attempt(attempt, Attempt.Outcome.SENT, detail or "Sent")
        remote = RemotePost.objects.filter(channel_id=entry.channel_id, page_key=entry.page_key).first()
        if entry.event in (Event.PUBLISH, Event.UPDATE):
            values = {
                "remote_id": remote_id or (remote.remote_id if remote else ""),
                "remote_url": remote_url or (remote.remote_url if remote else ""),
                "deleted_at": None,
            }
            if remote is None or remote.deleted_at is not None or entry.event == Event.PUBLISH:
                values["posted_at"] = now
            RemotePost.objects.update_or_create(
                channel_id=entry.channel_id, page_key=entry.page_key, defaults=values
            )
        elif remote is not None:
            RemotePost.objects.filter(pk=remote.pk).update(deleted_at=now)
        OutboxEntry.objects.filter(pk=entry.pk).update(
            status=Status.SENT,
            reason="",
            lease_until=None,
            finished_at=now,
            remote_id=remote_id or (remote.remote_id if remote else ""),
            remote_url=remote_url or (remote.remote_url if remote else ""),
        )
