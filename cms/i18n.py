"""Locale-aware display of dates, numbers and money: Jalali with Persian digits on fa, Gregorian on en;
and titles stored safe for bidi display.

Values are stored Gregorian and as integers (money in current rials); only their display changes with
the language. Persian numbers use ٬ (U+066C) for thousands and ٫ (U+066B) for decimals.
"""

import datetime
import re
import unicodedata
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from persiantools.jdatetime import JalaliDate

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
TO_ASCII_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
JALALI_MONTHS = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)
JALALI_MONTHS_EN = (
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
)
FA_THOUSANDS, FA_DECIMAL = "\u066c", "\u066b"

# Display units for amounts stored in rials: (divisor, fa label, en label)
MONEY_UNITS = {
    "rial": (1, "ریال", "rials"),
    "toman": (10, "تومان", "tomans"),
}


# Scale words for large amounts: (size, fa, en)
MONEY_SCALES = (
    (10**12, "هزار میلیارد", "trillion"),
    (10**9, "میلیارد", "billion"),
    (10**6, "میلیون", "million"),
)


def is_persian(language=None):
    """True when the given (or active) language is Persian."""
    return (language or get_language() or "fa").split("-")[0] == "fa"


def is_rtl(language=None):
    """True when the given (or active) language is written right to left (Django's LANGUAGES_BIDI)."""
    return (language or get_language() or settings.LANGUAGE_CODE).split("-")[0] in settings.LANGUAGES_BIDI


def direction(language=None):
    """The HTML `dir` of the given (or active) language: "rtl" or "ltr"."""
    return "rtl" if is_rtl(language) else "ltr"


def to_persian_digits(value):
    """Replace ASCII digits with Persian ones; anything else is kept as it is."""
    return str(value).translate(PERSIAN_DIGITS)


def to_ascii_digits(value):
    """Replace Persian and Arabic-Indic digits with ASCII ones (for parsing and search keys)."""
    return str(value).translate(TO_ASCII_DIGITS)


def localize_digits(value, language=None):
    """Persian digits on fa, the value unchanged otherwise."""
    return to_persian_digits(value) if is_persian(language) else str(value)


def format_number(value, language=None, decimals=None):
    """Group thousands and localize digits: 1234567.5 → ۱٬۲۳۴٬۵۶۷٫۵ (fa) or 1,234,567.5 (en)."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    if decimals is None:
        decimals = (
            0 if number == number.to_integral_value() else min(2, -number.normalize().as_tuple().exponent)
        )
    text = f"{number:,.{decimals}f}"
    if not is_persian(language):
        return text
    text = text.replace(",", "\0").replace(".", FA_DECIMAL).replace("\0", FA_THOUSANDS)
    return to_persian_digits(text)


def format_money(rials, unit="rial", language=None, exact=False):
    """An amount stored in rials, in the chosen display unit, with the unit named.

    Large amounts are read the way Iranian budgets are written: 320000000000 rials is
    «۳۲۰ میلیارد ریال» / "320 billion rials" (one decimal at most); `exact=True` gives every digit.
    """
    if rials is None:
        return ""
    divisor, fa_label, en_label = MONEY_UNITS.get(unit, MONEY_UNITS["rial"])
    persian = is_persian(language)
    amount = Decimal(rials) / divisor
    label = fa_label if persian else en_label
    if not exact:
        for size, fa_scale, en_scale in MONEY_SCALES:
            if abs(amount) >= size:
                scaled = (amount / size).quantize(Decimal("0.1")).normalize()
                return f"{format_number(scaled, language)} {fa_scale if persian else en_scale} {label}"
    return f"{format_number(amount, language)} {label}"


def format_percent(value, language=None):
    """A percentage with the language's sign: ۴۵٪ on fa, 45% on en."""
    if value is None or value == "":
        return ""
    return f"{format_number(value, language)}{'٪' if is_persian(language) else '%'}"


def list_separator(language=None):
    """The comma between list items: «، » on fa, ", " on en."""
    return "، " if is_persian(language) else ", "


JALALI_EPOCH_OFFSET = 621  # a Gregorian year is mostly Jalali year + 621 (from Farvardin to Dey)
_LATIN_LETTERS = re.compile(r"[A-Za-z]")


def _is_foreign_source(citation, url):
    host = re.sub(r"^[a-z]+://", "", url or "").split("/", 1)[0].split(":", 1)[0].lower()
    return bool(host and not host.endswith(".ir")) or bool(_LATIN_LETTERS.search(str(citation or "")))


