"""What a page's passage says: its text as the page shows it, in the page's own language."""

import re

import pytest
from django.utils import translation

from search import indexing

PERSIAN = re.compile("[\u0600-\u06ff]")


@pytest.mark.parametrize("language", ["fa", "en"])
def test_an_english_plan_is_indexed_in_english_whoever_publishes_it(demo, language):
    """Published from the Persian admin or the English one, an English plan's choices (a factor's kind, a
    step's status) are indexed with their English labels, and no heading's level («سطح ۳», "Level 3")."""
    plan = demo.plans_en[0]
    with translation.override(language):
        passage = next(p for p in indexing.page_passages(plan) if p.kind == "page")
    persian = [line for line in passage.text.splitlines() if PERSIAN.search(line)]
    assert persian == []
    assert "Level 3" not in passage.text
    assert re.search(r"^(Done|Success factor|In progress)$", passage.text, re.M), passage.text[:500]


def test_a_persian_plan_is_indexed_in_persian_without_its_headings_levels(demo):
    plan = demo.plans_fa[0]
    with translation.override("en"):
        passage = next(p for p in indexing.page_passages(plan) if p.kind == "page")
    assert "سطح ۳" not in passage.text and "Level 3" not in passage.text
    assert "انجام‌شده" in passage.text.splitlines() or "عامل موفقیت" in passage.text.splitlines()
