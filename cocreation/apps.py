"""The co-creation app: a domain app beside `plans` (it may use the cms core, never the reverse)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CocreationConfig(AppConfig):
    name = "cocreation"
    verbose_name = _("Vision 1430 co-creation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from cms import visibility
        from cocreation import checks, roles, views  # noqa: F401 (checks registers itself)

        # The participant's doors: personal, never public; the privacy matrix probes them.
        visibility.register_door("cocreation_invitation", views.invitation)
        visibility.register_door(
            "cocreation_worksheet", views.worksheet, views.worksheet_data, views.save, views.submit
        )
        visibility.register_door("cocreation_signup", views.signup)
        post_migrate.connect(roles.sync_after_migrate, sender=self, dispatch_uid="cocreation_roles")

    def load_demo(self, stdout=None):
        """Called by `manage.py load_demo` for every app that has it: the co-creation demo calls."""
        from cocreation.demo import load

        return load(stdout)
