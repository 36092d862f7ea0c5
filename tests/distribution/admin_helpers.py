"""Helpers of the distribution admin tests: channels and outbox rows as the delivery layer leaves them."""

import itertools
import uuid

from django.utils import timezone

from cms.distribution.models import Attempt, Channel, ChannelKind, Event, OutboxEntry, Status

_numbers = itertools.count(1)


def make_channel(
    name="Telegram test", kind=ChannelKind.TELEGRAM, locale=None, enabled=True, credentials_name=None
):
    return Channel.objects.create(
        name=name,
        kind=kind,
        locale=locale,
        target="@revayat_test",
        credentials_name=credentials_name or f"test-{next(_numbers)}",
        enabled=enabled,
    )


def make_entry(
    channel, page, status=Status.PENDING, attempts=0, reason="", remote_url="", event=Event.PUBLISH
):
    """An outbox row of `page` for `channel`, with one recorded attempt per `attempts`."""
    entry = OutboxEntry.objects.create(
        channel=channel,
        page=page,
        page_key=page.pk,
        page_title=page.title,
        language_code=page.locale.language_code,
        event=event,
        status=status,
        reason=reason,
        attempts=attempts,
        next_attempt_at=timezone.now(),
        remote_url=remote_url,
        idempotency_key=f"{event}:{channel.pk}:{page.pk}:{uuid.uuid4()}",
    )
    for number in range(1, attempts + 1):
        Attempt.objects.create(
            entry=entry,
            number=number,
            outcome=Attempt.Outcome.RETRY,
            http_status=503,
            detail=f"Service unavailable (attempt {number})",
            retry_after=30.0,
            finished_at=timezone.now(),
        )
    return entry
