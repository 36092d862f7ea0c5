"""Language hygiene in what Revayat generates, one test per rule: on fa no ASCII Gregorian year in the
references (Jalali in Persian digits, the Gregorian year beside it for a foreign source) and no nested
parentheses; on en the Latin percent sign and comma and no doubled years; feeds escape once."""

import re

import pytest
from django.template import Context, Template
from django.utils import translation

from cms.i18n import format_percent, format_reference, list_separator, reference_year
from tests.deliverables.conftest import pdftotext

pytestmark = pytest.mark.django_db

ASCII_YEAR = re.compile(r"(?<![\d/.-])(1[3-4]|19|20)\d\d(?![\d/.-])")


@pytest.mark.parametrize(
    ("citation", "year", "url", "expected"),
    [
        ("قانون ساختار نظام جامع رفاه، مصوب ۱۳۸۳.", "2004", "", ""),  # named already (Jalali)
        ("بیانیه «گام دوم»، بهمن ۱۳۹۷.", "2019", "", ""),  # Bahman 1397 is early 2019
        ("گزارش سالانه سازمان.", "2024", "https://www.tamin.ir/", "۱۴۰۳"),
        ("گزارش سالانه سازمان.", "1403", "", "۱۴۰۳"),
        ("سازمان بین‌المللی کار، گزارش حمایت اجتماعی.", "2024", "https://www.ilo.org/", "۱۴۰۳ (۲۰۲۴)"),
        ("World Bank, Pension reform primer.", "۲۰۲۲", "", "۱۴۰۱ (۲۰۲۲)"),
    ],
)
def test_fa_reference_years_are_jalali_in_persian_digits(citation, year, url, expected):
    assert reference_year(citation, year, url, "fa") == expected


def test_fa_references_have_no_ascii_year_and_no_nested_parentheses():
    text = format_reference("سازمان بین‌المللی کار (ILO)، گزارش جهانی.", "2024", "https://www.ilo.org/", "fa")
    assert text == "سازمان بین‌المللی کار (ILO)، گزارش جهانی، ۱۴۰۳ (۲۰۲۴)."
    assert not ASCII_YEAR.search(text)
    assert not re.search(r"\([^()]*\(", text)


@pytest.mark.parametrize(
    ("citation", "year", "expected"),
    [
        (
            "General Policies of the Social Security System, April 2022.",
            "2022",
            "General Policies of the Social Security System, April 2022.",
        ),
        (
            "Law of the Seventh Development Plan (2024–2028).",
            "2024",
            "Law of the Seventh Development Plan (2024–2028).",
        ),
        ("SSO annual statistical report.", "1403", "SSO annual statistical report (2024)."),
        ("SSO annual statistical report.", "2023", "SSO annual statistical report (2023)."),
    ],
)
def test_en_references_have_no_doubled_years(citation, year, expected):
    assert format_reference(citation, year, "", "en") == expected


def test_percent_sign_and_list_comma_follow_the_language():
    assert (format_percent(45, "fa"), format_percent(45, "en")) == ("۴۵٪", "45%")
    assert (list_separator("fa"), list_separator("en")) == ("، ", ", ")
    template = Template("{% load revayat %}{{ 62|percent }}{% list_separator %}")
    with translation.override("en"):
        assert template.render(Context()) == "62%, "
    with translation.override("fa"):
        assert template.render(Context()) == "۶۲٪، "


def references_text(path, titles):
    """The text of the report's last section (appendices and sources)."""
    text = "".join(pdftotext(path).split())
    return text[text.rindex("".join(titles[-1].split())) :]


def test_generated_fa_report_references_have_no_ascii_years(generated):
    text = references_text(generated["fa"]["report_pdf"], generated["fa"]["section_titles"])
    assert not ASCII_YEAR.search(re.sub(r"https?://\S+|[A-Za-z0-9.-]+\.(org|ir|com)\S*", "", text)), text[
        :400
    ]
    assert not re.search(r"\([^()]*\(", text)


def test_generated_en_report_has_latin_signs_and_no_doubled_years(generated):
    text = pdftotext(generated["en"]["report_pdf"])
    assert "٪" not in text and "،" not in text
    references = references_text(generated["en"]["report_pdf"], generated["en"]["section_titles"])
    doubled = re.findall(r"((?:19|20)\d\d)\D{0,3}\.?\(\1\)", references)
    assert doubled == []


def test_feed_summaries_escape_quotes_once(client, demo):
    plan = demo.plans_en[0]
    plan.summary = 'The organization\'s "one window" for pensioners & employers'
    plan.save_revision().publish()
    raw = client.get(f"/feeds/en/pages/{plan.pk}/rss/").content.decode()
    assert "&amp;#x27;" not in raw and "&amp;quot;" not in raw and "&amp;#39;" not in raw
    assert "The organization's" in raw
