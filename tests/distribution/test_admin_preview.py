"""The per-page distribution preview (/admin/distribution/page/<id>/preview/) as editors see it.

- one section per channel the page's latest draft would go to (default rules and the page's own
  choices, minus the channels it turns off), with the text as the channel's adapter renders it;
- Persian posts are right-to-left (`dir="rtl" lang="fa"`), English ones left-to-right;
- the counter reads "length / limit" in the channel's unit with Persian digits in the Persian admin,
  and a post longer than the channel allows is flagged;
- only users who can edit the page see it.
"""

import json

import pytest
from django.urls import reverse

from cms import i18n
from cms.distribution.channels import adapter_class
from cms.distribution.models import Channel, ChannelKind, DistributionRule, Event
from cms.distribution.posts import post_for
from cms.distribution.routing import channels_for
from tests.distribution.admin_helpers import make_channel

OVERRIDE = "روایت‌ِ تازه: طرح تحول در تأمین اجتماعی 🎧 #تأمین_اجتماعی"


def preview_url(page):
    return reverse("distribution:page_preview", args=[page.pk])


def save_draft(page, blocks):
    """A new draft revision of `page` with these per-channel settings (the live page is unchanged)."""
    page.distribution = json.dumps([{"type": "channel", "value": value} for value in blocks])
    page.save_revision()
    return page


def adapter_preview(page, channel):
    """What the channel's adapter itself renders for the page's latest draft."""
    draft = page.get_latest_revision_as_object()
    settings = channels_for(draft)[channel]
    post = post_for(draft, Event.PUBLISH, channel_settings=settings)
    return adapter_class(channel.kind)(channel, credentials={}, client=None).preview(post)


@pytest.fixture
def channels(demo):
    """Telegram and Bale in Persian (Telegram by a default rule), X in English, and a disabled Eitaa."""
    telegram = make_channel("Telegram fa", locale=demo.locale_fa)
    bale = make_channel("Bale fa", kind=ChannelKind.BALE, locale=demo.locale_fa)
    x = make_channel("X en", kind=ChannelKind.X, locale=demo.locale_en)
    eitaa = make_channel("Eitaa fa", kind=ChannelKind.EITAA, locale=demo.locale_fa, enabled=False)
    DistributionRule.objects.create(name="Everything → Telegram fa", channel=telegram)
    DistributionRule.objects.create(name="Everything → X en", channel=x)
    return {"telegram": telegram, "bale": bale, "x": x, "eitaa": eitaa}


def sections(html):
    return html.count('class="revayat-post"')


def test_the_persian_draft_as_each_channel_shows_it(login, demo, channels):
    page = save_draft(
        demo.plans_fa[0],
        [
            {"channel": channels["bale"].pk, "send": True, "text": OVERRIDE, "crop": "portrait"},
            {"channel": channels["eitaa"].pk, "send": True, "text": "disabled channel", "crop": "square"},
        ],
    )
    response = login("editor").get(preview_url(page))
    assert response.status_code == 200
    html = response.content.decode()
    assert sections(html) == 2  # Telegram (rule) and Bale (the page's own); not the disabled Eitaa
    assert f'data-channel="{channels["telegram"].pk}"' in html
    assert f'data-channel="{channels["bale"].pk}"' in html
    assert "disabled channel" not in html
    assert html.count('<div class="revayat-post__text" dir="rtl" lang="fa">') == 2
    for channel in (channels["telegram"], channels["bale"]):
        shown = adapter_preview(page, channel)
        counter = f"{i18n.format_number(shown['length'])} / {i18n.format_number(shown['limit'])}"
        assert counter in html  # «۱۳۸ / ۴٬۰۹۶»
    assert OVERRIDE in html  # ZWNJ, emoji and hashtag kept, from the draft (not the live page)
    assert 'class="help-block revayat-post__shortened"' not in html
    image = page.get_distribution_payload()["image"]
    assert image is not None  # the plan's hero image, in the crop each channel uses
    assert html.count('<img class="revayat-post__image" src="/media/images/') == 2
    assert "برش: عمودی ۱۰۸۰×۱۳۵۰" in html and "برش: مربع ۱۰۸۰×۱۰۸۰" in html
    assert "متن ویژهٔ این کانال" in html


