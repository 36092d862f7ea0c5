import mimetypes

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from media_pipeline.types import MEDIA_TYPES


class MediaPipelineConfig(AppConfig):
    name = "media_pipeline"
    verbose_name = _("Media pipeline")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from media_pipeline import signal_handlers
        from media_pipeline.images import restrict_pillow_formats

        for extension, content_type in MEDIA_TYPES.items():
            mimetypes.add_type(content_type, extension)
        signal_handlers.register()
        restrict_pillow_formats()
