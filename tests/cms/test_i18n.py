"""Jalali dates, Persian digits and money display (storage stays Gregorian, integer rials)."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from cms import i18n


@pytest.mark.parametrize(
    ("day", "fa", "en"),
    [
        (datetime.date(2025, 12, 22), "۱ دی ۱۴۰۴", "22 December 2025"),  # the RFP's issue date
        (datetime.date(2025, 3, 21), "۱ فروردین ۱۴۰۴", "21 March 2025"),  # Nowruz
        (datetime.date(2026, 3, 20), "۲۹ اسفند ۱۴۰۴", "20 March 2026"),  # last day of 1404
        (datetime.date(2025, 8, 22), "۳۱ مرداد ۱۴۰۴", "22 August 2025"),  # round-2 deadline
    ],
)
def test_dates_are_jalali_with_persian_digits_on_fa(day, fa, en):
    assert i18n.format_date(day, "fa") == fa
    assert i18n.format_date(day, "en") == en


def test_aware_datetimes_use_tehran_time():
    # 21:00 UTC on 20 March 2026 is already 21 March (Nowruz 1405) in Tehran (UTC+03:30).
    moment = datetime.datetime(2026, 3, 20, 21, 0, tzinfo=datetime.UTC)
    assert i18n.format_date(moment, "fa") == "۱ فروردین ۱۴۰۵"


def test_numbers_use_persian_digits_and_separators():
    assert i18n.format_number(1234567, "fa") == "۱٬۲۳۴٬۵۶۷"
    assert i18n.format_number("1234567.5", "fa") == "۱٬۲۳۴٬۵۶۷٫۵"
    assert i18n.format_number(1234567, "en") == "1,234,567"
    assert i18n.format_number(None, "fa") == ""


def test_money_is_stored_in_rials_and_shown_in_the_chosen_unit():
    assert i18n.format_money(450_000_000_000, "rial", "fa", exact=True) == "۴۵۰٬۰۰۰٬۰۰۰٬۰۰۰ ریال"
    assert i18n.format_money(450_000_000_000, "toman", "fa", exact=True) == "۴۵٬۰۰۰٬۰۰۰٬۰۰۰ تومان"
    assert i18n.format_money(450_000_000_000, "toman", "en", exact=True) == "45,000,000,000 tomans"


def test_large_amounts_read_with_scale_words():
    assert i18n.format_money(320_000_000_000, "rial", "fa") == "۳۲۰ میلیارد ریال"
    assert i18n.format_money(298_600_000_000, "rial", "fa") == "۲۹۸٫۶ میلیارد ریال"
    assert i18n.format_money(298_600_000_000, "toman", "en") == "29.9 billion tomans"
    assert i18n.format_money(12_500_000_000_000, "rial", "fa") == "۱۲٫۵ هزار میلیارد ریال"
    assert i18n.format_money(1_000_000, "rial", "en") == "1 million rials"
    assert i18n.format_money(950_000, "rial", "fa") == "۹۵۰٬۰۰۰ ریال"


def test_digit_conversion_round_trips():
    assert i18n.to_persian_digits("TP-12 / 2025") == "TP-۱۲ / ۲۰۲۵"
    assert i18n.to_ascii_digits("۱۴۰۴ و ٤٥") == "1404 و 45"


def test_template_filters_follow_the_active_language():
    template = Template("{% load revayat %}{{ day|jdate }}|{{ n|number }}|{{ amount|money:'toman' }}")
    context = Context({"day": datetime.date(2025, 12, 22), "n": 1500, "amount": 100})
    with translation.override("fa"):
        assert template.render(context) == "۱ دی ۱۴۰۴|۱٬۵۰۰|۱۰ تومان"  # small amounts: every digit
    with translation.override("en"):
        assert template.render(context) == "22 December 2025|1,500|10 tomans"


def test_text_direction_follows_the_language():
    assert [i18n.direction(code) for code in ("fa", "fa-IR", "ar", "en", "en-GB")] == [
        "rtl",
        "rtl",
        "rtl",
        "ltr",
        "ltr",
    ]
    with translation.override("fa"):
        assert i18n.is_rtl() and i18n.direction() == "rtl"
    with translation.override("en"):
        assert not i18n.is_rtl()
    template = Template('{% load revayat %}<p dir="{{ code|direction }}">')
    assert template.render(Context({"code": "fa"})) == '<p dir="rtl">'
