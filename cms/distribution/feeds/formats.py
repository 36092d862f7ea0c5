"""The two documents a feed is written as: RSS 2.0 and Atom 1.0, each with a `content` that carries the
summary's language and direction, which Django's generators lack. Apart from the view so the feed links a
page advertises (type and label) come from the same place as the feeds themselves.
"""

import re

from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

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
