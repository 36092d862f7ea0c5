"""One test per rule of the Persian search key (search/normalize.py, shared/PERSIAN.md §1.3)."""

import pytest

from search.normalize import fold, index_key, query_alternatives, query_groups, stems


def matches(query, text):
    """AND over the query's groups, any reading: what the backend asks the index."""
    terms = set(index_key(text).split())
    return any(all(set(group) & terms for group in groups) for groups in query_alternatives(query))


@pytest.mark.parametrize(
    "rule, typed, folded",
    [
        ("NFKC: presentation forms from PDFs", "ﻛﺎﺭ", "کار"),
        ("bidi controls and marks removed", "\u202bبیمه\u202c\u200f", "بیمه"),
        ("BOM and soft hyphen removed", "\ufeffبی\u00adمه", "بیمه"),
        ("Arabic yeh", "بيمه", "بیمه"),
        ("alef maksura", "مستمرى", "مستمری"),
        ("Arabic kaf", "كار", "کار"),
        ("teh marbuta", "مادة", "ماده"),
        ("heh with yeh above (ezafe)", "بیمۀ", "بیمه"),
        ("hamza above heh (ezafe)", "بیمهٔ", "بیمه"),
        ("legacy heh + hamza", "بیمهء بیکاری", "بیمه بیکاری"),
        ("alef with hamza above", "تأمین", "تامین"),
        ("alef with hamza below", "إسلام", "اسلام"),
        ("alef wasla", "ٱلف", "الف"),
        ("alef madda", "آب", "اب"),
        ("hamza on waw before waw", "مسؤول", "مسول"),
        ("hamza on yeh before waw", "مسئول", "مسول"),
        ("hamza on yeh", "رئیس", "رییس"),
        ("hamza on waw", "مؤسسه", "موسسه"),
        ("harakat and shadda", "حقِّ", "حق"),
        ("superscript alef", "رحمٰن", "رحمن"),
        ("tatweel", "بازنشســـتگی", "بازنشستگی"),
        ("Persian digits", "۱۴۰۴", "1404"),
        ("Arabic-Indic digits", "١٤٠٤", "1404"),
        ("Arabic thousands separator", "۱۲٬۵۰۰", "12500"),
        ("ASCII thousands separator", "12,500", "12500"),
        ("a comma that is no thousands separator stays", "1,2", "1,2"),
        ("Arabic decimal separator", "۲٫۵", "2p5"),
        ("dates get one token, zero-padded", "۱۴۰۴/۱۰/۱", " d14041001 "),
        ("English lower case and possessive", "The Fund's", "the fund"),
        ("ZWSP and ZWJ become a half-space", "می\u200bشود", "می\u200cشود"),
        ("NBSP becomes a space", "بیمه\u00a0بیکاری", "بیمه بیکاری"),
    ],
)
def test_fold(rule, typed, folded):
    assert fold(typed) == folded, rule


@pytest.mark.parametrize(
    "query, text",
    [
        ("گزارش‌ها", "گزارش ها"),
        ("گزارش ها", "گزارشها"),
        ("گزارشها", "گزارش‌ها"),
        ("می‌شود", "می شود"),
        ("می شود", "میشود"),
        ("نمی‌شود", "نمی شود"),
        ("بیمه", "بیمه‌ی بیکاری"),
        ("شایسته سالاری", "شایستهسالاری"),
        ("شایسته سالاری", "شایسته‌سالاری"),
    ],
)
def test_half_space_joined_and_spaced_meet(query, text):
    assert matches(query, text)


@pytest.mark.parametrize(
    "query, text",
    [
        ("گزارش", "گزارش‌های سالانه"),
        ("گزارش", "گزارش‌هایی"),
        ("کارگر", "کارگران"),
        ("کارفرما", "کارفرمایان"),
        ("دانشجو", "دانشجویان"),
        ("بازنشسته", "بازنشستگان"),
        ("بیمه‌شده", "بیمه‌شدگان"),
        ("تبلیغ", "تبلیغات"),
        ("مطالبه", "مطالبات"),
        ("خدمت", "خدمات"),
        ("بزرگ", "بزرگترین"),
        ("بزرگتر", "بزرگتر"),
        ("pension", "Pensions"),
        ("policy", "policies"),
    ],
)
def test_plural_and_suffix_stripping(query, text):
    assert matches(query, text)


@pytest.mark.parametrize(
    "query, text",
    [
        ("میز", "میزان"),
        ("میزان", "میز"),
        ("مستمر", "مستمری"),
        ("مستمری", "مستمر"),
        ("مدیر", "مدیریت"),
        ("بیم", "بیمه"),
        ("مؤسس", "مؤسسه"),
        ("سازم", "سازمان"),
        ("درم", "درمان"),
        ("است", "استان"),
        ("مالی", "مالیات"),
        ("نشست", "بازنشستگی"),
        ("tension", "pension"),
        ("شود", "شود یا نشود"),
    ],
)
def test_no_over_stemming(query, text):
    if query == "شود":
        assert not matches("میشود", text)
    else:
        assert not matches(query, text)


def test_stems_keep_short_words_and_exceptions():
    assert stems("میزان") == set()
    assert stems("تنها") == set()
    assert stems("زبان") == set()
    assert stems("کارگران") == {"کارگر"}


def test_currency_units_are_not_synonyms():
    assert matches("۵۰ هزار تومان", "کمک‌هزینه 50 هزار تومان")
    assert not matches("۵۰ هزار تومان", "کمک‌هزینه ۵۰ هزار ریال")


def test_any_query_gives_safe_terms():
    for query in ['"', '"abc', "a' OR 1=1 --", "NEAR(a b)", "*", "^", "\x00", "(((", "—", "", "   "]:
        for group in query_groups(query):
            for term in group:
                assert term.replace("p", "").isalnum() or term.isalnum(), (query, term)


def test_opensearch_char_filter_agrees_with_the_key():
    """The documented OpenSearch settings fold each character as `fold` does."""
    from search.opensearch import _mappings, index_settings

    table = {}
    for line in _mappings():
        source, _arrow, target = line.partition(" =>")
        table[source] = target.strip()
    for source, target in table.items():
        if source in ("\u200b", "\u200d"):
            continue  # half-space substitutes: joined by the next char filter, as the key joins them
        assert fold(source).strip() == target, (hex(ord(source)), fold(source), target)
    analysis = index_settings()["settings"]["analysis"]
    assert analysis["analyzer"]["fa_key"]["char_filter"][0] == "fa_hamza_waw"
