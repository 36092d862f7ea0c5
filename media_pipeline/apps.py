import mimetypes

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Types the pipeline's outputs need whatever /etc/mime.types says (Debian's maps .ts to Qt Linguist), so
# that the local media view, S3 uploads and the static server agree.
MEDIA_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".ts": "video/mp2t",
    ".m4s": "video/iso.segment",
    ".m4a": "audio/mp4",
    ".vtt": "text/vtt",
}


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
