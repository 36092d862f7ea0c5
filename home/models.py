"""The home page of each language tree and the portal's site-wide settings."""

from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from cms import visibility
from cms.api.fields import BASE_PAGE_API_FIELDS
from cms.distribution.models import DistributedPageMixin
from cms.models import IntroPage
from plans.models import PlanIndexPage


class HomePage(DistributedPageMixin, IntroPage):
    """The portal's front page: an introduction and the transformation plans."""

    promote_panels = [*IntroPage.promote_panels, *DistributedPageMixin.distribution_panels]
    translatable_fields = [*IntroPage.translatable_fields, *DistributedPageMixin.distribution_fields]
    api_fields = [*BASE_PAGE_API_FIELDS, APIField("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["plans.PlanIndexPage"]

    class Meta:
        verbose_name = _("home page")

    @cached_property
    def plan_index(self):
        """The public plan index under this home page, if any."""
        return visibility.public_pages(PlanIndexPage.objects.child_of(self)).first()


@register_setting(icon="cog")
class PortalSettings(BaseSiteSetting):
    """Branding and display choices for the public portal."""

    MONEY_UNITS = [("rial", _("Rials")), ("toman", _("Tomans (10 rials)"))]

    organization_name_fa = models.CharField(
        _("organization name (Persian)"), max_length=200, default="سازمان تأمین اجتماعی"
    )
    organization_name_en = models.CharField(
        _("organization name (English)"),
        max_length=200,
        default="Social Security Organization of Iran",
    )
    money_unit = models.CharField(
        _("show amounts in"),
        max_length=10,
        choices=MONEY_UNITS,
        default="rial",
        help_text=_("Amounts are stored in rials; choose how the portal shows them."),
    )

    panels = [
        FieldPanel("organization_name_fa"),
        FieldPanel("organization_name_en"),
        FieldPanel("money_unit"),
    ]

    class Meta:
        verbose_name = _("portal settings")
