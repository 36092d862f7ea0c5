"""Editors type dates in the Jalali calendar and numbers with Persian digits; storage stays Gregorian/int."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation

from cms.blocks import JalaliDateBlock
from cms.forms import JalaliDateField, JalaliDateInput, LocalizedIntegerField
from cms.i18n import parse_local_date


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("۱۴۰۳/۰۱/۱۵", datetime.date(2024, 4, 3)),
        ("1403-1-15", datetime.date(2024, 4, 3)),
        ("١٤٠٣/٠١/١٥", datetime.date(2024, 4, 3)),  # Arabic-Indic digits
        (" ۱۴۰۲/۰۸/۰۱ ", datetime.date(2023, 10, 23)),
        ("1403/12/30", datetime.date(2025, 3, 20)),  # 1403 is a leap year: 30 Esfand exists
        ("2024-04-03", datetime.date(2024, 4, 3)),
    ],
)
def test_local_dates_parse_to_gregorian(typed, expected):
    assert parse_local_date(typed) == expected
    assert JalaliDateField().clean(typed) == expected


@pytest.mark.parametrize("typed", ["1404/12/30", "1403/13/01", "2024-02-30", "فردا", "1403/01"])
def test_impossible_dates_get_a_clear_error(typed):
    for language, example in (("en", "1403/01/15"), ("fa", "۱۴۰۳/۰۱/۱۵")):
        with translation.override(language):
            with pytest.raises(ValidationError) as raised:
                JalaliDateField().clean(typed)
            assert example in str(raised.value.messages[0])


def test_date_inputs_show_the_admins_calendar():
    widget = JalaliDateInput()
    with translation.override("fa"):
        assert widget.format_value(datetime.date(2023, 10, 23)) == "۱۴۰۲/۰۸/۰۱"
    with translation.override("en"):
        assert widget.format_value(datetime.date(2023, 10, 23)) == "2023-10-23"
    assert 'dir="ltr"' in widget.render("start", datetime.date(2023, 10, 23))


def test_integers_accept_persian_digits_and_separators():
    field = LocalizedIntegerField()
    assert field.clean("۳۲۰٬۰۰۰٬۰۰۰٬۰۰۰") == 320_000_000_000
    assert field.clean("320,000,000,000") == 320_000_000_000
    assert field.clean("١٢") == 12
    with pytest.raises(ValidationError):
        field.clean("۱۲ میلیارد")


def test_roadmap_date_block_round_trips_jalali_text():
    block = JalaliDateBlock()
    with translation.override("fa"):
        assert block.value_for_form(datetime.date(2024, 4, 3)) == "۱۴۰۳/۰۱/۱۵"
    value = block.value_from_datadict({"d": "۱۴۰۳/۰۱/۱۵"}, {}, "d")
    assert block.clean(value) == datetime.date(2024, 4, 3)
    stored = json.dumps(block.get_prep_value(block.clean(value)), cls=DjangoJSONEncoder)
    assert stored == '"2024-04-03"'  # Gregorian ISO in the database
    with pytest.raises(ValidationError):
        block.clean(block.value_from_datadict({"d": "1403/13/40"}, {}, "d"))
