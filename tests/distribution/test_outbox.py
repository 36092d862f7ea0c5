"""The outbox: which rows publishing, unpublishing and deleting write, in the page's own transaction."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from cms.distribution import outbox, tasks
from cms.distribution.models import (
    Channel,
    ChannelKind,
    DistributionRule,
    Event,
    OutboxEntry,
    RemotePost,
    Status,
)


@pytest.fixture
def channels(demo):
    """Telegram fa and Bale fa (rule: plan pages), X en (rule: plan pages), a portal webhook (every page)."""

    def make(name, kind, locale):
        return Channel.objects.create(
            name=name,
            kind=kind,
            locale=locale,
            target="@sso",
            credentials_name=name.lower().replace(" ", "-"),
        )

    made = {
        "telegram": make("Telegram fa", ChannelKind.TELEGRAM, demo.locale_fa),
        "bale": make("Bale fa", ChannelKind.BALE, demo.locale_fa),
        "x": make("X en", ChannelKind.X, demo.locale_en),
        "webhook": make("Portal", ChannelKind.PORTAL_WEBHOOK, None),
        "eitaa": make("Eitaa fa", ChannelKind.EITAA, demo.locale_fa),  # no rule: only when a page asks
    }
    plan_type = ContentType.objects.get_for_model(demo.plans_fa[0])
    for key in ("telegram", "bale", "x"):
        DistributionRule.objects.create(name=f"Plans → {key}", page_type=plan_type, channel=made[key])
    DistributionRule.objects.create(name="Everything → portal", channel=made["webhook"])
    return made


def rows(page, **filters):
    return {
        (entry.channel.name, entry.event): entry
        for entry in OutboxEntry.objects.filter(page_key=page.pk, **filters).select_related("channel")
    }


def republish(page, **changes):
    page = Page.objects.get(pk=page.pk).specific
    for name, value in changes.items():
        setattr(page, name, value)
    revision = page.save_revision()
    revision.publish()
    return revision


def test_publishing_writes_one_row_per_channel_of_the_page_language_and_type(demo, channels):
    plan = demo.plans_fa[0]
    revision = republish(plan)
    written = rows(plan)
    assert set(written) == {("Telegram fa", "publish"), ("Bale fa", "publish"), ("Portal", "publish")}
    entry = written["Telegram fa", "publish"]
    assert entry.revision_id == revision.pk and entry.status == Status.PENDING
    assert entry.idempotency_key == f"publish:{channels['telegram'].pk}:{plan.pk}:{revision.pk}"
    assert entry.language_code == "fa" and entry.page_title == plan.title

    republish(demo.plans_en[0])  # English: X en and the portal, never the Persian channels
    assert set(rows(demo.plans_en[0])) == {("X en", "publish"), ("Portal", "publish")}
    republish(demo.home_fa)  # not a plan: only the every-page rule
    assert set(rows(demo.home_fa)) == {("Portal", "publish")}


def test_page_settings_add_a_channel_and_turn_a_rule_off(demo, channels):
    plan = demo.plans_fa[1]
    republish(
        plan,
        distribution=[
            (
                "channel",
                {"channel": channels["eitaa"], "send": True, "text": "متن ویژهٔ ایتا", "crop": "portrait"},
            ),
            ("channel", {"channel": channels["bale"], "send": False, "text": "", "crop": "square"}),
            ("channel", {"channel": channels["x"], "send": True, "text": "", "crop": "square"}),  # en channel
        ],
    )
    assert set(rows(plan)) == {("Telegram fa", "publish"), ("Eitaa fa", "publish"), ("Portal", "publish")}


def test_disabled_channels_and_rules_write_nothing(demo, channels):
    Channel.objects.filter(pk=channels["telegram"].pk).update(enabled=False)
    DistributionRule.objects.filter(channel=channels["bale"]).update(enabled=False)
    plan = demo.plans_fa[0]
    republish(plan)
    assert set(rows(plan)) == {("Portal", "publish")}


def test_a_second_publish_before_delivery_moves_the_waiting_row_to_the_new_revision(demo, channels):
    plan = demo.plans_fa[0]
    republish(plan)
    newer = republish(plan, title="عنوان تازه")
    written = rows(plan)
    assert len(written) == 3 and all(entry.revision_id == newer.pk for entry in written.values())
    assert written["Telegram fa", "publish"].page_title == "عنوان تازه"


def test_a_channel_that_holds_the_post_gets_an_update(demo, channels):
    plan = demo.plans_fa[0]
    RemotePost.objects.create(
        channel=channels["telegram"], page_key=plan.pk, remote_id="@sso:7", posted_at=timezone.now()
    )
    republish(plan)
    assert {event for (name, event) in rows(plan) if name == "Telegram fa"} == {"update"}
    assert ("Bale fa", "publish") in rows(plan)


def test_private_and_restricted_pages_are_never_distributed(demo, channels):
    plan = demo.plans_fa[2]
    PageViewRestriction.objects.create(page=plan, restriction_type=PageViewRestriction.LOGIN)
    republish(plan)
    assert rows(plan) == {}


def test_a_blocked_or_rolled_back_publish_leaves_no_row(demo, channels):
    plan = demo.plans_fa[0]
    with pytest.raises(RuntimeError), transaction.atomic():
        republish(plan)
        raise RuntimeError("the request failed after publishing")
    assert rows(plan) == {}


def test_unpublish_cancels_waiting_publications_and_withdraws_held_posts(demo, channels):
    plan = demo.plans_fa[0]
    RemotePost.objects.create(
        channel=channels["telegram"], page_key=plan.pk, remote_id="@sso:7", posted_at=timezone.now()
    )
    republish(plan)
    Page.objects.get(pk=plan.pk).specific.unpublish()
    written = rows(plan)
    assert written["Bale fa", "publish"].status == Status.CANCELLED  # never posted: nothing to delete
    assert written["Bale fa", "publish"].reason == "Cancelled: the page was unpublished first"
    assert written["Telegram fa", "update"].status == Status.CANCELLED
    assert written["Telegram fa", "unpublish"].status == Status.PENDING  # delete the held post
    assert written["Portal", "unpublish"].status == Status.PENDING  # the portal is always told
    assert ("Bale fa", "unpublish") not in written


def test_deleting_a_page_tells_the_portal_and_keeps_the_rows(demo, channels):
    plan = demo.plans_fa[3]
    key, title = plan.pk, plan.title
    Page.objects.get(pk=plan.pk).delete()
    written = {(e.channel.name, e.event): e for e in OutboxEntry.objects.filter(page_key=key)}
    assert {("Portal", "unpublish"), ("Portal", "delete")} <= set(written)
    assert written["Portal", "delete"].page_id is None and written["Portal", "delete"].page_title == title


def test_deleting_cancels_waiting_publications_in_words(demo, channels):
    plan = demo.plans_fa[0]
    republish(plan)
    outbox.record_delete(plan)  # a deletion whose unpublish did not come first
    assert rows(plan)["Bale fa", "publish"].reason == "Cancelled: the page was deleted first"


def test_the_sweep_withdraws_posts_of_pages_that_stopped_being_public_without_a_signal(demo, channels):
    plan = demo.plans_fa[0]
    RemotePost.objects.create(
        channel=channels["telegram"],
        page_key=plan.pk,
        remote_id="@sso:7",
        posted_at=timezone.now() - timedelta(days=1),
    )
    PageViewRestriction.objects.create(page=plan, restriction_type=PageViewRestriction.LOGIN)
    assert outbox.sweep_withdrawn(force=True) == 2  # Telegram (holds a post) and the portal
    assert {("Telegram fa", "unpublish"), ("Portal", "unpublish")} == set(rows(plan, event=Event.UNPUBLISH))
    assert outbox.sweep_withdrawn(force=True) == 0  # already being withdrawn: not twice


def test_backoff_grows_exponentially_with_jitter_and_honours_retry_after(settings):
    settings.REVAYAT_DISTRIBUTION = {"backoff_base": 10, "backoff_cap": 100}
    for attempts, ceiling in [(1, 10), (2, 20), (3, 40), (4, 80), (5, 100), (9, 100)]:
        delays = {tasks.backoff(attempts) for _ in range(50)}
        assert all(ceiling / 2 <= delay <= ceiling for delay in delays) and len(delays) > 1
    assert 42 <= tasks.backoff(3, retry_after=42) <= 43
