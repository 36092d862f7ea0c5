"""The executive summary's length limit (a word limit stands in for 20 printed pages)."""

import pytest
from django.test import override_settings

from cms.i18n import to_persian_digits
from cms.models import PublishBlockedError
from plans.models import ExecutiveSummaryPage

pytestmark = pytest.mark.django_db


def test_demo_summaries_are_within_the_limit(demo):
    for summary in ExecutiveSummaryPage.objects.all():
        assert summary.missing_for_publication() == []
        assert 0 < summary.word_count() <= 8000


def test_a_summary_over_the_limit_cannot_be_published_and_says_by_how_much(demo):
    summary = ExecutiveSummaryPage.objects.filter(locale=demo.locale_fa).first()
    words = summary.word_count()
    with override_settings(REVAYAT_SUMMARY_WORD_LIMIT=words - 1):
        (item,) = summary.missing_for_publication()
        assert item.code == "word-limit"
        label = str(item.label)
        assert to_persian_digits(words) in label and to_persian_digits(words - 1) in label
        with pytest.raises(PublishBlockedError):
            summary.save_revision().publish()
