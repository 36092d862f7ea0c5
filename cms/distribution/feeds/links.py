"""Where the feeds are: a feed's path, and the `<link rel="alternate">` entries a portal page advertises.
Apart from the view so templates (`{% feed_links %}`) can name the feeds without loading the view.
"""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Site

from cms.distribution.feeds.formats import FEED_TYPES
from cms.links import absolute_url


def feed_path(feed_format, language, page=None):
    """The path of a feed: the language's, or the page's when `page` is given."""
    if page is None:
        return reverse("feeds:site", kwargs={"language": language, "feed_format": feed_format})
    return reverse(
        "feeds:page", kwargs={"language": language, "page_id": page.pk, "feed_format": feed_format}
    )


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
                    "title": subject.title,
                    "format": feed_type.label,
                }
            links.append(
                (
                    feed_type.mime_type,
                    title,
                    absolute_url(feed_path(feed_format, language, subject), root_url),
                )
            )
    return links
