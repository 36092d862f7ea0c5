"""The demo's channels (all disabled: `make run` never posts anywhere) and default rules.

The rules are on, so an administrator who sets a channel's credentials (REVAYAT_CHANNEL_<NAME>) and
enables it sees them apply at once.
"""

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Locale

from cms.distribution.models import Channel, ChannelKind, DistributionRule

# (name, kind, language or None for every language, target, credentials name)
DEMO_CHANNELS = (
    ("Telegram (fa)", ChannelKind.TELEGRAM, "fa", "@revayat_fa", "telegram-fa"),
    ("Bale (fa)", ChannelKind.BALE, "fa", "@revayat_fa", "bale-fa"),
    ("Eitaa (fa)", ChannelKind.EITAA, "fa", "revayat_fa", "eitaa-fa"),
    ("Instagram (fa)", ChannelKind.INSTAGRAM, "fa", "17841400000000000", "instagram-fa"),
    ("Aparat (fa)", ChannelKind.APARAT, "fa", "revayat", "aparat-fa"),
    ("X (en)", ChannelKind.X, "en", "@revayat_en", "x-en"),
    (
        "Organization portal",
        ChannelKind.PORTAL_WEBHOOK,
        None,
        "https://portal.example.org/revayat/events/",
        "portal",
    ),
)


def ensure_demo_channels():
    """Create the missing demo channels (disabled); returns {name: channel}."""
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    channels = {}
    for name, kind, language, target, credentials_name in DEMO_CHANNELS:
        channels[name], _created = Channel.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "locale": locales.get(language) if language else None,
                "target": target,
                "credentials_name": credentials_name,
                "enabled": False,
            },
        )
    return channels


def ensure_demo_rules(podcast_episode_model):
    """The demo's defaults: podcast episodes → Telegram fa and Bale fa; every page → the portal webhook."""
    channels = ensure_demo_channels()
    episode_type = ContentType.objects.get_for_model(podcast_episode_model)
    rules = (
        ("Podcast episodes → Telegram (fa)", episode_type, "Telegram (fa)"),
        ("Podcast episodes → Bale (fa)", episode_type, "Bale (fa)"),
        ("Every page → organization portal", None, "Organization portal"),
    )
    for name, page_type, channel_name in rules:
        DistributionRule.objects.get_or_create(
            name=name, defaults={"page_type": page_type, "channel": channels[channel_name], "enabled": True}
        )
