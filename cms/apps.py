"""Foundations every content type shares (base page, blocks, sanitization, visibility, i18n)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Revayat foundations")

    def ready(self):
        from cms.signal_handlers import register_signal_handlers

        register_signal_handlers()
