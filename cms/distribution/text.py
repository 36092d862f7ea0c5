"""Captions and messages for the channels: one text per post, cut to the channel's limit in its own unit.

`compose()` builds "body, hashtags, link" where the page link is always kept and the body (the title and
the summary, or the editor's own text for the channel) is cut at a word boundary with "…" when the
whole would not fit. Lengths are counted the way each channel counts them: Telegram and Bale in UTF-16
code units of the *visible* text (entities parsed, so HTML escapes do not count), X in its weighted
units (see `x_weighted_length`), others in characters. Persian text gets an RLM at the start of each
line so a line that starts with a Latin word, a number or a hashtag still reads right-to-left
(PERSIAN.md §4); ZWNJ is kept, and the bidi overrides that enable display spoofing are removed.
"""

import html
import re
import unicodedata

import regex
from django.utils.translation import gettext

from cms.i18n import direction, is_rtl

ELLIPSIS = "…"
RLM = "\u200f"
ZWNJ = "\u200c"
# LRE, RLE, PDF, LRO, RLO and the isolates: "Trojan Source" controls (CVE-2021-42574).
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
URL = re.compile(r"https?://\S+")
GRAPHEME = regex.compile(r"\X")  # a user-perceived character (extended grapheme cluster)


def clean(text):
    """The text without bidi overrides/isolates and with tidy line ends (LRM, RLM and ZWNJ are kept)."""
    text = BIDI_CONTROLS.sub("", text or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# --- lengths -------------------------------------------------------------------------------------


def utf16_length(text):
    """Telegram's unit: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


# twitter-text v3 configuration: these code point ranges weigh 1, everything else 2 (scale 100,
# maxWeightedTweetLength 280); every URL counts as 23 (transformedURLLength); an emoji sequence counts 2.
X_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
X_URL_LENGTH = 23


def _is_emoji_start(char):
    code = ord(char)
    return (
        0x1F000 <= code <= 0x1FAFF
        or 0x2600 <= code <= 0x27BF
        or 0x1F1E6 <= code <= 0x1F1FF
        or code in (0x00A9, 0x00AE, 0x203C, 0x2049, 0x2122, 0x2139, 0x3030, 0x303D)
    )


def _x_char_weight(char):
    code = ord(char)
    return 1 if any(start <= code <= end for start, end in X_LIGHT_RANGES) else 2


def x_weighted_length(text):
    """X's weighted length (limit 280): NFC text, URLs 23, emoji 2, CJK and other heavy scripts 2;
    Persian/Arabic (U+0600–06FF) and Latin weigh 1."""
    text = unicodedata.normalize("NFC", text)
    total, position = 0, 0
    for match in URL.finditer(text):
        total += _x_plain_length(text[position : match.start()]) + X_URL_LENGTH
        position = match.end()
    return total + _x_plain_length(text[position:])


def _x_plain_length(text):
    """An emoji sequence (flag, ZWJ family, skin tone) is one grapheme cluster weighing 2."""
    return sum(
        2 if _is_emoji_start(cluster[0]) else sum(map(_x_char_weight, cluster))
        for cluster in GRAPHEME.findall(text)
    )


MEASURES = {"utf16": utf16_length, "chars": len, "weighted": x_weighted_length}


def measure(text, unit):
    return MEASURES[unit](text)


# --- hashtags ------------------------------------------------------------------------------------


def hashtag(tag):
    """ "#برنامه تحول" or "بیمه‌شدگان" → "#برنامه_تحول", "#بیمه_شدگان": letters, digits and underscores
    only (spaces, ZWNJ, hyphens and punctuation become "_"), or "" when nothing usable is left."""
    tag = BIDI_CONTROLS.sub("", tag or "").strip().lstrip("#＃")
    word = re.sub(r"[^\w]+", "_", tag.replace(ZWNJ, "_")).strip("_")
    word = re.sub(r"_+", "_", word)
    return "#" + word if word and not word.isdigit() else ""


def hashtags(tags, limit=None):
    """Valid, de-duplicated hashtags in their order; at most `limit` of them."""
    seen = []
    for tag in tags or []:
        tag = hashtag(tag)
        if tag and tag.casefold() not in {t.casefold() for t in seen}:
            seen.append(tag)
    return seen[:limit] if limit is not None else seen


# --- cutting -------------------------------------------------------------------------------------


def grapheme_cuts(text):
    """Offsets where `text` may be cut: between grapheme clusters (Unicode UAX #29, the `regex`
    module's \\X), so an emoji sequence, a flag or a letter with its marks stays whole, and never just
    after a ZWNJ, which would leave half a Persian word joined to the ellipsis."""
    return [match.end() for match in GRAPHEME.finditer(text) if not match.group().endswith(ZWNJ)]


def truncate(text, budget, unit):
    """`text` if it fits `budget`, else its longest prefix ending at a word boundary plus "…"
    (a single over-long word is cut between grapheme clusters, see `grapheme_cuts`)."""
    if measure(text, unit) <= budget:
        return text
    if measure(ELLIPSIS, unit) > budget:
        return ""

    def fits(index):
        return measure(text[:index].rstrip() + ELLIPSIS, unit) <= budget

    boundaries = [i for i, char in enumerate(text) if char.isspace() and i > 0]
    best = _last_true(boundaries, fits)
    if best is None or not text[:best].strip():
        cuts = [cut for cut in grapheme_cuts(text) if cut < len(text)]
        best = _last_true(cuts, fits) or 0
    return text[:best].rstrip() + ELLIPSIS


def _last_true(candidates, predicate):
    """The last candidate (sorted) for which the monotonic predicate holds, or None."""
    low, high, found = 0, len(candidates) - 1, None
    while low <= high:
        middle = (low + high) // 2
        if predicate(candidates[middle]):
            found, low = candidates[middle], middle + 1
        else:
            high = middle - 1
    return found


# --- composing -----------------------------------------------------------------------------------


def _rtl_lines(text):
    return "\n".join(RLM + line if line and not line.startswith(RLM) else line for line in text.split("\n"))


def body_text(post):
    """The title, then the summary; the editor's own text for this channel replaces both."""
    title, summary = clean(post.title), clean(post.text)
    if post.text_override:
        return summary or title
    return "\n\n".join(dict.fromkeys(part for part in (title, summary) if part))


def compose_plain(post, limit, unit="utf16", max_hashtags=None, with_link=True):
    """The visible text: body (title and summary, cut to fit), hashtags, then the page link, within
    `limit` `unit`s."""
    rtl = is_rtl(post.language)
    body = body_text(post)
    tags = hashtags(post.hashtags, max_hashtags)
    link = post.url if with_link else ""

    def assemble(body_text, tag_list):
        parts = [body_text, " ".join(tag_list)]
        head = "\n\n".join(part for part in parts if part)
        if rtl:
            head = _rtl_lines(head)
        return "\n\n".join(part for part in (head, link) if part)

    if link and measure(assemble("", []), unit) > limit:
        raise ValueError(
            gettext("The page link alone is longer than the channel's limit (%(limit)s)") % {"limit": limit}
        )
    while tags and measure(assemble("", tags), unit) > limit:
        tags.pop()
    if measure(assemble(body, tags), unit) <= limit:
        return assemble(body, tags)
    # The body's share: what is left after the other parts, the separators and the RLMs it adds.
    budget = limit - (measure(assemble("x", tags), unit) - measure("x", unit))
    if rtl:
        budget -= measure(RLM, unit) * body.count("\n")
    while True:
        text = assemble(truncate(body, budget, unit), tags)
        if measure(text, unit) <= limit or budget <= 0:
            return text
        budget -= 1


def to_html(plain):
    """Telegram HTML parse mode: only <, > and & need escaping; the visible text is `plain` itself."""
    return html.escape(plain, quote=False)


def compose(post, limit, unit="utf16", markup="plain", max_hashtags=None, with_link=True):
    """The caption or message text in the channel's markup ("html" for Telegram's parse_mode=HTML)."""
    plain = compose_plain(post, limit, unit, max_hashtags, with_link)
    return to_html(plain) if markup == "html" else plain


def preview(text, unit, limit, media, language):
    """The dict the admin preview shows for one channel."""
    return {
        "text": text,
        "length": measure(text, unit),
        "limit": limit,
        "unit": unit,
        "media": media,
        "direction": direction(language),
    }
