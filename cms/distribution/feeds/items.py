"""What a feed shows: its subject (a language's home page or a page) and its entries, fetched with
`cms.visibility` alone deciding what is public, in a query count that does not grow with the feed's length
(one query per page type, three for the enclosures). Apart from the view so the rules of what goes into a
feed read without the caching and the syndication plumbing around them.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.feedgenerator import Enclosure
from django.utils.translation import gettext as _
from wagtail.contrib.settings.context_processors import SettingProxy
from wagtail.images import get_image_model
from wagtail.images.models import SourceImageIOError
from wagtail.models import Locale, Page, Site

from cms import visibility
from cms.distribution.blocks import CROP_SPECS
from cms.links import absolute_url

ENCLOSURE_SPEC = f"{CROP_SPECS['link']}|format-jpeg"  # the link-preview crop, as og:image uses it


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
    source = FeedSource(
        site=site,
        language=language,
        subject=subject,
        url=subject.get_full_url(request),
        is_page_feed=page_id is not None,
        organization=organization_name(site, language),
    )
    pages = feed_pages(scope, locale)
    images = enclosures(pages, site.root_url)
    source.entries = [
        Entry(
            page=page,
            url=page.get_full_url(request),
            author=source.author,
            enclosure=images.get(image_id(page)),
        )
        for page in pages
    ]
    return source
