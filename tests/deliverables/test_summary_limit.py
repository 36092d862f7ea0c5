"""The executive summary's limit: a summary whose PDF exceeds 20 pages cannot be published, and the
editor is told how many pages it has."""

import pytest

from cms.i18n import to_persian_digits
from cms.publication import PublishBlockedError
from plans.models import ExecutiveSummaryPage
from plans.models.summary import MAX_PAGES

pytestmark = pytest.mark.django_db


def test_a_demo_summary_is_within_the_limit(demo):
    summary = ExecutiveSummaryPage.objects.filter(locale=demo.locale_en).first()
    assert 1 < summary.page_count() <= MAX_PAGES
    assert summary.missing_for_publication() == []


def test_a_summary_over_20_pages_is_refused_with_its_page_count(demo):
    summary = ExecutiveSummaryPage.objects.filter(locale=demo.locale_fa).first()
    sentence = "این بند برای آزمودن سقف بیست صفحه‌ای خلاصهٔ مدیریتی نوشته شده است."
    paragraph = "<p>" + " ".join([sentence] * 12) + "</p>"
    summary.body = [("paragraph", paragraph)] * 90
    pages = summary.page_count()
    assert pages > MAX_PAGES
    (item,) = summary.missing_for_publication()
    assert item.code == "page-limit"
    assert to_persian_digits(pages) in str(item.label) and to_persian_digits(MAX_PAGES) in str(item.label)
    revision = summary.save_revision()
    with pytest.raises(PublishBlockedError) as refused:
        revision.publish()
    assert to_persian_digits(pages) in str(refused.value)
    summary.refresh_from_db()
    assert len(summary.body) < 90  # the live summary is unchanged
