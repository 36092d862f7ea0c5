"""What an editor may do to an outbox row by hand: retry it, cancel it, or mark it as sent after checking
the channel; and resume a channel paused because it refused its credentials. Apart from the outbox's
automatic writing and relaying because these run from the admin report, behind its permission check and
audit log, and each refuses a row in a state where the action makes no sense.
"""

from django.utils import timezone
from django.utils.translation import gettext

from cms.distribution.models import Channel, OutboxEntry, Status
from cms.distribution.outbox import kick_relay_on_commit
from cms.distribution.tasks import finish_sent

RETRYABLE = (Status.DEAD, Status.UNCERTAIN, Status.CANCELLED, Status.SKIPPED)


def retry(entry):
    """Send a failed, cancelled or unconfirmed row again now (its idempotency key stays the same)."""
    if entry.status not in RETRYABLE:
        raise ValueError(
            gettext("An entry with status “%(status)s” cannot be retried")
            % {"status": entry.get_status_display()}
        )
    entry.state = {key: value for key, value in entry.state.items() if key != "interrupted_while_posting"}
    entry.status, entry.reason, entry.finished_at = Status.PENDING, "", None
    entry.next_attempt_at = timezone.now()
    entry.save(update_fields=["state", "status", "reason", "next_attempt_at", "finished_at"])
    kick_relay_on_commit([entry])


def cancel(entry, reason=None):
    """Stop a row that has not been sent; a row being sent right now cannot be cancelled."""
    reason = reason or gettext("Cancelled by an editor")
    if entry.status not in (Status.PENDING, Status.DEAD, Status.UNCERTAIN):
        raise ValueError(
            gettext("An entry with status “%(status)s” cannot be cancelled")
            % {"status": entry.get_status_display()}
        )
    entry.status, entry.reason, entry.finished_at = Status.CANCELLED, reason, timezone.now()
    entry.save(update_fields=["status", "reason", "finished_at"])


def mark_sent(entry, remote_url="", remote_id=""):
    """A person checked the channel and found the post: record it as sent (after an uncertain attempt)."""
    if entry.status != Status.UNCERTAIN:
        raise ValueError(gettext("Only an entry that needs checking can be marked as sent by hand"))
    finish_sent(
        entry, remote_id=remote_id, remote_url=remote_url, detail=gettext("Marked as sent by an editor")
    )


def resume_channel(channel):
    """Lift a channel's pause (its credentials were fixed): the rows it held go out now."""
    if channel.paused_at is None:
        raise ValueError(gettext("The channel is not paused"))
    Channel.objects.filter(pk=channel.pk).update(paused_at=None, pause_reason="")
    waiting = OutboxEntry.objects.filter(channel=channel, status=Status.PENDING)
    rows = list(waiting)
    waiting.update(next_attempt_at=timezone.now(), reason="")
    kick_relay_on_commit(rows)
    return len(rows)
