"""Podcasts: a series per plan and language, with episodes; each series publishes its own RSS feed."""

import uuid

from django.db import models
from django.http import HttpResponse, JsonResponse
from django.utils.feedgenerator import Enclosure
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import path
from wagtail.fields import RichTextField
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField
from wagtailmedia.edit_handlers import MediaChooserPanel

from cms import visibility
from cms.api.fields import (
    BASE_PAGE_API_FIELDS,
    AbsoluteUrlField,
    ImageValueField,
    MediaValueField,
    RichTextValueField,
    StreamValueField,
)
from cms.blocks import RICH_TEXT_FEATURES
from cms.distribution.models import DistributedPageMixin
from cms.forms import ReadinessPageForm
from cms.links import absolute_url, site_root_url
from cms.models import BasePage
from cms.panels import ReadinessChecklistPanel
from cms.publication import ChecklistItem
from media_pipeline.images import rendition_or_none
from plans.models.media_common import (
    VisibleRoutesMixin,
    chapter_list,
    chapters_field,
    media_checklist,
    plain_transcript_lines,
)
from plans.podcast_feed import PodcastFeed

GUID_NAMESPACE = uuid.UUID("ead4a53f-5e61-5bb0-bea4-ea4d3e1d1b5e")  # podcast:guid namespace (spec)


