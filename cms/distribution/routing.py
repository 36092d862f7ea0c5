"""Which channels a page goes to: the enabled default rules for its type and language, corrected by the
page's own distribution settings. A question of its own, asked both when a publication writes outbox rows
and when the admin previews a draft's posts, so it reads only rules, channels and the page, and writes
nothing.
"""

from django.db.models import Q

from cms.distribution.models import Channel, DistributionRule


def _language_matches(channel, page):
    return channel.locale_id is None or channel.locale_id == page.locale_id


def channels_for(page):
    """{channel: per-page settings or None} that a public page in this revision goes to.

    Enabled default rules for its type (or every type) in its language, plus the channels the page adds,
    minus those the page turns off.
    """
    chosen = {}
    rules = (
        DistributionRule.objects.filter(enabled=True, channel__enabled=True)
        .filter(Q(page_type__isnull=True) | Q(page_type_id=page.content_type_id))
        .select_related("channel")
    )
    for rule in rules:
        if _language_matches(rule.channel, page):
            chosen[rule.channel] = None
    settings_by_channel = {}
    for block in getattr(page, "distribution", None) or []:
        value = block.value
        if value.get("channel") is not None:
            settings_by_channel[value["channel"].pk] = value
    if settings_by_channel:
        for channel in Channel.objects.filter(pk__in=settings_by_channel, enabled=True):
            value = settings_by_channel[channel.pk]
            if value.get("send") and _language_matches(channel, page):
                chosen[channel] = value
            else:
                chosen.pop(channel, None)
    return chosen


def disabled_channels_for(page):
    """Channels this page would go to (by an enabled rule for its type and language, or by its own
    choice) if they were not disabled: the preview says so instead of leaving them out silently."""
    disabled = {}
    rules = (
        DistributionRule.objects.filter(enabled=True, channel__enabled=False)
        .filter(Q(page_type__isnull=True) | Q(page_type_id=page.content_type_id))
        .select_related("channel")
    )
    for rule in rules:
        if _language_matches(rule.channel, page):
            disabled[rule.channel.pk] = rule.channel
    wanted = {}
    for block in getattr(page, "distribution", None) or []:
        value = block.value
        if value.get("channel") is not None:
            wanted[value["channel"].pk] = bool(value.get("send"))
    for channel in Channel.objects.filter(pk__in=wanted, enabled=False):
        if wanted[channel.pk] and _language_matches(channel, page):
            disabled[channel.pk] = channel
        else:
            disabled.pop(channel.pk, None)  # turned off by the page anyway
    return sorted(disabled.values(), key=lambda channel: channel.name)
