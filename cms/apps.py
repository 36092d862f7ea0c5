"""Foundations every content type shares (base page, blocks, sanitization, visibility, i18n)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Revayat foundations")

    def ready(self):
        from cms import publication
        from cms.signal_handlers import register_signal_handlers

        publication.install()
        register_signal_handlers()
        register_admin_form_fields()


def register_admin_form_fields():
    """Every admin date field takes Jalali dates and every integer field Persian digits."""
    from django.db import models
    from wagtail.admin.forms.models import register_form_field_override

    from cms.forms import JalaliDateField, JalaliDateInput, LocalizedIntegerField

    register_form_field_override(
        models.DateField, override={"form_class": JalaliDateField, "widget": JalaliDateInput}
    )
    register_form_field_override(models.IntegerField, override={"form_class": LocalizedIntegerField})
