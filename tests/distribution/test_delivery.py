"""Delivery from the outbox to loopback fakes of every channel: exactly once, retried, dead-lettered."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from cms.distribution import actions, outbox
from cms.distribution.models import (
    Attempt,
    Channel,
    ChannelKind,
    DistributionRule,
    OutboxEntry,
    RemotePost,
    Status,
)
from cms.distribution.tasks import deliver_now
from tests.distribution import fakes


@pytest.fixture
def wired(demo, fake_servers, monkeypatch, settings):
    """Persian channels on every kind's fake, the portal for every language, one rule each for plan pages."""
    settings.REVAYAT_DISTRIBUTION = {"max_attempts": 4, "backoff_base": 10, "backoff_cap": 60}
    settings.REVAYAT_DISTRIBUTION_TIMEOUTS = {"connect": 2, "read": 2, "write": 5}
    servers = {
        "telegram": fake_servers(fakes.TelegramFake()),
        "bale": fake_servers(fakes.BaleFake(token="bale-token", chats={"@revayat_bale": 5550001})),
        "eitaa": fake_servers(fakes.EitaaFake()),
        "instagram": fake_servers(fakes.InstagramFake(fetch_media=False)),
        "x": fake_servers(fakes.XFake()),
        "aparat": fake_servers(fakes.AparatFake()),
        "portal": fake_servers(fakes.PortalFake()),
    }
    targets = {
        "telegram": "@revayat_fa",
        "bale": "@revayat_bale",
        "eitaa": "revayat_fa",
        "instagram": servers["instagram"].account_id,
        "x": "",
        "aparat": servers["aparat"].username,
        "portal": servers["portal"].url,
    }
    secrets = {
        "telegram": servers["telegram"].token,
        "bale": "bale-token",
        "eitaa": servers["eitaa"].token,
        "instagram": servers["instagram"].token,
        "x": servers["x"].token,
        "aparat": "secret-pass",
        "portal": servers["portal"].secret,
    }
    kinds = {
        "telegram": ChannelKind.TELEGRAM,
        "bale": ChannelKind.BALE,
        "eitaa": ChannelKind.EITAA,
        "instagram": ChannelKind.INSTAGRAM,
        "x": ChannelKind.X,
        "aparat": ChannelKind.APARAT,
        "portal": ChannelKind.PORTAL_WEBHOOK,
    }
    channels = {}
    for key, server in servers.items():
        channels[key] = Channel.objects.create(
            name=key,
            kind=kinds[key],
            target=targets[key],
            credentials_name=f"test-{key}",
            base_url="" if key == "portal" else server.url,
            locale=None if key == "portal" else demo.locale_fa,
        )
        monkeypatch.setenv(f"REVAYAT_CHANNEL_TEST_{key.upper()}", secrets[key])
        DistributionRule.objects.create(name=key, channel=channels[key])

    class Wired:
        pass

    Wired.servers, Wired.channels = servers, channels
    return Wired


def publish(page, **changes):
    page = Page.objects.get(pk=page.pk).specific
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


def settle(rounds=10, step=timedelta(hours=2)):
    """Run the relay as time passes, until no row is waiting (each pass delivers due rows)."""
    now = timezone.now()
    for _ in range(rounds):
        outbox.relay(now=now)
        if not OutboxEntry.objects.filter(status__in=[Status.PENDING, Status.QUEUED]).exists():
            return
        now += step


def entry_of(wired, key, page, event="publish"):
    return OutboxEntry.objects.get(channel=wired.channels[key], page_key=page.pk, event=event)


def test_publishing_reaches_every_channel_once_with_the_persian_text(wired, demo):
    plan = publish(demo.plans_fa[0])
    outbox.relay()
    aparat = entry_of(wired, "aparat", plan)
    assert aparat.status == Status.SKIPPED and wired.servers["aparat"].posts == []  # a video channel
    for key, server in wired.servers.items():
        if key == "aparat":
            continue
        entry = entry_of(wired, key, plan)
        assert entry.status == Status.SENT, (key, entry.reason)
        assert len(server.live_posts()) == 1, key
        assert RemotePost.objects.get(channel=wired.channels[key], page_key=plan.pk).remote_id
        assert list(entry.attempt_history.values_list("outcome", flat=True)) == ["sent"]
    telegram = wired.servers["telegram"].posts[0]
    assert plan.title in (telegram.get("caption") or telegram.get("text"))
    assert plan.full_url in (telegram.get("caption") or telegram.get("text"))
    assert entry_of(wired, "telegram", plan).remote_url.startswith("https://t.me/revayat_fa/")
    event = wired.servers["portal"].posts[0]
    assert event["event"] == "publish" and event["page"]["id"] == plan.pk
    assert event["payload"]["title"] == plan.title  # the page's own API JSON