def reference_year(citation, year, url="", language=None):
    """The year printed after a citation, or "" when the citation names it already (no doubled years).

    On fa the year is Jalali in Persian digits, and for a foreign source the Gregorian year follows in
    parentheses (۱۴۰۳ (۲۰۲۴)); no ASCII year is printed. On en the year is Gregorian. Editors may type
    either calendar (a year after 1700 is taken as Gregorian)."""
    text = to_ascii_digits(str(year or "")).strip()
    if not text.isdigit():
        return localize_digits(text, language)
    value = int(text)
    gregorian = value if value > 1700 else value + JALALI_EPOCH_OFFSET
    jalali = gregorian - JALALI_EPOCH_OFFSET
    named = set(re.findall(r"\d{4}", to_ascii_digits(str(citation or ""))))
    if named & {str(gregorian), str(jalali), str(jalali - 1), str(gregorian + 1)}:
        return ""
    if not is_persian(language):
        return str(gregorian)
    shown = to_persian_digits(jalali)
    if _is_foreign_source(citation, url):
        shown += f" ({to_persian_digits(gregorian)})"
    return shown


def format_reference(citation, year="", url="", language=None):
    """A citation with its year (`reference_year`): «…، ۱۴۰۳ (۲۰۲۴).» on fa, "… (2024)." on en."""
    shown = reference_year(citation, year, url, language)
    if not shown:
        return citation
    base = str(citation).rstrip()
    end = "." if base.endswith(".") else ""
    base = base.removesuffix(".")
    return f"{base}، {shown}{end}" if is_persian(language) else f"{base} ({shown}){end}"


def as_date(value):
    """Accept a date, a datetime (converted to local time) or an ISO string; return a date."""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    return value


def _format_day(value, language, jalali_text, gregorian_text):
    """The day as Jalali text in Persian digits on fa, as Gregorian text otherwise; empty for no date."""
    if not value:
        return ""
    day = as_date(value)
    if is_persian(language):
        return to_persian_digits(jalali_text(JalaliDate(day)))
    return gregorian_text(day)


def format_date(value, language=None):
    """1 Dey 1404 as «۱ دی ۱۴۰۴» on fa; «22 December 2025» on en."""
    return _format_day(
        value,
        language,
        lambda jalali: f"{jalali.day} {JALALI_MONTHS[jalali.month - 1]} {jalali.year}",
        lambda day: f"{day.day} {day:%B %Y}",
    )


def parse_local_date(text):
    """A date typed by an editor: Jalali (۱۴۰۳/۰۱/۱۵) or Gregorian (2024-04-03), any digits.

    A year below 1700 is read as Jalali. Raises ValueError for anything that is not a real date.
    """
    parts = re.split(r"[/\-.\s]+", to_ascii_digits(str(text)).strip())
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        raise ValueError(f"not a date: {text!r}")
    year, month, day = (int(part) for part in parts)
    if year < 1700:
        return JalaliDate(year, month, day).to_gregorian()
    return datetime.date(year, month, day)


def format_date_input(value, language=None):
    """The text an editor sees in a date field: ۱۴۰۲/۰۸/۰۱ on fa, 2023-10-23 on en."""
    return _format_day(
        value,
        language,
        lambda jalali: f"{jalali.year}/{jalali.month:02d}/{jalali.day:02d}",
        lambda day: day.isoformat(),
    )


# LRE, RLE, PDF, LRO, RLO: embeddings and overrides enable display spoofing ("Trojan Source",
# CVE-2021-42574) and have no place in a title (PERSIAN.md §4). Isolates are kept in balanced pairs.
BIDI_EMBEDDINGS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e"))
ISOLATE_OPENERS, ISOLATE_CLOSER = "\u2066\u2067\u2068", "\u2069"  # LRI, RLI, FSI; PDI


def clean_title(text):
    """A title as stored: NFC, without bidi embeddings and overrides, with isolates only in balanced
    pairs (an unmatched LRI/RLI/FSI or PDI is dropped). ZWNJ, ZWJ, LRM and RLM are kept."""
    chars = list(unicodedata.normalize("NFC", text).translate(BIDI_EMBEDDINGS))
    open_isolates, unmatched = [], set()
    for index, char in enumerate(chars):
        if char in ISOLATE_OPENERS:
            open_isolates.append(index)
        elif char == ISOLATE_CLOSER:
            if open_isolates:
                open_isolates.pop()
            else:
                unmatched.add(index)
    unmatched.update(open_isolates)
    return "".join(char for index, char in enumerate(chars) if index not in unmatched).strip()


class CleanTitlesMixin:
    """Model mixin: the fields named in `title_fields` go through `clean_title` on validation (admin
    forms) and on every save (imports, commands, wagtail-localize)."""

    title_fields = ("title",)

    def clean_titles(self):
        for name in self.title_fields:
            value = getattr(self, name)
            if value:
                setattr(self, name, clean_title(value))

    def full_clean(self, *args, **kwargs):
        self.clean_titles()
        return super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        self.clean_titles()
        return super().save(*args, **kwargs)