def test_a_channel_the_page_turns_off_is_not_previewed(login, demo, channels):
    page = save_draft(
        demo.plans_fa[0], [{"channel": channels["telegram"].pk, "send": False, "text": "", "crop": "square"}]
    )
    html = login("editor").get(preview_url(page)).content.decode()
    assert sections(html) == 0
    assert "هیچ کانال فعالی این صفحه را دریافت نمی‌کند" in html
    disabled = Channel.objects.filter(enabled=False).count()  # Eitaa and the demo's channels
    assert f"{i18n.to_persian_digits(disabled)} کانال غیرفعال است" in html


def test_a_post_longer_than_the_channel_allows_is_cut_or_flagged(login, demo, channels):
    page = save_draft(
        demo.plans_fa[0],
        [{"channel": channels["bale"].pk, "send": True, "text": "روایت " * 1200, "crop": "square"}],
    )
    html = login("editor").get(preview_url(page)).content.decode()
    shown = adapter_preview(page, channels["bale"])
    over = shown["length"] > shown["limit"]
    assert ("بلندتر از حد مجاز کانال" in html) == over
    assert ('class="error-message revayat-post__warning"' in html) == over
    assert over or "revayat-post__shortened" in html  # the adapter cut it to fit instead


def test_the_english_translation_is_left_to_right(login, demo, channels):
    page = demo.plans_en[0]
    html = login("admin").get(preview_url(page)).content.decode()
    assert sections(html) == 1 and f'data-channel="{channels["x"].pk}"' in html
    assert '<div class="revayat-post__text" dir="ltr" lang="en">' in html
    shown = adapter_preview(page, channels["x"])
    assert shown["text"].split("\n")[0][:40] in html


@pytest.mark.parametrize(
    "role, allowed", [("editor", True), ("translator", False), ("reviewer", False), ("admin", True)]
)
def test_only_those_who_can_edit_the_page_see_its_preview(role, allowed, login, demo, channels):
    response = login(role).get(preview_url(demo.plans_fa[0]))
    assert (response.status_code == 200) is allowed


def test_the_page_header_offers_the_preview(login, demo, channels):
    edit = login("editor").get(reverse("wagtailadmin_pages:edit", args=[demo.plans_fa[0].pk]))
    assert preview_url(demo.plans_fa[0]) in edit.content.decode()
    assert "پیش‌نمایش توزیع" in edit.content.decode()


def test_a_disabled_channel_the_page_would_go_to_is_shown_as_disabled(login, demo, channels):
    """Issue 14, item 7: the preview says "channel disabled" rather than leaving the channel out."""
    page = save_draft(
        demo.plans_fa[0],
        [{"channel": channels["eitaa"].pk, "send": True, "text": "disabled channel", "crop": "square"}],
    )
    html = login("editor").get(preview_url(page), HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert f'data-channel="{channels["eitaa"].pk}" data-disabled' in html
    assert "کانال غیرفعال است" in html
    assert "disabled channel" not in html  # nothing is rendered for it: nothing will be posted
    assert sections(html) == 1  # Telegram (rule) is previewed as before

    page = save_draft(page, [{"channel": channels["eitaa"].pk, "send": False, "text": "", "crop": "square"}])
    html = login("editor").get(preview_url(page)).content.decode()
    assert f'data-channel="{channels["eitaa"].pk}" data-disabled' not in html  # turned off: nothing to say


def test_instagram_without_an_image_is_refused_in_the_preview(login, demo):
    instagram = make_channel("Instagram fa", kind=ChannelKind.INSTAGRAM, locale=demo.locale_fa)
    page = demo.plans_fa[0].specific_class.objects.get(pk=demo.plans_fa[0].pk)
    image = page.social_image or page.hero_image
    assert image is not None
    blocks = [{"channel": instagram.pk, "send": True, "text": "", "crop": "square"}]
    html = login("editor").get(preview_url(save_draft(page, blocks)), HTTP_ACCEPT_LANGUAGE="fa")
    assert "revayat-post__refusal" not in html.content.decode()

    page.social_image = page.hero_image = None
    html = login("editor").get(preview_url(save_draft(page, blocks)), HTTP_ACCEPT_LANGUAGE="fa")
    html = html.content.decode()
    assert 'class="error-message revayat-post__refusal"' in html
    assert "اینستاگرام" in html