def test_an_episode_goes_out_as_its_mp3_and_a_film_as_its_mp4(wired, demo):
    from plans.models import FilmPage, PodcastEpisodePage

    episode = publish(PodcastEpisodePage.objects.filter(locale=demo.locale_fa).first())
    film = publish(FilmPage.objects.filter(locale=demo.locale_fa).first())
    outbox.relay()
    sent = {post["method"]: post for post in wired.servers["telegram"].posts}
    assert set(sent) == {"sendAudio", "sendVideo"}
    with episode.audio.output("mp3").file.open("rb") as mp3:
        assert sent["sendAudio"]["file"] == mp3.read()
    best = film.video.output("mp4_720") or film.video.output("mp4_360")
    with best.file.open("rb") as mp4:
        video = mp4.read()
    assert sent["sendVideo"]["file"] == video
    (upload,) = wired.servers["aparat"].posts
    assert upload["file"] == video and upload["title"] == film.title
    assert entry_of(wired, "aparat", episode).status == Status.SKIPPED  # Aparat takes video only


def test_updates_edit_where_the_api_allows_and_unpublishing_deletes(wired, demo):
    plan = publish(demo.plans_fa[0])
    outbox.relay()
    publish(plan, summary="خلاصهٔ تازه برای بیمه‌شدگان")
    outbox.relay()
    telegram = wired.servers["telegram"]
    assert len(telegram.posts) == 1 and "خلاصهٔ تازه برای بیمه‌شدگان" in telegram.posts[0]["caption"]
    assert entry_of(wired, "telegram", plan, "update").status == Status.SENT
    eitaa_update = entry_of(wired, "eitaa", plan, "update")
    assert eitaa_update.status == Status.SKIPPED and "ویرایش پست" in eitaa_update.reason  # "cannot edit"
    assert len(wired.servers["eitaa"].posts) == 1  # never a second post in place of an edit
    assert [e["event"] for e in wired.servers["portal"].posts] == ["publish", "update"]

    Page.objects.get(pk=plan.pk).specific.unpublish()
    outbox.relay()
    assert telegram.live_posts() == [] and wired.servers["x"].live_posts() == []
    assert [e["event"] for e in wired.servers["portal"].posts][-1] == "unpublish"
    assert RemotePost.objects.get(channel=wired.channels["telegram"], page_key=plan.pk).deleted_at
    assert entry_of(wired, "eitaa", plan, "unpublish").status == Status.SKIPPED  # Eitaa cannot delete


def test_a_channel_that_is_down_for_a_while_gets_the_post_once_it_returns(wired, demo):
    telegram = wired.servers["telegram"]
    telegram.fail_next("500", times=3)
    plan = publish(demo.plans_fa[1])
    outbox.relay()
    entry = entry_of(wired, "telegram", plan)
    assert entry.status == Status.PENDING and entry.attempts == 1 and "500" in entry.reason
    assert entry.next_attempt_at > timezone.now() + timedelta(seconds=4)  # backoff, not a tight loop
    settle()
    entry.refresh_from_db()
    assert entry.status == Status.SENT and len(telegram.posts) == 1
    assert list(entry.attempt_history.values_list("outcome", flat=True)) == ["retry"] * 3 + ["sent"]


def test_an_unreachable_channel_is_retried_like_a_server_error(wired, demo):
    Channel.objects.filter(pk=wired.channels["x"].pk).update(base_url=f"http://127.0.0.1:{closed_port()}")
    plan = publish(demo.plans_fa[1])
    outbox.relay()
    entry = entry_of(wired, "x", plan)
    assert entry.status == Status.PENDING and "دسترسی به" in entry.reason  # "Could not reach …"
    Channel.objects.filter(pk=wired.channels["x"].pk).update(base_url=wired.servers["x"].url)
    settle()
    assert entry_of(wired, "x", plan).status == Status.SENT and len(wired.servers["x"].posts) == 1


def test_429_waits_for_the_channels_retry_after(wired, demo):
    wired.servers["bale"].fail_next("429", retry_after=42)
    plan = publish(demo.plans_fa[1])
    before = timezone.now()
    outbox.relay()
    entry = entry_of(wired, "bale", plan)
    attempt = entry.attempt_history.get()
    assert attempt.http_status == 429 and attempt.retry_after == 42
    assert before + timedelta(seconds=42) <= entry.next_attempt_at <= timezone.now() + timedelta(seconds=44)


def test_a_timeout_is_retried_once_the_channel_shows_it_holds_no_such_post(wired, demo):
    wired.servers["telegram"].fail_next("timeout", seconds=3)  # the client gives up after 2 s
    plan = publish(demo.plans_fa[1])
    outbox.relay()
    assert "به‌موقع پاسخ نداد" in entry_of(wired, "telegram", plan).reason  # "did not answer in time"
    settle()
    assert entry_of(wired, "telegram", plan).status == Status.SENT
    assert len(wired.servers["telegram"].posts) == 1


