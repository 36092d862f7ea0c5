"""Captions and messages: limits in each channel's unit, word-boundary cuts that keep the link, Persian
direction marks, ZWNJ, emoji, hashtags and HTML escaping."""

import itertools

import pytest
import regex

from cms.distribution import text
from cms.distribution.channels.base import Post
from tests.distribution.fakes import telegram_visible_text

ZWNJ, RLM = "\u200c", "\u200f"
URL = "https://revayat.example/fa/plans/digital-transformation/"


def post(body="", title="عنوان", language="fa", hashtags=(), url=URL, override=True):
    """A post whose text is the editor's own for the channel (so the body is exactly `body`)."""
    return Post(
        event="publish",
        idempotency_key="k",
        page_id=1,
        language=language,
        title=title,
        text=body,
        url=url,
        hashtags=list(hashtags),
        text_override=override,
    )


def test_title_then_summary_unless_the_editor_wrote_the_text():
    page = post("خلاصهٔ طرح", title="طرح ۱۲", override=False)
    assert text.compose_plain(page, 1024) == f"{RLM}طرح ۱۲\n\n{RLM}خلاصهٔ طرح\n\n{URL}"
    assert text.compose_plain(post("طرح ۱۲", title="طرح ۱۲", override=False), 1024) == f"{RLM}طرح ۱۲\n\n{URL}"
    assert text.compose_plain(post("متن ویژهٔ تلگرام", title="طرح ۱۲"), 1024).startswith(RLM + "متن ویژه")


def test_short_persian_caption_is_kept_whole_with_rlm_hashtags_and_link():
    caption = text.compose_plain(post("برنامه‌های تحول", hashtags=["برنامه تحول", "#SSO"]), 1024)
    assert caption == f"{RLM}برنامه‌های تحول\n\n{RLM}#برنامه_تحول #SSO\n\n{URL}"
    assert ZWNJ in caption


def test_caption_starting_with_latin_word_or_number_gets_rlm_on_each_line():
    caption = text.compose_plain(post("SSO گزارش داد\n۱۴۰۴ سال تحول\n2025 Revayat"), 1024)
    lines = caption.split("\n")
    assert lines[0] == RLM + "SSO گزارش داد"
    assert lines[1] == RLM + "۱۴۰۴ سال تحول"
    assert lines[2] == RLM + "2025 Revayat"
    assert lines[-1] == URL  # the link stays a left-to-right line of its own


def test_english_caption_gets_no_rlm():
    caption = text.compose_plain(post("Digital transformation report", language="en"), 1024)
    assert RLM not in caption
    assert caption == f"Digital transformation report\n\n{URL}"


def test_title_is_the_body_when_there_is_no_text():
    for override in (True, False):
        caption = text.compose_plain(post("", title="گزارش سال ۱۴۰۴", override=override), 1024)
        assert caption == f"{RLM}گزارش سال ۱۴۰۴\n\n{URL}"


def test_bidi_overrides_are_stripped_but_marks_and_zwnj_kept():
    spoofed = "گزارش\u202e\u2066 exe.gpj\u2069 نهایی\u200f می\u200cشود"
    cleaned = text.clean(spoofed)
    assert not any(ch in cleaned for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    assert "\u200f" in cleaned and ZWNJ in cleaned


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("برنامه تحول", "#برنامه_تحول"),
        ("#بیمه‌شدگان", "#بیمه_شدگان"),
        ("  تأمین  اجتماعی ", "#تأمین_اجتماعی"),
        ("SSO-2025", "#SSO_2025"),
        ("۱۴۰۴", ""),  # a hashtag cannot be only digits
        ("##", ""),
    ],
)
def test_hashtags_become_valid(tag, expected):
    assert text.hashtag(tag) == expected


def test_hashtags_are_deduplicated_and_capped():
    tags = [f"برچسب {i}" for i in range(40)] + ["برچسب 0"]
    result = text.hashtags(tags, 30)
    assert len(result) == 30 and result[0] == "#برچسب_0" and len(set(result)) == 30


@pytest.mark.parametrize(
    ("limit", "unit"), [(1024, "utf16"), (4096, "utf16"), (2200, "chars"), (280, "weighted")]
)
def test_long_body_is_cut_at_a_word_boundary_with_ellipsis_and_link_kept(limit, unit):
    body = " ".join(["برنامه‌های تحول دیجیتال 🎙️ Revayat"] * 400)
    caption = text.compose_plain(post(body, hashtags=["برنامه تحول"]), limit, unit)
    assert text.measure(caption, unit) <= limit
    assert text.measure(caption, unit) >= limit - 40  # the cut uses the room it has
    assert caption.endswith("\n\n" + URL)
    cut_body = caption.split("\n\n")[0]
    assert cut_body.endswith("…")
    words = cut_body.removeprefix(RLM).removesuffix("…").split(" ")
    assert all(word in body.split(" ") for word in words)  # whole words only
    assert "#برنامه_تحول" in caption


