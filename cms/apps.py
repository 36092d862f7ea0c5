"""Foundations every content type shares (base page, blocks, sanitization, visibility, i18n)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Revayat foundations")

    def ready(self):
        from cms import jalali, publication
        from cms.signal_handlers import register_signal_handlers

        publication.install()
        register_signal_handlers()
        register_admin_form_fields()
        jalali.install()
        register_visibility()


def register_visibility():
    """The files the door answers for (renditions, media outputs, subtitles) and the public doors
    served by Wagtail's own views; the project's views register themselves."""
    from wagtail import views as wagtail_views
    from wagtail.documents.views import serve as document_views
    from wagtail.images import get_image_model

    from cms import visibility
    from media_pipeline import views as media_views
    from media_pipeline.models import MediaOutput, Subtitle

    visibility.register_owned(
        get_image_model().get_rendition_model(), lambda rendition: rendition.image, "images/"
    )
    visibility.register_owned(MediaOutput, lambda output: output.media, "media_outputs/")
    visibility.register_owned(Subtitle, lambda subtitle: subtitle.media, "media_subtitles/")
    for name in ("portal_page", "portal_listings", "language_alternates"):
        visibility.register_door(name, wagtail_views.serve)
    # media_pipeline's document view wraps Wagtail's, serving mismatched content as a download.
    visibility.register_door(
        "documents",
        document_views.serve,
        media_views.serve_document,
        document_views.authenticate_with_password,
    )


def register_admin_form_fields():
    """Every admin date field takes Jalali dates and every integer and decimal field Persian digits, in a
    text input (`type=number` drops them); date-time fields keep Wagtail's widget, Jalali on fa by
    `cms.jalali`."""
    from django.db import models
    from wagtail.admin.forms.models import register_form_field_override

    from cms.forms import (
        JalaliDateField,
        JalaliDateInput,
        LocalizedDecimalField,
        LocalizedIntegerField,
        LocalizedNumberInput,
    )

    register_form_field_override(
        models.DateField, override={"form_class": JalaliDateField, "widget": JalaliDateInput}
    )
    register_form_field_override(
        models.IntegerField,
        override={"form_class": LocalizedIntegerField, "widget": LocalizedNumberInput},
    )
    register_form_field_override(
        models.DecimalField,
        override={"form_class": LocalizedDecimalField, "widget": LocalizedNumberInput(decimal=True)},
    )
