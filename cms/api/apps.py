"""The headless read API as its own app: every public page as typed JSON, plus images, documents, media,
navigation and headless previews (`cms/api/README.md`)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class APIConfig(AppConfig):
    name = "cms.api"
    label = "api"
    verbose_name = _("Headless API")
