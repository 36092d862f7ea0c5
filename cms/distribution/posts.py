"""From an outbox row (or a page being edited) to the `Post` an adapter sends.

Content types say what they offer through `BasePage.get_distribution_payload()`; this module turns it
into absolute public URLs and readable files: the chosen social crop as JPEG, a podcast's MP3, a film's
MP4 (720p when there is one). Only what `cms.visibility` calls public is attached. The portal webhook's
payload is the page's own `/api/v2/pages/<id>/` JSON, produced by the API view itself.
"""

import json
import posixpath

from django.test import RequestFactory
from django.urls import resolve, reverse
from wagtail.models import Page

from cms import visibility
from cms.distribution.blocks import CROP_SPECS
from cms.distribution.channels.base import MediaFile, Post
from cms.distribution.models import Event
from cms.links import absolute_url, site_root_url

# Processed outputs channels get, best first (a small source has no 720p rendition).
VIDEO_OUTPUTS, AUDIO_OUTPUTS = ("mp4_720", "mp4_360"), ("mp3",)


def is_public(page_id):
    """Whether the page may be distributed now (cms.visibility's answer for one page)."""
    return page_id is not None and visibility.public_pages(Page.objects.filter(pk=page_id)).exists()


def image_file(image, crop, root):
    """The image's social crop as a JPEG MediaFile, or None when the image is not public."""
    if image is None or not visibility.public_images(type(image).objects.filter(pk=image.pk)).exists():
        return None
    rendition = image.get_rendition(f"{CROP_SPECS.get(crop, CROP_SPECS['square'])}|format-jpeg")
    name = posixpath.basename(rendition.file.name)
    return MediaFile(
        url=absolute_url(rendition.url, root),
        filename=name,
        content_type="image/jpeg",
        size=rendition.file.size,
        open=lambda: rendition.file.open("rb"),
    )


def media_file(item, kinds, root):
    """The first existing output of `kinds` of a public media item as a MediaFile, or None."""
    if item is None or not visibility.public_media(type(item).objects.filter(pk=item.pk)).exists():
        return None
    output = next(filter(None, map(item.output, kinds)), None)
    if output is None:
        return None
    return MediaFile(
        url=absolute_url(output.url, root),
        filename=output.filename,
        content_type=output.mime_type,
        size=output.size,
        open=lambda: output.file.open("rb"),
    )


def api_payload(page):
    """The page's public API JSON, rendered by the API view for the page's own site."""
    path = reverse("wagtailapi:pages:detail", args=[page.pk])
    site = page.get_site()
    request = RequestFactory().get(
        path, HTTP_HOST=site.hostname if site else "localhost", SERVER_PORT=str(site.port) if site else "80"
    )
    match = resolve(path)
    response = match.func(request, *match.args, **match.kwargs)
    response.render()
    return json.loads(response.content) if response.status_code == 200 else None


def post_for(page, event, idempotency_key="", channel_settings=None, with_payload=False):
    """The Post for `page` (a specific page object, e.g. a revision's) on one channel."""
    settings = channel_settings or {}
    payload = page.get_distribution_payload()
    root = site_root_url(page)
    override = (settings.get("text") or "").strip()
    post = Post(
        event=event,
        idempotency_key=idempotency_key,
        page_id=page.pk,
        language=page.locale.language_code,
        title=payload["title"],
        text=override or payload.get("text", ""),
        text_override=bool(override),
        url=page.get_full_url() or "",
        hashtags=list(payload.get("hashtags", [])),
        api_url=absolute_url(reverse("wagtailapi:pages:detail", args=[page.pk]), root),
    )
    if event in (Event.PUBLISH, Event.UPDATE):
        post.image = image_file(payload.get("image"), settings.get("crop", "square"), root)
        post.audio = media_file(payload.get("audio"), AUDIO_OUTPUTS, root)
        post.video = media_file(payload.get("video"), VIDEO_OUTPUTS, root)
        if with_payload:
            post.api_payload = api_payload(page)
    return post


def channel_settings(page, channel):
    """The page's own settings for `channel` (text override, crop), or {}."""
    for block in getattr(page, "distribution", None) or []:
        if block.value.get("channel") is not None and block.value["channel"].pk == channel.pk:
            return block.value
    return {}


def post_for_entry(entry):
    """The Post an outbox row sends: the row's revision for publish and update; the page as it is now
    (or only what the row remembers, after deletion) for unpublish and delete."""
    from cms.distribution.models import ChannelKind

    with_payload = entry.channel.kind == ChannelKind.PORTAL_WEBHOOK
    if entry.event in (Event.PUBLISH, Event.UPDATE) and entry.revision is not None:
        page = entry.revision.as_object()
        return post_for(
            page, entry.event, entry.idempotency_key, channel_settings(page, entry.channel), with_payload
        )
    page = entry.page.specific if entry.page_id else None
    if page is not None:
        return post_for(page, entry.event, entry.idempotency_key, with_payload=False)
    return Post(
        event=entry.event,
        idempotency_key=entry.idempotency_key,
        page_id=entry.page_key,
        language=entry.language_code,
        title=entry.page_title,
        text="",
        url="",
    )
