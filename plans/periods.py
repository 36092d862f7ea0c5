"""Jalali reporting periods (years, quarters, months) stored as the Gregorian date of their first day.

SSO reports by the Jalali (fiscal) year: 1403 runs from 2024-03-20 to 2025-03-20. A period is stored
as its first day so it sorts, filters and serializes as a plain date; it is shown as a Jalali period on
fa («۱۴۰۳», «بهار ۱۴۰۳», «تیر ۱۴۰۳») and on en with the Gregorian span beside it ("1403 (2024/25)").
`period_code` is the language-neutral name the API and the downloads use ("1403", "1403-Q1",
"1403-04").
"""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _
from persiantools.jdatetime import JalaliDate

from cms.i18n import JALALI_MONTHS, JALALI_MONTHS_EN, is_persian, to_persian_digits

SEASONS_FA = ("بهار", "تابستان", "پاییز", "زمستان")


class PeriodKind(models.TextChoices):
    YEAR = "year", _("Jalali years")
    QUARTER = "quarter", _("Jalali quarters")
    MONTH = "month", _("Jalali months")


def period_start(day, kind):
    """The first day (Gregorian) of the Jalali period of `kind` that contains `day`."""
    if day is None:
        return None
    jalali = JalaliDate(day)
    if kind == PeriodKind.MONTH:
        month = jalali.month
    elif kind == PeriodKind.QUARTER:
        month = 3 * ((jalali.month - 1) // 3) + 1
    else:
        month = 1
    return JalaliDate(jalali.year, month, 1).to_gregorian()


def period_code(day, kind):
    """The period's language-neutral code: 1403, 1403-Q2 or 1403-04."""
    if day is None:
        return ""
    jalali = JalaliDate(day)
    if kind == PeriodKind.MONTH:
        return f"{jalali.year}-{jalali.month:02d}"
    if kind == PeriodKind.QUARTER:
        return f"{jalali.year}-Q{(jalali.month - 1) // 3 + 1}"
    return str(jalali.year)


def period_label(day, kind, language=None):
    """The period as a reader says it: «۱۴۰۳» / "1403 (2024/25)", «پاییز ۱۴۰۳» / "Q3 1403",
    «تیر ۱۴۰۳» / "Tir 1403"."""
    if day is None:
        return ""
    jalali = JalaliDate(day)
    quarter = (jalali.month - 1) // 3
    if is_persian(language):
        if kind == PeriodKind.MONTH:
            text = f"{JALALI_MONTHS[jalali.month - 1]} {jalali.year}"
        elif kind == PeriodKind.QUARTER:
            text = f"{SEASONS_FA[quarter]} {jalali.year}"
        else:
            text = str(jalali.year)
        return to_persian_digits(text)
    if kind == PeriodKind.MONTH:
        return f"{JALALI_MONTHS_EN[jalali.month - 1]} {jalali.year}"
    if kind == PeriodKind.QUARTER:
        return f"Q{quarter + 1} {jalali.year}"
    start = JalaliDate(jalali.year, 1, 1).to_gregorian()
    return f"{jalali.year} ({start.year}/{(start.year + 1) % 100:02d})"


def jalali_year_start(year):
    """The Gregorian first day of Jalali `year` (for filters by year)."""
    return JalaliDate(int(year), 1, 1).to_gregorian()


def today():
    return datetime.date.today()
