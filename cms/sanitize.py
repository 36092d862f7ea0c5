"""HTML sanitization with nh3 (Ammonia), for every path by which HTML enters Revayat.

Rich text keeps Wagtail's internal link and embed markup (`<a linktype="page" id="3">`,
`<embed embedtype="image" … />`) and loses everything executable: scripts and styles with their
content, event-handler attributes, `javascript:` URLs. ZWNJ and bidi marks in text are kept.

A link's scheme is judged the way a lenient browser might read it: entities decoded, invisible
characters (U+200B, U+00AD, bidi controls, BOM, other format and control characters) and spaces removed,
any case. `safe_url` is shared by nh3 and by Draftail's link conversion (cms/wagtail_hooks.py).
"""

import re
import unicodedata
from html import unescape

import nh3

RICH_TEXT_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "b",
    "strong",
    "i",
    "em",
    "a",
    "blockquote",
    "sub",
    "sup",
    "hr",
    "embed",
    "code",
    "bdi",
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
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zs", "Zl", "Zp"}


def safe_url(url):
    """`url` unchanged if it has no scheme or an allowed one (URL_SCHEMES), else None.

    Whatever stands before the first ":" (ahead of any "/", "?" or "#") counts as a scheme, so
    "java\u200bscript:" and "data\u00ad:" are refused rather than taken for relative addresses.
    """
    skeleton = "".join(
        char for char in unescape(str(url or "")) if unicodedata.category(char) not in _INVISIBLE_CATEGORIES
    ).lower()
    head = re.split(r"[/?#]", skeleton, maxsplit=1)[0]
    if ":" in head and head.split(":", 1)[0] not in URL_SCHEMES:
        return None
    return url


def _filter_attribute(tag, attribute, value):
    return safe_url(value) if attribute == "href" else value


def clean_rich_text(html):
    """Sanitize rich-text HTML, keeping what Wagtail's editor produces."""
    if not html:
        return ""
    cleaned = nh3.clean(
        str(html),
        tags=RICH_TEXT_TAGS,
        clean_content_tags={"script", "style", "iframe", "object", "template", "noscript"},
        attributes=RICH_TEXT_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=URL_SCHEMES,
        link_rel=None,
    )
    return _EMBED_TAG.sub(r"<embed\1/>", cleaned)


def strip_tags(html):
    """Plain text from HTML (for summaries, counts and search keys)."""
    spaced = _CLOSING_TAG.sub(r"\1 ", str(html or ""))  # keep words of adjacent elements apart
    text = nh3.clean(spaced, tags=set(), clean_content_tags={"script", "style"})
    return " ".join(unescape(text).split())