def test_exact_limit_fits_without_cutting():
    base = text.compose_plain(post("ا"), 1024)
    room = 1024 - text.utf16_length(base)
    body = "ا" + "ب" * room
    caption = text.compose_plain(post(body), 1024)
    assert text.utf16_length(caption) == 1024 and "…" not in caption
    over = text.compose_plain(post(body + "ب"), 1024)
    assert text.utf16_length(over) <= 1024 and "…" in over


def test_emoji_count_two_utf16_units_and_are_never_split():
    assert text.utf16_length("😀") == 2 and text.utf16_length("سلام") == 4
    body = "😀" * 600  # one "word" of 1,200 units: cut between emoji, never inside one
    caption = text.compose_plain(post(body, url="https://t.me/x"), 1024)
    cut = caption.split("\n\n")[0].removeprefix(RLM).removesuffix("…")
    assert set(cut) == {"😀"} and text.utf16_length(caption) <= 1024
    caption.encode("utf-8")  # no lone surrogate


def test_flags_and_zwj_sequences_marks_and_zwnj_clusters_are_not_split():
    family = "👨\u200d👩\u200d👧"
    marked = "مُحَمَّدِ"  # letters with their vowel marks and shadda: one cluster each
    for unit_text in ("🇮🇷" * 30, family * 20, ("می" + ZWNJ + "شود") * 30, marked * 10, "1️⃣" * 20):
        clusters = regex.findall(r"\X", unit_text)
        ends = set(itertools.accumulate(map(len, clusters)))
        for budget in range(3, 40):
            cut = text.truncate(unit_text, budget, "utf16").removesuffix("…")
            assert unit_text.startswith(cut) and text.utf16_length(cut + "…") <= budget
            assert not cut or len(cut) in ends, (unit_text, budget, cut)
            assert not cut.endswith((ZWNJ, "\u200d"))


def test_the_link_alone_longer_than_the_limit_is_an_error():
    with pytest.raises(ValueError, match="پیوند صفحه"):
        text.compose_plain(post("متن", url="https://example.org/" + "a" * 300), 280, "chars")


def test_hashtags_are_dropped_before_the_link_when_there_is_no_room():
    caption = text.compose_plain(post("متن", hashtags=[f"tag{i}" for i in range(10)]), 60, "chars")
    assert caption.endswith(URL) and len(caption) <= 60


def test_html_escaping_counts_the_visible_text_only():
    body = "درآمد < هزینه & سود > صفر <b>نه تگ</b> " * 40
    plain = text.compose_plain(post(body), 1024)
    html = text.compose(post(body), 1024, markup="html")
    assert "&lt;" in html and "&amp;" in html and "<b>" not in html
    assert telegram_visible_text(html) == plain  # what Telegram shows is exactly what we measured
    assert text.utf16_length(plain) <= 1024 < len(html)


def test_cut_never_leaves_a_broken_entity():
    body = "a&b " * 400
    html = text.compose(post(body, language="en"), 1024, markup="html")
    telegram_visible_text(html)  # raises on a cut inside "&amp;"


@pytest.mark.parametrize(
    ("value", "weighted"),
    [
        ("hello", 5),
        ("سلام دنیا", 9),  # Persian weighs 1 per character
        ("你好", 4),  # CJK weighs 2
        ("😀", 2),
        ("👨\u200d👩\u200d👧", 2),  # a ZWJ sequence is one emoji
        ("🇮🇷", 2),
        ("see https://revayat.example/fa/plans/a-very-long-slug-that-is-long/", 4 + 23),
        ("\u200f", 2),  # RLM is outside the light ranges
        ("می\u200cشود", 6),  # ZWNJ is in the light range
    ],
)
def test_x_weighted_length(value, weighted):
    assert text.x_weighted_length(value) == weighted


def test_x_post_with_long_url_fits_because_urls_count_23():
    long_url = "https://revayat.example/fa/" + "x" * 200 + "/"
    caption = text.compose_plain(post("گزارش " * 100, url=long_url), 280, "weighted")
    assert caption.endswith(long_url) and text.x_weighted_length(caption) <= 280


def test_preview_dict_keys():
    result = text.preview("متن", "utf16", 1024, "photo", "fa")
    assert result == {
        "text": "متن",
        "length": 3,
        "limit": 1024,
        "unit": "utf16",
        "media": "photo",
        "direction": "rtl",
    }
