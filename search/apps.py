"""Persian-aware search: the search key, what is indexed (passages) and the portal's and API's search."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from search.signal_handlers import register_signal_handlers

        register_signal_handlers()
