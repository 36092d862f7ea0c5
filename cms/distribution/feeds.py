"""RSS 2.0 and Atom 1.0 feeds of the public site: per language, and per page (a plan and what is under it).

URLs sit outside the page tree, so a renamed slug or a moved page does not break a subscription:

    /feeds/<language>/rss/                     /feeds/<language>/atom/
    /feeds/<language>/pages/<page id>/rss/     /feeds/<language>/pages/<page id>/atom/

The language feed lists every public page of that language under the site's home page; a page feed
lists the page itself and its public descendants. Items come newest first by their last publication (an
updated page comes back up; its GUID does not change, so readers do not show it twice), at most
`REVAYAT_FEED_ITEMS`. What is public is `cms.visibility`'s answer alone; an unknown language or a page
the public may not see is a 404 that looks like any other.

Built on Django's syndication framework (`Feed`, `Rss201rev2Feed`, `Atom1Feed`: escaping, dates, the
RSS `atom:link rel="self"`), extended with a direction-aware `content` and a JPEG enclosure of the page's
social (or hero) image when that image is public. A feed's query count does not grow with its length
(one query per page type among its items); the rendered feed is cached until content changes
(`cms.cache.content_version()`) or one of its pages expires, and answers conditional GETs by ETag.
"""

import re
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.urls import re_path, reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape, format_html
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from wagtail.contrib.settings.context_processors import SettingProxy
from wagtail.images import get_image_model
from wagtail.images.models import SourceImageIOError
from wagtail.models import Locale, Page, Site

from cms import i18n, visibility
from cms.cache import FRAGMENT_TIMEOUT, conditional_get, content_version
from cms.distribution.blocks import CROP_SPECS
from cms.links import absolute_url
from cms.views import page_not_found

ENCLOSURE_SPEC = f"{CROP_SPECS['link']}|format-jpeg"  # the link-preview crop, as og:image uses it
GUID_NAMESPACE = uuid.UUID("0b0f3c1e-7d4a-5f2e-9a51-6e1f2b7c9d30")  # Revayat feed items and feeds
CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"
XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters XML 1.0 forbids


def xml_text(value):
    """Text as XML can carry it: a stray control character pasted into a summary must not break the feed."""
    return XML_INVALID.sub("", value or "")


class RssFeed(Rss201rev2Feed):
    """RSS 2.0 with `content:encoded` (the summary as HTML that carries its language and direction)."""

    mime_type, label = "application/rss+xml", "RSS"

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NAMESPACE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


class AtomFeed(Atom1Feed):
    """Atom 1.0 with `<content type="html">` (the summary with its language and direction)."""

    mime_type, label = "application/atom+xml", "Atom"

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


FEED_TYPES = {"rss": RssFeed, "atom": AtomFeed}


@dataclass
class Entry:
    """One page of a feed, with what its item needs already fetched."""

    page: Page
    url: str
    author: str | None
    enclosure: Enclosure | None


@dataclass
class FeedSource:
    """What a feed is about: the site and language, the page (None for the whole language), the entries."""

    site: Site
    language: str
    subject: Page  # the language's home page, or the page whose feed this is
    url: str
    is_page_feed: bool
    organization: str | None
    entries: list = field(default_factory=list)

    @property
    def author(self):
        """The organization, or the portal's name where the project has no such setting (Atom wants one)."""
        return self.organization or _("Revayat")

    def expires_at(self):
        """The earliest expiry among the pages this feed shows (its own subject included), or None."""
        dates = [entry.page.expire_at for entry in self.entries] + [self.subject.expire_at]
        return min((date for date in dates if date), default=None)

    def last_modified(self):
        """When the newest entry was last published, or None for an empty feed."""
        dates = [entry.page.last_published_at or entry.page.first_published_at for entry in self.entries]
        return max((date for date in dates if date), default=None)


def feed_path(feed_format, language, page=None):
    """The path of a feed: the language's, or the page's when `page` is given."""
    if page is None:
        return reverse("feeds:site", kwargs={"language": language, "feed_format": feed_format})
    return reverse("feeds:page", kwargs={"language": language, "page_id": page.pk,
                                         "feed_format": feed_format})


def organization_name(site, language):
    """The organization's name in `language` from the portal's settings, if the project has them."""
    try:
        portal = SettingProxy(site)["home"]["PortalSettings"]
    except LookupError:
        return None
    return getattr(portal, f"organization_name_{language}", None) or None


def feed_pages(scope, locale):
    """The newest public pages of `scope` in `locale`, specific, with their locale (queries per type)."""
    newest = Coalesce("last_published_at", "first_published_at").desc(nulls_last=True)
    pages = (
        visibility.public_pages(scope, locale=locale)
        .order_by(newest, "-pk")
        .select_related("locale", for_specific_subqueries=True)
        .defer_streamfields()
        .specific()
    )
    return list(pages[: settings.REVAYAT_FEED_ITEMS])


def image_id(page):
    """The image a page is shared with: its social image, else its hero image (the distribution payload's)."""
    return getattr(page, "social_image_id", None) or getattr(page, "hero_image_id", None)


