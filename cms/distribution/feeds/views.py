"""The feed view: Django's syndication `Feed` over what `items.py` fetched, one instance per format. It
caches the rendered feed until content changes (`cms.cache.content_version()`) or one of its pages expires,
answers conditional GETs by ETag, and registers the feed doors with `cms.visibility`, because it is the
view that serves them.
"""

import html
import uuid

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.html import format_html
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from wagtail.models import Site

from cms import i18n, visibility
from cms.cache import FRAGMENT_TIMEOUT, conditional_get, content_version
from cms.distribution.feeds.formats import FEED_TYPES, xml_text
from cms.distribution.feeds.items import load_source
from cms.distribution.feeds.links import feed_path
from cms.links import absolute_url

GUID_NAMESPACE = uuid.UUID("0b0f3c1e-7d4a-5f2e-9a51-6e1f2b7c9d30")  # Revayat feed items and feeds


class PublicPagesFeed(Feed):
    """Django's syndication view over `cms.visibility`, one instance per format; cached and conditional."""

    def __init__(self, feed_format):
        self.feed_format = feed_format
        self.feed_type = FEED_TYPES[feed_format]

    def __call__(self, request, language, page_id=None):
        site = Site.find_for_request(request)
        key = ":".join(
            [
                "revayat:feed",
                self.feed_format,
                str(site.pk if site else 0),
                language,
                str(page_id),
                content_version(),
            ]
        )
        cached = cache.get(key)
        if cached is None:
            with translation.override(language):
                source = self.get_object(request, language, page_id)
                body = self.get_feed(source, request).writeString("utf-8").encode()
            cached = (body, source.last_modified())
            timeout, expires_at = FRAGMENT_TIMEOUT, source.expires_at()
            if expires_at is not None:  # the page must leave the feed when it expires
                timeout = max(1, min(timeout, int((expires_at - timezone.now()).total_seconds())))
            cache.set(key, cached, timeout)
        body, last_modified = cached
        response = HttpResponse(body, content_type=self.feed_type.content_type)
        response["Content-Language"] = language
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified.timestamp())
        patch_cache_control(response, public=True, max_age=settings.REVAYAT_FEED_CACHE_SECONDS)
        return conditional_get(request, response)

    def get_object(self, request, language, page_id=None):
        return load_source(request, language, page_id)

    # The channel ---------------------------------------------------------------------------------
    def title(self, source):
        if source.is_page_feed:
            return f"{xml_text(source.subject.title)} · {_('Revayat')}"
        return f"{_('Revayat')} · {source.organization}" if source.organization else _("Revayat")

    def link(self, source):
        return source.url

    def feed_url(self, source):
        page = source.subject if source.is_page_feed else None
        return absolute_url(feed_path(self.feed_format, source.language, page), source.site.root_url)

    def description(self, source):
        if source.is_page_feed and getattr(source.subject, "summary", ""):
            return xml_text(source.subject.summary)
        return _("Documentation of the transformation plans")

    def feed_guid(self, source):
        return uuid.uuid5(GUID_NAMESPACE, f"feed:{source.subject.translation_key}:{source.language}").urn

    def author_name(self, source):
        return source.author

    def items(self, source):
        return source.entries

    # Items ---------------------------------------------------------------------------------------
    def item_title(self, entry):
        return xml_text(entry.page.title)

    def item_link(self, entry):
        return entry.url

    def item_description(self, entry):
        """The summary as HTML-escaped text: readers take RSS descriptions and Atom summaries as HTML.
        Only &, < and > are escaped: quotes need no escaping in text, and an apostrophe escaped as
        `&#x27;` would reach the XML as `&amp;#x27;`, which readers that take it as text show as is."""
        summary = xml_text(getattr(entry.page, "summary", ""))
        return html.escape(summary, quote=False) if summary else None

    def item_extra_kwargs(self, entry):
        """`content`: the summary in an element that carries its language and direction."""
        summary = xml_text(getattr(entry.page, "summary", ""))
        if not summary:
            return {}
        language = entry.page.locale.language_code
        return {
            "content_html": format_html(
                '<div dir="{}" lang="{}"><p>{}</p></div>',
                i18n.direction(language),
                language,
                mark_safe(html.escape(summary, quote=False)),  # quotes as typed: see item_description
            )
        }

    def item_guid(self, entry):
        """A URN of the page in its language: unchanged by republishing, renaming, moving or a new domain."""
        page = entry.page
        return uuid.uuid5(GUID_NAMESPACE, f"{page.translation_key}:{page.locale.language_code}").urn

    item_guid_is_permalink = False

    def item_pubdate(self, entry):
        return entry.page.first_published_at

    def item_updateddate(self, entry):
        return entry.page.last_published_at or entry.page.first_published_at

    def item_author_name(self, entry):
        return entry.author

    def item_categories(self, entry):
        return [str(entry.page.specific_class._meta.verbose_name)]

    def item_enclosures(self, entry):
        return [entry.enclosure] if entry.enclosure else []


FEEDS = {feed_format: PublicPagesFeed(feed_format) for feed_format in FEED_TYPES}


@require_safe
def feed(request, language, feed_format, page_id=None):
    """A language's feed, or a page's (`page_id`), in RSS or Atom."""
    return FEEDS[feed_format](request, language, int(page_id) if page_id else None)


visibility.register_door("language_feeds", feed)
visibility.register_door("page_feeds", feed)
