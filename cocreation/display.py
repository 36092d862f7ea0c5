"""Instants shown the Iranian way: Jalali date and time in Asia/Tehran with Persian digits."""

import datetime

from django.utils import timezone
from persiantools.jdatetime import JalaliDate

from cms.i18n import JALALI_MONTHS, to_persian_digits


def jalali(value):
    """«۱۱ مرداد ۱۴۰۴، ساعت ۰۹:۰۰» for an aware instant (shown in Asia/Tehran)."""
    local = timezone.localtime(value)
    day = JalaliDate(local.date())
    return to_persian_digits(f"{day.day} {JALALI_MONTHS[day.month - 1]} {day.year}، ساعت {local:%H:%M}")


def deadline_text(end):
    """An exclusive end at local midnight reads as "until the end of" the day before."""
    local = timezone.localtime(end)
    if (local.hour, local.minute, local.second) == (0, 0, 0):
        day = JalaliDate((local - datetime.timedelta(seconds=1)).date())
        return to_persian_digits(f"تا پایان {day.day} {JALALI_MONTHS[day.month - 1]} {day.year}")
    return "تا پیش از " + jalali(end)


def deadline_text_en(end):
    """The English page's deadline: Gregorian, Tehran time named (participants may be abroad)."""
    local = timezone.localtime(end)
    if (local.hour, local.minute, local.second) == (0, 0, 0):
        last = local - datetime.timedelta(seconds=1)
        return f"until the end of {last.day} {last:%B %Y} (Tehran time)"
    return f"before {local.day} {local:%B %Y}, {local:%H:%M} (Tehran time)"


def deadline_in(end, language):
    return deadline_text_en(end) if language == "en" else deadline_text(end)
