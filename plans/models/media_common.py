"""What the multimedia pages share: chapters, the media-readiness checklist item, routes behind the
visibility check."""

import re

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import StreamField

from cms import visibility
from cms.blocks import StructBlock
from cms.publication import ChecklistItem

TIMECODE = r"^(?:\d{1,2}:)?[0-5]?\d:[0-5]\d$"


def timecode_seconds(value):
    """ "1:02:03" → 3723, "02:03" → 123."""
    seconds = 0
    for part in value.split(":"):
        seconds = seconds * 60 + int(part)
    return seconds


class ChapterBlock(StructBlock):
    start = blocks.RegexBlock(
        regex=TIMECODE,
        label=_("starts at"),
        help_text=_("mm:ss or h:mm:ss"),
        error_messages={"invalid": _("Write the start as mm:ss or h:mm:ss, e.g. 01:30.")},
    )
    title = blocks.CharBlock(label=_("title"), max_length=200)

    class Meta:
        icon = "time"
        label = _("Chapter")


def chapters_field():
    return StreamField([("chapter", ChapterBlock())], blank=True, verbose_name=_("chapters"))


def chapter_list(stream):
    """[{"start": seconds, "start_label": "01:30", "title": ...}] in time order."""
    chapters = [
        {
            "start": timecode_seconds(block.value["start"]),
            "start_label": block.value["start"],
            "title": block.value["title"],
        }
        for block in stream
    ]
    return sorted(chapters, key=lambda chapter: chapter["start"])


def media_checklist(media, label):
    """The items a page with one audio or video needs: chosen, and processed (ready)."""
    return [
        ChecklistItem("media", label, media is not None),
        ChecklistItem(
            "media-ready",
            _("The media has been processed and is ready (not still processing or failed)"),
            media is not None and media.is_ready,
        ),
    ]


class VisibleRoutesMixin(RoutablePageMixin):
    """Sub-routes (feed, transcript, chapters, dashboards) answer only where the page itself may be
    served: RoutablePageMixin calls a route's view directly, past BasePage.serve and its check that the
    page is not expired and sits under live ancestors (`visibility.servable`)."""

    def serve(self, request, *args, **kwargs):
        if not visibility.servable(self):
            raise Http404
        return super().serve(request, *args, **kwargs)

    def serve_preview(self, request, mode_name):
        """The base page's preview (its headless mode and noindex header): RoutablePageMixin's own
        renders the index route and skips them."""
        return super(RoutablePageMixin, self).serve_preview(request, mode_name)


def plain_transcript_lines(text):
    """The transcript's non-empty lines (for templates)."""
    return [line for line in re.split(r"\r?\n", text or "") if line.strip()]