def enclosures(pages, root_url):
    """{image id: JPEG Enclosure} for the images of `pages` that are public (three queries)."""
    wanted = {image_id(page) for page in pages} - {None}
    if not wanted:
        return {}
    images = visibility.public_images(get_image_model().objects.filter(pk__in=wanted))
    found = {}
    for image in images.prefetch_renditions(ENCLOSURE_SPEC):
        try:
            rendition = image.get_rendition(ENCLOSURE_SPEC)
        except SourceImageIOError:  # the original is missing from storage: the item goes without
            continue
        try:
            length = rendition.file.size
        except OSError:
            length = 0  # the RSS Advisory Board's advice when the length is unknown
        found[image.pk] = Enclosure(absolute_url(rendition.url, root_url), str(length), "image/jpeg")
    return found


def load_source(request, language, page_id=None):
    """The feed's subject and entries, or Http404 when the language or the page is not public."""
    locale = Locale.objects.filter(language_code=language).first()
    site = Site.find_for_request(request)
    if locale is None or site is None:
        raise Http404("no such feed")
    home_key = site.root_page.translation_key
    wanted = Q(translation_key=home_key) | Q(pk=page_id or 0)  # the home page, and the page asked for
    found = list(visibility.public_pages(Page.objects.filter(wanted), locale=locale).specific())
    home = next((page for page in found if page.translation_key == home_key), None)
    subject = home if page_id is None else next((page for page in found if page.pk == page_id), None)
    if home is None or subject is None or not subject.path.startswith(home.path):
        raise Http404("no such feed")
    scope = Page.objects.descendant_of(subject, inclusive=page_id is not None)
    source = FeedSource(site=site, language=language, subject=subject, url=subject.get_full_url(request),
                        is_page_feed=page_id is not None, organization=organization_name(site, language))
    pages = feed_pages(scope, locale)
    images = enclosures(pages, site.root_url)
    source.entries = [Entry(page=page, url=page.get_full_url(request), author=source.author,
                            enclosure=images.get(image_id(page))) for page in pages]
    return source


class PublicPagesFeed(Feed):
    """Django's syndication view over `cms.visibility`, one instance per format; cached and conditional."""

    def __init__(self, feed_format):
        self.feed_format = feed_format
        self.feed_type = FEED_TYPES[feed_format]

    def __call__(self, request, language, page_id=None):
        site = Site.find_for_request(request)
        key = ":".join(["revayat:feed", self.feed_format, str(site.pk if site else 0), language,
                        str(page_id), content_version()])
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
        """The summary as HTML-escaped text: readers take RSS descriptions and Atom summaries as HTML."""
        summary = xml_text(getattr(entry.page, "summary", ""))
        return escape(summary) if summary else None

    def item_extra_kwargs(self, entry):
        """`content`: the summary in an element that carries its language and direction."""
        summary = xml_text(getattr(entry.page, "summary", ""))
        if not summary:
            return {}
        language = entry.page.locale.language_code
        return {"content_html": format_html('<div dir="{}" lang="{}"><p>{}</p></div>',
                                            i18n.direction(language), language, summary)}

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


def alternate_links(request, page=None):
    """[(type, title, href)] of the feeds a portal page advertises, titled in the active language:
    the page's own (given one), then its language's."""
    site = Site.find_for_request(request)
    root_url, language = (site.root_url if site else ""), translation.get_language()
    links = []
    for subject in ([page] if page is not None and page.pk else []) + [None]:  # unsaved in a preview
        for feed_format, feed_type in FEED_TYPES.items():
            if subject is None:
                title = _("New and updated pages (%(format)s)") % {"format": feed_type.label}
            else:
                title = _("%(title)s: new and updated pages (%(format)s)") % {
                    "title": subject.title, "format": feed_type.label}
            links.append((feed_type.mime_type, title,
                          absolute_url(feed_path(feed_format, language, subject), root_url)))
    return links


class FeedMiddleware:
    """What LocaleMiddleware does to a path without a language prefix, undone for the feeds, whose language is
    in their path: a 404 it would redirect to /<language>/feeds/… (a portal path that does not exist either)
    stays a 404, and a feed does not vary on Accept-Language (a CDN keeps one copy, not one per visitor's
    browser language). Goes before LocaleMiddleware in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(FEEDS_PREFIX):
            return response
        if response.status_code in (301, 302):
            prefixes = tuple(f"/{code}{FEEDS_PREFIX}" for code, _name in settings.LANGUAGES)
            if response.url.startswith(prefixes):
                return page_not_found(request)
        if response.status_code in (200, 304) and response.has_header("Vary"):
            vary = [value.strip() for value in response["Vary"].split(",")
                    if value.strip() and value.strip().lower() != "accept-language"]
            if vary:
                response["Vary"] = ", ".join(vary)
            else:
                del response["Vary"]
        return response


FEEDS_PREFIX = "/feeds/"  # where settings/urls.py mounts these URLs
app_name = "feeds"
LANGUAGE, FORMAT = r"(?P<language>[a-z]{2,3}(?:-[a-z0-9]+)?)", r"(?P<feed_format>rss|atom)"
visibility.register_door("language_feeds", feed)
visibility.register_door("page_feeds", feed)
urlpatterns = [
    re_path(rf"^{LANGUAGE}/{FORMAT}/$", feed, name="site"),
    re_path(rf"^{LANGUAGE}/pages/(?P<page_id>[0-9]{{1,9}})/{FORMAT}/$", feed, name="page"),
]
