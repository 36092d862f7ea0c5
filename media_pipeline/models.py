"""Audio and video on wagtailmedia, extended with processing state, outputs and subtitles.

An upload is validated by content (`validation.py`), saved to the private storage, and processed after
commit by a background task (`tasks.py`) into public outputs: MP3 + AAC for audio; 360p/720p MP4, an HLS
playlist and a poster for video. Pages must not publish media that is not `ready`.
"""

import mimetypes
import posixpath
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.search import index
from wagtailmedia.models import AbstractMedia

from media_pipeline.storage import public_storage
from media_pipeline.types import MEDIA_TYPES


class Status(models.TextChoices):
    PENDING = "pending", _("Waiting to be processed")
    PROCESSING = "processing", _("Processing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class MediaItem(AbstractMedia):
    """An audio or video item; the uploaded original stays private, its outputs are public."""

    file = models.FileField(upload_to="media_originals", verbose_name=_("file"), max_length=255)
    key = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    file_size = models.BigIntegerField(_("file size"), null=True, blank=True, editable=False)
    mime_type = models.CharField(_("MIME type"), max_length=60, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, editable=False
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, editable=False)
    failure_reason = models.TextField(_("failure reason"), blank=True, editable=False)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True, editable=False)
    loudness_lufs = models.FloatField(_("loudness (LUFS)"), null=True, blank=True, editable=False)
    tag_artist = models.CharField(_("artist (from tags)"), max_length=255, blank=True, editable=False)
    processed_file = models.CharField(max_length=255, blank=True, editable=False)

    admin_form_fields = ("title", "file", "collection", "tags")
    # As Wagtail's images and documents: search can be limited to some items (the API's public ones).
    search_fields = [*AbstractMedia.search_fields, index.FilterField("id")]

    class Meta(AbstractMedia.Meta):
        verbose_name = _("media")
        verbose_name_plural = _("media items")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._saved_file_name = self.file.name
        self.file_replaced = False

    def clean(self):
        """wagtailmedia's checks, except that without a file (the form refused the upload and said why)
        its extension check would add "File extension '' is not allowed" beside the real reason."""
        if self.file:
            return super().clean()
        if not self.duration:
            self.duration = 0
        return None

    def save(self, *args, **kwargs):
        """Save; a new or replaced file goes back to pending, and `signal_handlers` queues its processing
        (it reads `file_replaced` in post_save)."""
        self.file_replaced = self.file.name != self._saved_file_name
        if self.file_replaced:
            self.status, self.progress, self.failure_reason = Status.PENDING, 0, ""
        super().save(*args, **kwargs)
        self._saved_file_name = self.file.name

    # Outputs, as the portal, the API and the feeds need them ------------------------------------
    @property
    def is_ready(self):
        return self.status == Status.READY

    def output(self, kind):
        """The first output of this kind (uses prefetched outputs when present), or None."""
        return next((output for output in self.outputs.all() if output.kind == kind), None)

    def output_url(self, kind):
        output = self.output(kind)
        return output.url if output else ""

    @property
    def poster_url(self):
        return self.output_url(MediaOutput.Kind.POSTER)

    @property
    def hls_url(self):
        return self.output_url(MediaOutput.Kind.HLS)

    @property
    def sources(self):
        """Playable sources, best first: [{"src", "type", "size", "label"}]; empty until ready."""
        if not self.is_ready:
            return []
        order = [
            MediaOutput.Kind.MP4_720,
            MediaOutput.Kind.MP4_360,
            MediaOutput.Kind.AAC,
            MediaOutput.Kind.MP3,
        ]
        outputs = sorted(
            (o for o in self.outputs.all() if o.kind in order), key=lambda o: order.index(o.kind)
        )
        return [
            {"src": o.url, "type": o.mime_type, "size": o.size, "label": o.get_kind_display()}
            for o in outputs
        ]

    @property
    def enclosure(self):
        """The MP3 as a podcast enclosure: {"url", "length", "type"}, or None."""
        mp3 = self.output(MediaOutput.Kind.MP3)
        return {"url": mp3.url, "length": mp3.size, "type": mp3.mime_type} if mp3 else None

    @property
    def subtitle_tracks(self):
        """[{"language", "label", "url", "default"}] for <track> elements and the API."""
        return [
            {
                "language": s.language,
                "label": s.label or s.get_language_display(),
                "url": s.file.url,
                "default": index == 0,
            }
            for index, s in enumerate(sorted(self.subtitles.all(), key=lambda s: s.language != "fa"))
        ]

    def delete_outputs(self):
        """Remove every output row and its stored object."""
        for output in list(self.outputs.all()):
            output.delete()


def output_upload_to(instance, filename):
    return f"media_outputs/{instance.media.key}/{filename}"


class MediaOutput(models.Model):
    """One public file made from a media item (an HLS playlist's segments are outputs too)."""

    class Kind(models.TextChoices):
        MP3 = "mp3", _("MP3 audio")
        AAC = "aac", _("AAC audio")
        MP4_360 = "mp4_360", _("MP4 360p")
        MP4_720 = "mp4_720", _("MP4 720p")
        HLS = "hls", _("HLS playlist")
        HLS_PART = "hls_part", _("HLS variant or segment")
        POSTER = "poster", _("Poster frame")

    media = models.ForeignKey(MediaItem, on_delete=models.CASCADE, related_name="outputs")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to=output_upload_to, storage=public_storage, max_length=255)
    size = models.BigIntegerField(default=0)
    mime_type = models.CharField(max_length=60)

    class Meta:
        verbose_name = _("media output")
        ordering = ["media", "kind", "file"]

    def __str__(self):
        return f"{self.media} · {self.get_kind_display()}"

    @property
    def url(self):
        return self.file.url

    @property
    def filename(self):
        return posixpath.basename(self.file.name)

    @staticmethod
    def guess_type(filename):
        extension = posixpath.splitext(filename)[1].lower()
        return MEDIA_TYPES.get(extension) or mimetypes.guess_type(filename)[0] or "application/octet-stream"


def subtitle_upload_to(instance, filename):
    return f"media_subtitles/{instance.media.key}/{instance.language}.vtt"


class Subtitle(models.Model):
    """A WebVTT subtitle track of a video in one language (fa cues are made right-to-left safe)."""

    class Language(models.TextChoices):
        FA = "fa", _("Persian")
        EN = "en", _("English")

    media = models.ForeignKey(
        MediaItem,
        on_delete=models.CASCADE,
        related_name="subtitles",
        verbose_name=_("video"),
        limit_choices_to={"type": "video"},
    )
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    label = models.CharField(
        _("label"),
        max_length=60,
        blank=True,
        help_text=_("Shown in the player's subtitle menu; the language name if empty."),
    )
    file = models.FileField(
        _("WebVTT file"), upload_to=subtitle_upload_to, storage=public_storage, max_length=255
    )

    class Meta:
        verbose_name = _("subtitle track")
        verbose_name_plural = _("subtitle tracks")
        constraints = [
            models.UniqueConstraint(fields=["media", "language"], name="one_subtitle_per_language"),
        ]

    def __str__(self):
        return f"{self.media} · {self.get_language_display()}"
