"""Podcast RSS: RSS 2.0 with the iTunes tags and the Podcasting 2.0 namespace.

Built on Django's feed generator (escaping, dates, enclosures); this adds the channel and item tags that
Apple Podcasts, Spotify and Podcasting 2.0 apps read: itunes:image/author/owner/category/explicit/type,
itunes:duration/episode/season/episodeType, podcast:guid, podcast:locked, podcast:transcript and
podcast:chapters.
"""

from django.utils.feedgenerator import Rss201rev2Feed

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
ATOM = "http://www.w3.org/2005/Atom"


class PodcastFeed(Rss201rev2Feed):
    """Extra keyword arguments: channel `itunes` dict; item `itunes` and `chapters` dicts, `transcripts` a
    list of dicts (text and WebVTT)."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:itunes": ITUNES,
            "xmlns:podcast": PODCAST,
            "xmlns:content": CONTENT,
            "xmlns:atom": ATOM,
        }

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        extra = self.feed["itunes"]
        handler.addQuickElement("itunes:author", extra["author"])
        handler.addQuickElement("itunes:summary", self.feed["description"])
        handler.addQuickElement("itunes:type", "episodic")
        handler.addQuickElement("itunes:explicit", "true" if extra["explicit"] else "false")
        if extra.get("image"):
            handler.addQuickElement("itunes:image", attrs={"href": extra["image"]})
            handler.startElement("image", {})
            handler.addQuickElement("url", extra["image"])
            handler.addQuickElement("title", self.feed["title"])
            handler.addQuickElement("link", self.feed["link"])
            handler.endElement("image")
        handler.addQuickElement("itunes:category", attrs={"text": extra["category"]})
        handler.startElement("itunes:owner", {})
        handler.addQuickElement("itunes:name", extra["author"])
        handler.addQuickElement("itunes:email", extra["email"])
        handler.endElement("itunes:owner")
        handler.addQuickElement("podcast:guid", extra["guid"])
        handler.addQuickElement("podcast:locked", "yes", attrs={"owner": extra["email"]})

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        extra = item["itunes"]
        handler.addQuickElement("itunes:title", item["title"])
        handler.addQuickElement("itunes:duration", str(extra["duration"]))
        handler.addQuickElement("itunes:episodeType", "full")
        handler.addQuickElement("itunes:explicit", "true" if extra["explicit"] else "false")
        if extra.get("episode"):
            handler.addQuickElement("itunes:episode", str(extra["episode"]))
        if extra.get("season"):
            handler.addQuickElement("itunes:season", str(extra["season"]))
        if extra.get("image"):
            handler.addQuickElement("itunes:image", attrs={"href": extra["image"]})
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])
        for transcript in item.get("transcripts") or []:
            handler.addQuickElement("podcast:transcript", attrs=transcript)
        if item.get("chapters"):
            handler.addQuickElement("podcast:chapters", attrs=item["chapters"])
