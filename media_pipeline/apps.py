from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaPipelineConfig(AppConfig):
    name = "media_pipeline"
    verbose_name = _("Media pipeline")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from media_pipeline import signal_handlers
        from media_pipeline.images import restrict_pillow_formats

        signal_handlers.register()
        restrict_pillow_formats()
