"""HTML sanitization with nh3 (Ammonia), for every path by which HTML enters Revayat.

Rich text keeps Wagtail's internal link and embed markup (`<a linktype="page" id="3">`,
`<embed embedtype="image" … />`) and loses everything executable: scripts and styles with their
content, event-handler attributes, `javascript:` URLs. ZWNJ and bidi marks in text are kept.
"""

import re
from html import unescape

import nh3

RICH_TEXT_TAGS = {
    "p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "b", "strong", "i", "em",
    "a", "blockquote", "sub", "sup", "hr", "embed", "code", "bdi",
}
RICH_TEXT_ATTRIBUTES = {
    "*": {"data-block-key", "dir", "lang"},
    "a": {"href", "linktype", "id"},
    "embed": {"embedtype", "id", "format", "alt", "url"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Wagtail's rich-text rewriters only recognise the self-closing form of <embed … />
_EMBED_TAG = re.compile(r"<embed(\b[^>]*?)\s*/?>")
_CLOSING_TAG = re.compile(r"(</[a-zA-Z][a-zA-Z0-9]*>|<br\s*/?>)")


def clean_rich_text(html):
    """Sanitize rich-text HTML, keeping what Wagtail's editor produces."""
    if not html:
        return ""
    cleaned = nh3.clean(
        str(html),
        tags=RICH_TEXT_TAGS,
        clean_content_tags={"script", "style", "iframe", "object", "template", "noscript"},
        attributes=RICH_TEXT_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
    )
    return _EMBED_TAG.sub(r"<embed\1/>", cleaned)


def strip_tags(html):
    """Plain text from HTML (for summaries, counts and search keys)."""
    spaced = _CLOSING_TAG.sub(r"\1 ", str(html or ""))  # keep words of adjacent elements apart
    text = nh3.clean(spaced, tags=set(), clean_content_tags={"script", "style"})
    return " ".join(unescape(text).split())
