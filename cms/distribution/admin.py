"""Distribution in the Wagtail admin: channels and default rules as snippets."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.distribution.models import Channel, DistributionRule


class ChannelViewSet(SnippetViewSet):
    model = Channel
    icon = "globe"
    list_display = ["name", "kind", "locale", "enabled"]
    list_filter = ["kind", "enabled"]


class DistributionRuleViewSet(SnippetViewSet):
    model = DistributionRule
    icon = "tasks"
    list_display = ["name", "page_type", "channel", "enabled"]


class DistributionViewSetGroup(SnippetViewSetGroup):
    items = (ChannelViewSet, DistributionRuleViewSet)
    menu_icon = "globe"
    menu_label = _("Distribution")
    menu_name = "distribution"
