"""Channels and default rules in the admin (Distribution menu), as each editorial role.

- every admin user but translators sees the channel list with kind, language, enabled and the credentials
  status (which key is missing and which environment variable to set), never a secret value (translators
  read no channel configuration: tests/workflow/test_role_access.py);
- only Site administrators (and superusers) add or change channels and rules;
- a rule's page type is chosen among the page models only.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.models import get_page_models

from cms.distribution.models import Channel, ChannelKind, DistributionRule
from plans.models import PodcastEpisodePage
from tests.distribution.admin_helpers import make_channel

SECRET = "7781234567:SECRET-token-never-shown"
CHANNELS = "/admin/snippets/distribution/channel/"
RULES = "/admin/snippets/distribution/distributionrule/"


@pytest.fixture
def channels(demo, monkeypatch):
    """A Telegram channel whose token is set, and a Bale channel whose token is not."""
    monkeypatch.setenv("REVAYAT_CHANNEL_TELEGRAM_SECRET", SECRET)
    monkeypatch.delenv("REVAYAT_CHANNEL_BALE_UNSET", raising=False)
    telegram = make_channel("Telegram configured", locale=demo.locale_fa, credentials_name="telegram-secret")
    bale = make_channel(
        "Bale unconfigured",
        kind=ChannelKind.BALE,
        locale=demo.locale_fa,
        credentials_name="bale-unset",
        enabled=False,
    )
    return telegram, bale


@pytest.mark.parametrize("role", ["editor", "reviewer", "approver", "admin"])
def test_every_role_sees_channels_and_credentials_status_but_never_the_secret(role, login, channels, demo):
    client = login(role)
    response = client.get(CHANNELS)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Telegram configured" in html and "Bale unconfigured" in html
    assert "REVAYAT_CHANNEL_BALE_UNSET" in html and "تنظیم نشده" in html  # what to set where it lacks
    assert "تلگرام" in html  # the kind, in Persian
    for url in (
        CHANNELS,
        reverse("wagtailsnippets_distribution_channel:edit", args=[channels[0].pk]),
        RULES,
        "/admin/distribution/",
        reverse("distribution:page_preview", args=[demo.plans_fa[0].pk]),
    ):
        assert SECRET not in client.get(url).content.decode()
        assert "SECRET-token" not in client.get(url).content.decode()


def test_the_distribution_menu_lists_channels_and_rules(login, channels):
    html = login("editor").get("/admin/").content.decode()
    assert CHANNELS in html and RULES in html


@pytest.mark.parametrize(
    "role, allowed",
    [("editor", False), ("translator", False), ("reviewer", False), ("approver", False), ("admin", True)],
)
def test_only_site_administrators_change_channels(role, allowed, login, channels):
    client = login(role)
    telegram = channels[0]
    edit = reverse("wagtailsnippets_distribution_channel:edit", args=[telegram.pk])
    data = {
        "name": "Renamed",
        "kind": "telegram",
        "locale": "",
        "target": "@renamed",
        "base_url": "",
        "credentials_name": "telegram-secret",
        "enabled": "on",
    }
    response = client.post(edit, data)
    telegram.refresh_from_db()
    assert (telegram.name == "Renamed") is allowed, response.status_code
    add = reverse("wagtailsnippets_distribution_channel:add")
    created = client.post(add, {**data, "name": "New channel"})
    assert Channel.objects.filter(name="New channel").exists() is allowed, created.status_code
    assert (add in client.get(CHANNELS).content.decode()) is allowed


def test_a_rule_chooses_among_page_types(login, channels):
    client = login("admin")
    response = client.get(reverse("wagtailsnippets_distribution_distributionrule:add"))
    field = response.context["form"].fields["page_type"]
    choices = {int(str(value)) for value, _label in field.choices if value}
    page_types = {
        content_type.pk for content_type in ContentType.objects.get_for_models(*get_page_models()).values()
    }
    assert choices == page_types
    not_a_page = ContentType.objects.get_for_model(Channel)
    refused = client.post(
        reverse("wagtailsnippets_distribution_distributionrule:add"),
        {
            "name": "Channels of channels",
            "page_type": not_a_page.pk,
            "channel": channels[0].pk,
            "enabled": "on",
        },
    )
    assert refused.status_code == 200 and not DistributionRule.objects.filter(page_type=not_a_page).exists()
    episode = ContentType.objects.get_for_model(PodcastEpisodePage)
    client.post(
        reverse("wagtailsnippets_distribution_distributionrule:add"),
        {"name": "Episodes → Telegram", "page_type": episode.pk, "channel": channels[0].pk, "enabled": "on"},
    )
    rule = DistributionRule.objects.get(name="Episodes → Telegram")
    assert rule.page_type == episode
    listing = client.get(RULES).content.decode()
    assert str(PodcastEpisodePage._meta.verbose_name) in listing


def test_the_demo_channels_exist_and_are_all_disabled(demo):
    names = set(Channel.objects.values_list("name", flat=True))
    assert {
        "تلگرام (فارسی)",
        "بله (فارسی)",
        "ایتا (فارسی)",
        "اینستاگرام (فارسی)",
        "آپارات (فارسی)",
        "ایکس (انگلیسی)",
        "درگاه سازمان",
    } <= names
    assert not Channel.objects.filter(enabled=True).exists()
    assert DistributionRule.objects.filter(channel__name="درگاه سازمان", page_type=None).exists()
    assert set(
        DistributionRule.objects.filter(page_type__model="podcastepisodepage").values_list(
            "channel__name", flat=True
        )
    ) == {"تلگرام (فارسی)", "بله (فارسی)"}
