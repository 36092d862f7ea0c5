"""The demo's channels (all disabled: `make run` never posts anywhere) and default rules.

The rules are on, so an administrator who sets a channel's credentials (REVAYAT_CHANNEL_<NAME>) and
enables it sees them apply at once.
"""

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Locale

from cms.distribution.models import Channel, ChannelKind, DistributionRule

# (name, kind, language or None for every language, target, credentials name)
TELEGRAM_FA, BALE_FA, PORTAL = "تلگرام (فارسی)", "بله (فارسی)", "درگاه سازمان"
DEMO_CHANNELS = (
    (TELEGRAM_FA, ChannelKind.TELEGRAM, "fa", "@revayat_fa", "telegram-fa"),
    (BALE_FA, ChannelKind.BALE, "fa", "@revayat_fa", "bale-fa"),
    ("ایتا (فارسی)", ChannelKind.EITAA, "fa", "revayat_fa", "eitaa-fa"),
    ("اینستاگرام (فارسی)", ChannelKind.INSTAGRAM, "fa", "17841400000000000", "instagram-fa"),
    ("آپارات (فارسی)", ChannelKind.APARAT, "fa", "revayat", "aparat-fa"),
    ("ایکس (انگلیسی)", ChannelKind.X, "en", "@revayat_en", "x-en"),
    (PORTAL, ChannelKind.PORTAL_WEBHOOK, None, "https://portal.example.org/revayat/events/", "portal"),
)
# The names earlier versions gave the demo channels and rules (the admin shows names as they are, so they
# are Persian now); a demo loaded before is renamed rather than duplicated.
ENGLISH_NAMES = {
    "Telegram (fa)": TELEGRAM_FA,
    "Bale (fa)": BALE_FA,
    "Eitaa (fa)": "ایتا (فارسی)",
    "Instagram (fa)": "اینستاگرام (فارسی)",
    "Aparat (fa)": "آپارات (فارسی)",
    "X (en)": "ایکس (انگلیسی)",
    "Organization portal": PORTAL,
}
DEMO_RULES = (
    ("قسمت‌های پادکست ← تلگرام (فارسی)", "episodes", TELEGRAM_FA, "Podcast episodes → Telegram (fa)"),
    ("قسمت‌های پادکست ← بله (فارسی)", "episodes", BALE_FA, "Podcast episodes → Bale (fa)"),
    ("همهٔ صفحه‌ها ← درگاه سازمان", None, PORTAL, "Every page → organization portal"),
)


def ensure_demo_channels():
    """Create the missing demo channels (disabled); returns {name: channel}."""
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    for english, persian in ENGLISH_NAMES.items():
        if not Channel.objects.filter(name=persian).exists():
            Channel.objects.filter(name=english).update(name=persian)
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
    for name, page_types, channel_name, english in DEMO_RULES:
        if not DistributionRule.objects.filter(name=name).exists():
            DistributionRule.objects.filter(name=english).update(name=name)
        DistributionRule.objects.get_or_create(
            name=name,
            defaults={
                "page_type": episode_type if page_types else None,
                "channel": channels[channel_name],
                "enabled": True,
            },
        )
