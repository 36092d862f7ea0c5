"""Channels and default rules in the admin, and who may act on distribution.

Every admin user sees the report; the channels and rules are read by the roles granted their "view"
permission (`cms.workflow.roles`: not translators) and changed only by holders of the models' own
change permissions (Site administrators, superusers); only holders of `distribution.act_on_outboxentry`
(the publishing roles: Approvers, Site administrators) and superusers retry, cancel or mark outbox rows
as sent.
"""

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.models import get_page_models
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.distribution.credentials import credentials_status
from cms.distribution.models import Channel, DistributionRule


def can_act_on_outbox(user):
    """Whether `user` may retry, cancel or mark outbox rows as sent (the publishing roles)."""
    return user.is_active and user.has_perm("distribution.act_on_outboxentry")


def can_view_distribution(user):
    """Whether `user` may see channels, rules and the report (any admin user)."""
    return user.is_active and (user.is_superuser or user.has_perm("wagtailadmin.access_admin"))


class CredentialsColumn(Column):
    """ "ok", or what is missing and which environment variable to set; never a secret value."""

    def get_value(self, instance):
        status = credentials_status(instance)
        if status == "ok":
            return _("ok")
        return format_html(
            '<span class="w-status w-status--label">{}</span> <bdi>{}</bdi>', _("not set"), status
        )


class PageTypeColumn(Column):
    def get_value(self, instance):
        if instance.page_type is None:
            return _("Every page type")
        model = instance.page_type.model_class()
        return capfirst(model._meta.verbose_name) if model else instance.page_type.model


class ChannelViewSet(SnippetViewSet):
    model = Channel
    icon = "globe"
    list_display = [
        "name",
        "kind",
        "locale",
        BooleanColumn("enabled", label=_("enabled")),
        CredentialsColumn("credentials", label=_("credentials")),
    ]
    list_filter = ["kind", "enabled"]
    search_fields = ["name"]
    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("locale"),
        FieldPanel("target"),
        FieldPanel("base_url"),
        FieldPanel("credentials_name"),
        FieldPanel("enabled"),
    ]

    def get_queryset(self, request):
        return Channel.objects.select_related("locale")


class PageTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return capfirst(obj.model_class()._meta.verbose_name)


class DistributionRuleForm(WagtailAdminModelForm):
    """The page type is one of the site's page models (empty: every page type)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        page_types = ContentType.objects.get_for_models(*get_page_models()).values()
        self.fields["page_type"] = PageTypeChoiceField(
            queryset=ContentType.objects.filter(pk__in=[content_type.pk for content_type in page_types]),
            required=False,
            label=self.fields["page_type"].label,
            help_text=self.fields["page_type"].help_text,
            empty_label=_("Every page type"),
        )


class DistributionRuleViewSet(SnippetViewSet):
    model = DistributionRule
    icon = "list-ul"
    list_display = [
        "name",
        PageTypeColumn("page_type", label=_("page type")),
        "channel",
        BooleanColumn("enabled", label=_("enabled")),
    ]
    list_filter = ["channel", "enabled"]
    search_fields = ["name"]
    edit_handler = ObjectList(
        [FieldPanel("name"), FieldPanel("page_type"), FieldPanel("channel"), FieldPanel("enabled")],
        base_form_class=DistributionRuleForm,
    )

    def get_queryset(self, request):
        return DistributionRule.objects.select_related("channel", "page_type")


class DistributionGroup(SnippetViewSetGroup):
    menu_label = _("Distribution")
    menu_icon = "globe"
    menu_name = "distribution"
    menu_order = 310
    items = (ChannelViewSet, DistributionRuleViewSet)
