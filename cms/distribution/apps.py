"""Distribution as its own app: publish once, reach the organization portal, social channels and feeds."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DistributionConfig(AppConfig):
    name = "cms.distribution"
    label = "distribution"
    verbose_name = _("Distribution")

    def ready(self):
        from cms.distribution.signal_handlers import register_signal_handlers

        register_signal_handlers()
