"""A documentary film or motion graphic: video, poster, subtitles in Persian and English, transcript,
chapters."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField
from wagtailmedia.edit_handlers import MediaChooserPanel

from cms import visibility
from cms.api.fields import BASE_PAGE_API_FIELDS, ImageValueField, MediaValueField, StreamValueField
from cms.distribution.models import DistributedPageMixin
from cms.forms import ReadinessPageForm
from cms.models import BasePage
from cms.panels import ReadinessChecklistPanel
from cms.publication import ChecklistItem
from media_pipeline.images import rendition_or_none
from plans.models.media_common import chapter_list, chapters_field, media_checklist, plain_transcript_lines

REQUIRED_SUBTITLES = ("fa", "en")


class FilmPage(DistributedPageMixin, BasePage):
    class Kind(models.TextChoices):
        DOCUMENTARY = "documentary", _("Documentary film")
        MOTION_GRAPHIC = "motion_graphic", _("Motion graphic")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DOCUMENTARY)
    video = models.ForeignKey(
        "media_pipeline.MediaItem",
        verbose_name=_("video"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"type": "video"},
    )
    poster = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("poster"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown before the film plays; a frame of the film if empty."),
    )
    transcript = models.TextField(
        _("transcript"), blank=True, help_text=_("Everything said and shown as text, one paragraph per line.")
    )
    chapters = chapters_field()

    base_form_class = ReadinessPageForm
    content_panels = [
        ReadinessChecklistPanel(heading=_("Publication checklist")),
        *BasePage.content_panels,
        FieldPanel("kind"),
        MediaChooserPanel("video", media_type="video"),
        FieldPanel("poster"),
        FieldPanel("transcript"),
        FieldPanel("chapters"),
    ]
    promote_panels = [*BasePage.promote_panels, *DistributedPageMixin.distribution_panels]
    translatable_fields = [
        *BasePage.translatable_fields,
        *DistributedPageMixin.distribution_fields,
        TranslatableField("transcript"),
        TranslatableField("chapters"),
        SynchronizedField("video"),
        SynchronizedField("poster"),
        SynchronizedField("kind"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("transcript")]
    api_fields = [
        *BASE_PAGE_API_FIELDS,
        APIField("kind"),
        APIField("video", serializer=MediaValueField()),
        APIField("poster", serializer=ImageValueField("poster")),
        APIField("transcript"),
        APIField("chapters", serializer=StreamValueField()),
    ]
    parent_page_types = ["plans.PlanPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("film")
        verbose_name_plural = _("films")

    def get_distribution_payload(self):
        """Channels get the film itself (its best MP4)."""
        return {**super().get_distribution_payload(), "video": self.video}

    def publish_checklist(self):
        languages = {track["language"] for track in self.video.subtitle_tracks} if self.video else set()
        return [
            *media_checklist(self.video, _("The film's video")),
            ChecklistItem(
                "subtitles",
                _("Subtitles in Persian and English (WebVTT)"),
                set(REQUIRED_SUBTITLES) <= languages,
            ),
            ChecklistItem("transcript", _("A full transcript"), bool(self.transcript.strip())),
        ]

    def poster_image_url(self):
        """The poster image's rendition when the image is public; else the template falls back to the
        video's own poster, as far as this visitor may play the video (`{% playable %}`)."""
        public = visibility.is_public(self.poster)
        poster = rendition_or_none(self.poster, "width-1280|format-jpeg") if public else None
        return poster.url if poster else ""

    def chapter_list(self):
        return chapter_list(self.chapters)

    def transcript_lines(self):
        return plain_transcript_lines(self.transcript)
