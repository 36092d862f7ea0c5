"""Delivery under the faults a deployment sees, against the loopback fakes: exactly one post each time.

Scenarios: a channel that posts but answers after the read timeout (Telegram and Bale: the next attempt
finds the post among the bot's channel updates and records it; Eitaa, which cannot be asked: the row
waits for a person, never a second post); an upload slower than the lease (the lease is renewed as the
file streams, so the relay passing meanwhile does not start a second attempt); the portal webhook down
for days (retried for 72 hours by default, other channels give up after their attempts); a token the
channel refuses (401/403: the channel pauses with an alert, its rows wait, resuming sends them); Redis
flushed or away (the outbox's throttles give way: nothing lost, nothing sent twice).
"""

import io
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from cms.distribution import outbox, posts, tasks
from cms.distribution.channels.base import MediaFile
from cms.distribution.models import Attempt, OutboxEntry, Status
from tests.distribution.conftest import jpeg_bytes
from tests.distribution.test_delivery import entry_of, publish, settle, wired  # noqa: F401  (fixture)
from tests.faultproxy import FaultProxy


@pytest.fixture
def impatient(settings):
    settings.REVAYAT_DISTRIBUTION_TIMEOUTS = {"connect": 2, "read": 0.5, "write": 5}


@pytest.mark.parametrize("key", ["telegram", "bale"])
def test_a_post_answered_after_the_timeout_is_found_not_sent_again(wired, demo, impatient, key):  # noqa: F811
    fake = wired.servers[key]
    fake.hold_next(1.0)  # posts, then answers after the client gave up
    plan = publish(demo.plans_fa[1])
    outbox.relay()
    entry = entry_of(wired, key, plan)
    assert entry.status == Status.PENDING and entry.state.get("interrupted_while_posting")
    settle()
    entry.refresh_from_db()
    assert entry.status == Status.SENT and len(fake.posts) == 1
    assert entry.remote_id.endswith(f":{fake.posts[0]['message_id']}")
    assert ("POST", f"/bot{fake.token}/getUpdates") in fake.requests


def test_eitaa_answering_late_waits_for_a_person_instead_of_posting_twice(wired, demo, impatient):  # noqa: F811
    fake = wired.servers["eitaa"]
    fake.hold_next(1.0)
    plan = publish(demo.plans_fa[1])
    outbox.relay()
    settle()
    assert entry_of(wired, "eitaa", plan).status == Status.UNCERTAIN and len(fake.posts) == 1


class SlowStorage(io.BytesIO):
    """A social crop read from storage in small, slow pieces; once the first lease has run out, the
    relay makes a pass (as the relay process would while the upload goes on)."""

    def __init__(self, content, on_slow):
        super().__init__(content)
        self.started, self.on_slow = time.monotonic(), on_slow

    def read(self, size=-1):
        time.sleep(0.1)
        if self.on_slow and time.monotonic() - self.started > 0.4:
            self.on_slow, on_slow = None, self.on_slow
            on_slow()
        return super().read(1024)


def test_an_upload_slower_than_the_lease_is_attempted_once(wired, demo, settings, monkeypatch):  # noqa: F811
    settings.REVAYAT_DISTRIBUTION = {**settings.REVAYAT_DISTRIBUTION, "lease_seconds": 0.3}
    photo = jpeg_bytes() + bytes(5000)  # about eight reads: 0.8 s of upload

    def with_slow_photo(entry):
        post = posts.post_for_entry(entry)
        if entry.channel.kind == "telegram":
            post.image = MediaFile(
                "https://revayat.example/crop.jpg", "crop.jpg", "image/jpeg", len(photo),
                lambda: SlowStorage(photo, on_slow=outbox.relay),
            )  # fmt: skip
        return post

    monkeypatch.setattr(tasks, "post_for_entry", with_slow_photo)
    plan = publish(demo.plans_fa[1])
    outbox.relay()
    entry = entry_of(wired, "telegram", plan)
    assert entry.status == Status.SENT, entry.reason
    assert list(entry.attempt_history.values_list("outcome", flat=True)) == [Attempt.Outcome.SENT]
    assert len(wired.servers["telegram"].posts) == 1


