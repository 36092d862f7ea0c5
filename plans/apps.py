"""The domain: SSO's transformation plans, their 8-section reports and executive summaries."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Transformation plans")

    def ready(self):
        from plans.signal_handlers import register_signal_handlers

        register_signal_handlers()