class PodcastSeriesPage(VisibleRoutesMixin, DistributedPageMixin, BasePage):
    """A podcast of a plan in one language; `feed/` is its RSS feed."""

    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover art"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Square, at least 1400×1400 pixels (podcast apps require it)."),
    )
    author = models.CharField(_("author"), max_length=200, blank=True)
    owner_email = models.EmailField(
        _("owner e-mail"), blank=True, help_text=_("Podcast directories send verification mail here.")
    )
    category = models.CharField(_("category"), max_length=100, default="Government")
    explicit = models.BooleanField(_("explicit content"), default=False)
    description = RichTextField(_("description"), blank=True, features=RICH_TEXT_FEATURES)

    base_form_class = ReadinessPageForm
    content_panels = [
        ReadinessChecklistPanel(heading=_("Publication checklist")),
        *BasePage.content_panels,
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("cover"),
                FieldPanel("author"),
                FieldPanel("owner_email"),
                FieldPanel("category"),
                FieldPanel("explicit"),
            ],
            heading=_("Podcast directories"),
        ),
    ]
    promote_panels = [*BasePage.promote_panels, *DistributedPageMixin.distribution_panels]
    translatable_fields = [
        *BasePage.translatable_fields,
        *DistributedPageMixin.distribution_fields,
        TranslatableField("description"),
        TranslatableField("author"),
        SynchronizedField("cover"),
        SynchronizedField("owner_email"),
        SynchronizedField("category"),
        SynchronizedField("explicit"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("description")]
    api_fields = [
        *BASE_PAGE_API_FIELDS,
        APIField("description", serializer=RichTextValueField()),
        APIField("cover", serializer=ImageValueField("cover")),
        APIField("author"),
        APIField("category"),
        APIField("explicit"),
        APIField("feed_url", serializer=AbsoluteUrlField()),
    ]
    parent_page_types = ["plans.PlanPage"]
    subpage_types = ["plans.PodcastEpisodePage"]

    class Meta:
        verbose_name = _("podcast series")
        verbose_name_plural = _("podcast series")

    def publish_checklist(self):
        return [
            ChecklistItem("cover", _("Cover art"), self.cover_id is not None),
            ChecklistItem("author", _("An author"), bool(self.author.strip())),
            ChecklistItem(
                "owner-email", _("An owner e-mail for podcast directories"), bool(self.owner_email)
            ),
        ]

    def episodes(self):
        """Public episodes with public audio, newest first (queries do not grow with the count)."""
        return (
            visibility.public_pages(PodcastEpisodePage.objects.child_of(self))
            .filter(audio__in=visibility.public_media())
            .select_related("audio", "locale")
            .prefetch_related("audio__outputs", "audio__subtitles")
            .order_by("-first_published_at", "-pk")
        )

    @property
    def feed_url(self):
        return self.url + "feed/" if self.url else ""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["episodes"] = self.episodes()
        return context

    @path("")
    def index_route(self, request):
        return self.render(request)

    @path("feed/")
    def feed(self, request):
        """The RSS feed of this series in its language."""
        root, page_url = site_root_url(self), self.get_full_url(request)
        language = self.locale.language_code
        public = visibility.is_public(self.cover)
        cover = public and rendition_or_none(self.cover, "fill-1400x1400|format-jpeg")
        cover = cover.url if cover else ""
        feed = PodcastFeed(
            title=self.title,
            link=page_url,
            description=self.summary or self.title,
            language=language,
            feed_url=page_url + "feed/",
            author_name=self.author,
            itunes={
                "author": self.author,
                "email": self.owner_email,
                "category": self.category,
                "explicit": self.explicit,
                "image": absolute_url(cover, root),
                "guid": str(uuid.uuid5(GUID_NAMESPACE, f"revayat:{self.translation_key}:{language}")),
            },
        )
        for episode in self.episodes():
            enclosure = episode.audio.enclosure
            episode_url = episode.get_full_url(request)
            feed.add_item(
                title=episode.title,
                link=episode_url,
                description=episode.summary or episode.title,
                content_html=episode.show_notes,
                pubdate=episode.first_published_at,
                unique_id=episode.guid,
                unique_id_is_permalink=False,
                enclosures=[
                    Enclosure(
                        absolute_url(enclosure["url"], root), str(enclosure["length"]), enclosure["type"]
                    )
                ],
                itunes={
                    "duration": round(episode.audio.duration),
                    "episode": episode.episode_number,
                    "season": episode.season,
                    "explicit": self.explicit,
                },
                transcripts=episode.feed_transcripts(episode_url, root),
                chapters={"url": episode_url + "chapters/", "type": "application/json+chapters"}
                if episode.chapters
                else None,
            )
        response = HttpResponse(content_type="application/rss+xml; charset=utf-8")
        feed.write(response, "utf-8")
        return response


class PodcastEpisodePage(VisibleRoutesMixin, DistributedPageMixin, BasePage):
    """One episode: audio, show notes, full transcript and chapters."""

    audio = models.ForeignKey(
        "media_pipeline.MediaItem",
        verbose_name=_("audio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"type": "audio"},
    )
    season = models.PositiveSmallIntegerField(_("season"), null=True, blank=True)
    episode_number = models.PositiveSmallIntegerField(_("episode number"), null=True, blank=True)
    show_notes = RichTextField(_("show notes"), blank=True, features=RICH_TEXT_FEATURES)
    transcript = models.TextField(
        _("transcript"), blank=True, help_text=_("Everything said in the episode, one paragraph per line.")
    )
    chapters = chapters_field()

    base_form_class = ReadinessPageForm
    content_panels = [
        ReadinessChecklistPanel(heading=_("Publication checklist")),
        *BasePage.content_panels,
        MediaChooserPanel("audio", media_type="audio"),
        MultiFieldPanel([FieldPanel("season"), FieldPanel("episode_number")], heading=_("Numbering")),
        FieldPanel("show_notes"),
        FieldPanel("transcript"),
        FieldPanel("chapters"),
    ]
    promote_panels = [*BasePage.promote_panels, *DistributedPageMixin.distribution_panels]
    translatable_fields = [
        *BasePage.translatable_fields,
        *DistributedPageMixin.distribution_fields,
        TranslatableField("show_notes"),
        TranslatableField("transcript"),
        TranslatableField("chapters"),
        SynchronizedField("audio"),
        SynchronizedField("season"),
        SynchronizedField("episode_number"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("show_notes"),
        index.SearchField("transcript"),
    ]
    api_fields = [
        *BASE_PAGE_API_FIELDS,
        APIField("audio", serializer=MediaValueField()),
        APIField("season"),
        APIField("episode_number"),
        APIField("show_notes", serializer=RichTextValueField()),
        APIField("transcript"),
        APIField("chapters", serializer=StreamValueField()),
    ]
    parent_page_types = ["plans.PodcastSeriesPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("podcast episode")
        verbose_name_plural = _("podcast episodes")

    def get_distribution_payload(self):
        """Channels get the episode's audio (its MP3) besides the text."""
        return {**super().get_distribution_payload(), "audio": self.audio}

    def publish_checklist(self):
        return [
            *media_checklist(self.audio, _("The episode's audio")),
            ChecklistItem("transcript", _("A full transcript"), bool(self.transcript.strip())),
            ChecklistItem("episode-number", _("An episode number"), self.episode_number is not None),
        ]

    @property
    def guid(self):
        """Stable across edits, moves and renames: the translation key plus the language."""
        return f"revayat:episode:{self.translation_key}:{self.locale.language_code}"

    @property
    def series(self):
        return self.get_parent().specific

    def chapter_list(self):
        return chapter_list(self.chapters)

    def transcript_lines(self):
        return plain_transcript_lines(self.transcript)

    def feed_transcripts(self, episode_url, root):
        """Podcasting 2.0 `podcast:transcript` entries: the plain text, and the timed WebVTT of the audio
        in the episode's language when it has one (apps show it as captions)."""
        language = self.locale.language_code
        transcripts = []
        if self.transcript:
            transcripts.append(
                {"url": episode_url + "transcript/", "type": "text/plain", "language": language}
            )
        for track in self.audio.subtitle_tracks if self.audio else []:
            if track["language"] == language:
                transcripts.append(
                    {
                        "url": absolute_url(track["url"], root),
                        "type": "text/vtt",
                        "language": language,
                        "rel": "captions",
                    }
                )
        return transcripts

    @path("")
    def index_route(self, request):
        return self.render(request)

    @path("transcript/")
    def transcript_file(self, request):
        if not self.transcript:
            return HttpResponse(status=404)
        return HttpResponse(self.transcript, content_type="text/plain; charset=utf-8")

    @path("chapters/")
    def chapters_file(self, request):
        """Podcasting 2.0 JSON chapters."""
        chapters = [{"startTime": c["start"], "title": c["title"]} for c in self.chapter_list()]
        return JsonResponse(
            {"version": "1.2.0", "chapters": chapters},
            content_type="application/json+chapters; charset=utf-8",
            json_dumps_params={"ensure_ascii": False},
        )