def test_the_portal_webhook_is_retried_for_72_hours_by_default(wired, demo):  # noqa: F811
    """`wired` sets max_attempts 4; the retry window is the default. A row past its attempts is still
    retried until 72 hours after it was written; other channels give up after their attempts."""
    for key in ("portal", "telegram"):
        wired.servers[key].fail_next("500", times=3)
    plan = publish(demo.plans_fa[1])
    rows = {key: entry_of(wired, key, plan) for key in ("portal", "telegram")}
    expected = {(71, "portal"): Status.PENDING, (73, "portal"): Status.DEAD, (1, "telegram"): Status.DEAD}
    for (hours, key), status in expected.items():
        Attempt.objects.filter(entry=rows[key]).delete()
        OutboxEntry.objects.filter(pk=rows[key].pk).update(
            created_at=timezone.now() - timedelta(hours=hours), attempts=4, status=Status.QUEUED
        )
        assert tasks.deliver_now(rows[key].pk) == status, (hours, key)


def test_a_revoked_token_pauses_the_channel_with_an_alert_until_it_is_resumed(wired, demo, login):  # noqa: F811
    telegram, channel = wired.servers["telegram"], wired.channels["telegram"]
    telegram.fail_next("403")  # "Forbidden: bot is not a member of the channel chat"
    plans = [publish(demo.plans_fa[1]), publish(demo.plans_fa[2])]
    outbox.relay()
    rows = [entry_of(wired, "telegram", plan) for plan in plans]
    channel.refresh_from_db()
    assert channel.paused_at is not None and "bot is not a member" in channel.pause_reason
    assert {row.status for row in rows} == {Status.PENDING}  # waiting, not dead-lettered
    assert telegram.posts == [] and len(telegram.requests) == 1  # the second row was held back
    settle()
    assert len(telegram.requests) == 1

    dashboard = login("approver").get(reverse("wagtailadmin_home")).content.decode()
    assert "کانال‌های توزیع متوقف‌شده" in dashboard and "۲ پست در انتظار" in dashboard  # the alert
    assert 'name="csrfmiddlewaretoken"' in dashboard.split("data-paused-channels")[1]
    report = login("approver").get(reverse("distribution:report")).content.decode()
    assert "کانال‌های توزیع متوقف‌شده" in report
    login("editor").post(reverse("distribution:resume_channel", args=[channel.pk]))  # not a publishing role
    channel.refresh_from_db()
    assert channel.paused_at is not None

    login("approver").post(reverse("distribution:resume_channel", args=[channel.pk]))
    channel.refresh_from_db()
    assert channel.paused_at is None
    outbox.relay()
    assert {entry_of(wired, "telegram", plan).status for plan in plans} == {Status.SENT}
    assert len(telegram.posts) == 2


@pytest.fixture
def redis_cache(settings):
    """The cache on Redis (db 6) through the fault proxy; emptied before and after."""
    with FaultProxy(("127.0.0.1", 6379)) as proxy:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://{proxy.address}/6",
            }
        }
        cache.clear()
        yield proxy
        proxy.mode = "pass"
        cache.clear()


def test_a_redis_flush_or_outage_loses_and_repeats_no_delivery(wired, demo, redis_cache):  # noqa: F811
    first = publish(demo.plans_fa[1])
    cache.clear()  # FLUSHDB between the publication and the relay
    outbox.relay()
    second = publish(demo.plans_fa[2])
    redis_cache.mode = "cut"  # Redis restarting: the outbox's throttles give way instead of failing
    assert outbox.throttled("revayat-distribution-sweep", 60) is False
    outbox.kick_relay_on_commit([object()])
    redis_cache.mode = "pass"
    outbox.relay()
    for key, server in wired.servers.items():
        if key != "aparat":  # a video channel: skipped
            assert len(server.posts) == 2, key
            assert {entry_of(wired, key, page).status for page in (first, second)} == {Status.SENT}