def test_malformed_answers_are_retried(wired, demo):
    wired.servers["telegram"].fail_next("malformed")
    plan = publish(demo.plans_fa[1])
    outbox.relay()
    assert entry_of(wired, "telegram", plan).status == Status.PENDING
    settle()
    assert entry_of(wired, "telegram", plan).status == Status.SENT
    assert len(wired.servers["telegram"].posts) == 1


def test_a_permanent_error_is_dead_lettered_with_its_reason_and_never_retried(wired, demo):
    telegram = wired.servers["telegram"]
    telegram.fail_next("400")  # a refused token (401/403) pauses the channel instead (test_faults.py)
    plan = publish(demo.plans_fa[1])
    outbox.relay()
    entry = entry_of(wired, "telegram", plan)
    assert entry.status == Status.DEAD and "chat not found" in entry.reason and entry.attempts == 1
    requests = len(telegram.requests)
    settle()
    assert len(telegram.requests) == requests  # dead letters stay put


def test_too_many_transient_failures_end_in_the_dead_letter_state(wired, demo):
    wired.servers["x"].fail_next("500", times=10)
    plan = publish(demo.plans_fa[1])
    settle()
    entry = entry_of(wired, "x", plan)
    assert entry.status == Status.DEAD and entry.reason.startswith("پس از 4 تلاش")  # "Gave up after 4 …"
    assert entry.attempt_history.count() == 4


def test_a_second_copy_of_the_task_or_of_the_relay_posts_nothing_more(wired, demo):
    plan = publish(demo.plans_fa[1])
    outbox.relay()
    outbox.relay()
    entry = entry_of(wired, "telegram", plan)
    assert deliver_now(entry.pk) is None  # a stray duplicate of the task finds the row finished
    assert entry.attempts == 1 and len(wired.servers["telegram"].posts) == 1


def interrupt_while_posting(entry):
    """The state a worker leaves when it dies during the posting request: claimed, attempt marked posting."""
    OutboxEntry.objects.filter(pk=entry.pk).update(
        status=Status.SENDING, attempts=1, lease_until=timezone.now() - timedelta(seconds=1)
    )
    Attempt.objects.create(entry=entry, number=1, posting=True)


def test_a_worker_that_died_while_posting_is_never_followed_by_a_second_post(wired, demo):
    kept = [wired.channels[key].pk for key in ("eitaa", "telegram", "portal")]
    Channel.objects.exclude(pk__in=kept).update(enabled=False)
    plan = publish(demo.plans_fa[1])
    for key in ("eitaa", "telegram", "portal"):
        interrupt_while_posting(entry_of(wired, key, plan))
    outbox.relay()
    eitaa, telegram = entry_of(wired, "eitaa", plan), entry_of(wired, "telegram", plan)
    assert eitaa.status == Status.UNCERTAIN and "کانال را بررسی کنید" in eitaa.reason  # "check the…"
    assert wired.servers["eitaa"].posts == []  # Eitaa cannot be asked: a person checks, nothing is resent
    assert [a.outcome for a in eitaa.attempt_history.all()] == ["interrupted", "dead"]
    # Telegram's updates show no such post, so it is sent, once; the portal dedups by event id.
    assert telegram.status == Status.SENT and len(wired.servers["telegram"].posts) == 1
    assert entry_of(wired, "portal", plan).status == Status.SENT
    actions.mark_sent(eitaa, remote_url="https://eitaa.com/revayat_fa/1")
    eitaa.refresh_from_db()
    assert eitaa.status == Status.SENT
    assert RemotePost.objects.get(channel=wired.channels["eitaa"], page_key=plan.pk).remote_url


def test_missing_credentials_dead_letter_the_row_without_showing_any_secret(wired, demo, monkeypatch):
    monkeypatch.delenv("REVAYAT_CHANNEL_TEST_TELEGRAM")
    plan = publish(demo.plans_fa[1])
    outbox.relay()
    entry = entry_of(wired, "telegram", plan)
    assert entry.status == Status.DEAD and "REVAYAT_CHANNEL_TEST_TELEGRAM" in entry.reason
    assert wired.servers["telegram"].token not in entry.reason


def test_a_page_that_became_private_before_delivery_is_not_sent(wired, demo):
    plan = publish(demo.plans_fa[2])
    PageViewRestriction.objects.create(
        page=plan, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    outbox.relay()
    statuses = {e.status for e in OutboxEntry.objects.filter(page_key=plan.pk, event="publish")}
    assert statuses == {Status.SKIPPED}
    assert all(server.posts == [] for server in wired.servers.values())


def closed_port():
    from tests.demo_server import free_port

    return free_port()
