"""A roadmap milestone cannot end before it starts; the error sits on `end`, the field the editor fixes."""

from datetime import date

import pytest
from wagtail.blocks import StructBlockValidationError

from cms.blocks import MilestoneBlock


def milestone(start, end):
    block = MilestoneBlock()
    return block, block.to_python(
        {"title": "Pilot", "start": start.isoformat(), "end": end.isoformat(), "status": "planned"}
    )


def test_end_before_start_is_an_error_on_end():
    block, value = milestone(date(2024, 5, 1), date(2024, 4, 30))
    with pytest.raises(StructBlockValidationError) as raised:
        block.clean(value)
    assert set(raised.value.block_errors) == {"end"}


@pytest.mark.parametrize("end", [date(2024, 5, 1), date(2024, 9, 21)], ids=["same day", "later"])
def test_end_on_or_after_start_is_valid(end):
    block, value = milestone(date(2024, 5, 1), end)
    assert block.clean(value)["end"] == end
