"""The Jalali calendar in the Persian admin, in one place: dates typed, picked and shown.

- Typed and picked: Wagtail's own date and date-time widgets (`AdminDateInput`, `AdminDateTimeInput`)
  are the widgets of every date input of the admin: page and snippet fields, StreamField date blocks,
  the go-live/expiry (schedule) dialog, listing and report filters. `install()` teaches them the Jalali
  calendar on fa: they show ۱۴۰۳/۱۲/۳۰ (۱۴:۳۰), carry `data-jdp` for the Jalali picker
  (`cms/static/cms/jalali_dates.js`, @majidh1/jalalidatepicker) instead of Wagtail's Gregorian jQuery
  picker, and turn what is posted back into the Gregorian text the form field parses. Storage stays
  Gregorian, in Asia/Tehran (TIME_ZONE).
- Shown: Django's `fa` formats print Gregorian dates with Persian month names. In the admin
  (`AdminCalendarMiddleware`), every date Django formats on fa (the `date`/`time` filters, `date_format`:
  Wagtail's listings, history, tooltips and dashboard) is Jalali with Persian digits. Machine formats
  (`c`, `r`, `U`, `O`, `e`, `T`, `Z`, `I`, and formats starting `Y-m-d`) stay Gregorian ISO/RFC, so
  the portal's `<time datetime>` values stay ISO in admin previews; the portal keeps its `jdate` filters.
- Relative: Wagtail's "3 minutes ago" and "at 14:30 by …" (`timesince_simple`, `timesince_last_update`:
  the status panel, listings, history) come in Persian digits on fa, from the server (also where no script
  runs: screen readers, tooltips), and "1 month، 1 week ago" is shortened to "1 month ago" as in English
  (Wagtail cuts at ",", Persian joins with "،").
"""

import contextvars
import datetime
import functools
import re

from django.utils import dateformat, timezone
from django.utils.dates import WEEKDAYS
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from persiantools.jdatetime import JalaliDate

from cms import i18n

# The Jalali year where its Gregorian one would be ambiguous: a year below this is read as Jalali.
JALALI_YEAR_LIMIT = 1700
_admin_calendar = contextvars.ContextVar("revayat_admin_calendar", default=False)
DATE_TIME = re.compile(
    r"^\s*(\d{1,4})[/\-.](\d{1,2})[/\-.](\d{1,2})(?:[\sT,،]+(\d{1,2})[:٫.](\d{1,2})(?:[:٫.](\d{1,2}))?)?\s*$"
)


def jalali_to_gregorian(year, month, day):
    """The Gregorian date of a Jalali one; ValueError for a day the Jalali calendar has not (1404/12/30)."""
    return JalaliDate(year, month, day).to_gregorian()


def gregorian_to_jalali(value):
    """(year, month, day) of a date in the Jalali calendar."""
    jalali = JalaliDate(value)
    return jalali.year, jalali.month, jalali.day


def parse_local_datetime(text):
    """(date, time or None) of what an editor typed or picked: a Jalali (۱۴۰۳/۱۲/۳۰ ۱۴:۳۰) or Gregorian
    (2025-03-20 14:30) date, optionally with a time, in any digits. Raises ValueError otherwise."""
    match = DATE_TIME.match(i18n.to_ascii_digits(str(text)))
    if not match:
        raise ValueError(f"not a date: {text!r}")
    year, month, day, hour, minute, second = (int(part) if part else None for part in match.groups())
    if year < JALALI_YEAR_LIMIT:
        day = jalali_to_gregorian(year, month, day)
    else:
        day = datetime.date(year, month, day)
    moment = None if hour is None else datetime.time(hour, minute, second or 0)
    return day, moment


def to_gregorian_text(text, with_time):
    """What a Jalali widget posts, as the ISO text Django's date (time) fields parse: '1403/12/30 14:30' →
    '2025-03-20 14:30'. Anything that is not a date comes back with ASCII digits for the field to refuse."""
    if not isinstance(text, str) or not text.strip():
        return text
    try:
        day, moment = parse_local_datetime(text)
    except ValueError:
        return i18n.to_ascii_digits(text).strip()
    if not with_time:
        return day.isoformat()
    return f"{day.isoformat()} {(moment or datetime.time()).strftime('%H:%M:%S')}"


def format_input(value, with_time, language=None):
    """The text of a date (time) input: ۱۴۰۳/۱۲/۳۰ (۱۴:۳۰) on fa; None when this is not a date to format."""
    if isinstance(value, str):
        try:
            day, moment = parse_local_datetime(value)
        except ValueError:
            return None
        value = datetime.datetime.combine(day, moment or datetime.time()) if with_time else day
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        day, moment = value.date(), value.time()
    elif isinstance(value, datetime.date):
        day, moment = value, None
    else:
        return None
    year, month, dayofmonth = gregorian_to_jalali(day)
    text = f"{year}/{month:02d}/{dayofmonth:02d}"
    if with_time:
        text += f" {(moment or datetime.time()).strftime('%H:%M')}"
    return i18n.localize_digits(text, language)


# ---- Display: Django's date formatting, Jalali on the Persian admin -----------------------------------

MACHINE_FORMATS = frozenset("crUOeTZI")


class JalaliDateFormat(dateformat.DateFormat):
    """Django's DateFormat with the Jalali calendar for the date parts and Persian digits; the machine
    formats (ISO 8601, RFC 5322, Unix time, offsets) stay as Django writes them."""

    def __init__(self, obj):
        super().__init__(obj)
        day = obj.date() if isinstance(obj, datetime.datetime) else obj
        self.jalali = JalaliDate(day)

    def format(self, formatstr):
        pieces = []
        for index, piece in enumerate(dateformat.re_formatchars.split(str(formatstr))):
            if index % 2:
                if type(self.data) is datetime.date and hasattr(dateformat.TimeFormat, piece):
                    raise TypeError(
                        "The format for date objects may not contain time-related format specifiers "
                        f"(found {piece!r})."
                    )
                text = str(getattr(self, piece)())
                pieces.append(text if piece in MACHINE_FORMATS else i18n.to_persian_digits(text))
            elif piece:
                pieces.append(dateformat.re_escaped.sub(r"\1", piece))
        return "".join(pieces)

    def b(self):
        return self.F()

    def d(self):
        return f"{self.jalali.day:02d}"

    def E(self):
        return self.F()

    def F(self):
        return i18n.JALALI_MONTHS[self.jalali.month - 1]

    def j(self):
        return self.jalali.day

    def L(self):
        return JalaliDate.is_leap(self.jalali.year)

    def m(self):
        return f"{self.jalali.month:02d}"

    def M(self):
        return self.F()

    def n(self):
        return self.jalali.month

    def N(self):
        return self.F()

    def S(self):
        return ""

    def t(self):
        return JalaliDate.days_in_month(self.jalali.month, self.jalali.year)

    def D(self):
        return WEEKDAYS[self.data.weekday()]

    def y(self):
        return f"{self.jalali.year % 100:02d}"

    def Y(self):
        return self.jalali.year

    def z(self):
        month, day = self.jalali.month, self.jalali.day
        return (month - 1) * 31 + day if month <= 6 else 186 + (month - 7) * 30 + day


def admin_calendar_active():
    """True while a Persian admin request is answered: dates Django formats are Jalali."""
    return _admin_calendar.get() and i18n.is_persian()


def format_date(value, format_string):
    """Django's `dateformat.format`, Jalali on the Persian admin. A format starting with ISO's `Y-m-d` is
    for machines (`<time datetime>` in portal templates, also rendered in admin previews): Gregorian."""
    if admin_calendar_active() and not str(format_string).startswith("Y-m-d"):
        return JalaliDateFormat(value).format(format_string)
    return _django_format(value, format_string)


def format_time(value, format_string):
    """Django's `dateformat.time_format`, with Persian digits on the Persian admin."""
    text = _django_time_format(value, format_string)
    return i18n.to_persian_digits(text) if admin_calendar_active() else text


_django_format = dateformat.format
_django_time_format = dateformat.time_format


class AdminCalendarMiddleware:
    """Marks the requests of the admin (its URL prefix), where Persian dates are shown Jalali."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = None

    def __call__(self, request):
        if self.prefix is None:
            from django.urls import reverse

            self.prefix = reverse("wagtailadmin_home")
        token = _admin_calendar.set(request.path.startswith(self.prefix))
        try:
            return self.get_response(request)
        finally:
            _admin_calendar.reset(token)


class admin_calendar:
    """Context manager: format dates as the admin does (tests, commands rendering admin templates)."""

    def __enter__(self):
        self.token = _admin_calendar.set(True)

    def __exit__(self, *exc):
        _admin_calendar.reset(self.token)


# ---- Input: Wagtail's date widgets, Jalali on fa ------------------------------------------------------

PICKER_TEMPLATE = "cms/widgets/jalali_date_input.html"


def _jalali_widget(widget_class, with_time):
    """Teach one of Wagtail's date widget classes the Jalali calendar on fa (see the module docstring)."""
    format_value = widget_class.format_value
    value_from_datadict = widget_class.value_from_datadict
    get_context = widget_class.get_context
    gregorian_template = widget_class.template_name

    def jalali_format_value(self, value):
        if i18n.is_persian():
            text = format_input(value, with_time)
            if text is not None:
                return text
        return format_value(self, value)

    def jalali_value_from_datadict(self, data, files, name):
        return to_gregorian_text(value_from_datadict(self, data, files, name), with_time)

    def jalali_get_context(self, name, value, attrs):
        context = get_context(self, name, value, attrs)
        if i18n.is_persian():
            widget_attrs = context["widget"]["attrs"]
            widget_attrs.update({"data-jdp": "", "dir": "ltr", "autocomplete": "off"})
            if not with_time:
                widget_attrs["data-jdp-only-date"] = ""
            widget_attrs.setdefault("placeholder", "۱۴۰۳/۰۱/۱۵" + (" ۰۹:۰۰" if with_time else ""))
            context["widget"]["type"] = "text"
        return context

    def template_name(self):
        return PICKER_TEMPLATE if i18n.is_persian() else gregorian_template

    widget_class.format_value = jalali_format_value
    widget_class.value_from_datadict = jalali_value_from_datadict
    widget_class.get_context = jalali_get_context
    widget_class.template_name = property(template_name)
    widget_class.jalali_calendar = True


def timesince_simple(value):
    """Wagtail's "19 hours ago" (its first unit only), Persian-digited on fa."""
    period = re.split("[,،]", timesince(value))[0]
    if period == timesince(value, now=value):  # "0 minutes"
        return _("just now")
    return i18n.localize_digits(_("%(time_period)s ago") % {"time_period": period})


def _persian_digits(timesince_last_update):
    """Wagtail's tag, with Persian digits in its time but not in the user's name."""

    @functools.wraps(timesince_last_update)
    def localized(last_update, show_time_prefix=False, user_display_name="", use_shorthand=True):
        text = timesince_last_update(
            last_update, show_time_prefix, "\x00" if user_display_name else "", use_shorthand
        )
        return i18n.localize_digits(text).replace("\x00", str(user_display_name))

    return localized


def _install_relative_times():
    from wagtail.admin.templatetags import wagtailadmin_tags as tags

    original = tags.timesince_last_update
    tags.timesince_simple = timesince_simple  # what timesince_last_update calls for its shorthand
    tags.register.filter("timesince_simple", timesince_simple)
    tags.register.simple_tag(_persian_digits(original), name="timesince_last_update")


def install():
    """Jalali dates in the Persian admin: Wagtail's date widgets, Django's date formatting and Wagtail's
    relative times (once)."""
    from wagtail.admin.telepath import register
    from wagtail.admin.widgets import datetime as wagtail_datetime

    if getattr(wagtail_datetime.AdminDateInput, "jalali_calendar", False):
        return
    _install_relative_times()
    _jalali_widget(wagtail_datetime.AdminDateInput, with_time=False)
    _jalali_widget(wagtail_datetime.AdminDateTimeInput, with_time=True)
    # In StreamField the widgets are built in the browser (telepath): on fa a plain input that the picker
    # watches, instead of Wagtail's constructor that attaches the Gregorian picker.
    for widget_class, adapter_class in (
        (wagtail_datetime.AdminDateInput, wagtail_datetime.AdminDateInputAdapter),
        (wagtail_datetime.AdminDateTimeInput, wagtail_datetime.AdminDateTimeInputAdapter),
    ):
        register(_jalali_adapter(adapter_class)(), widget_class)
    dateformat.format = format_date
    dateformat.time_format = format_time


def _jalali_adapter(adapter_class):
    from wagtail.admin.telepath.widgets import WidgetAdapter

    gregorian_constructor = adapter_class.js_constructor

    class JalaliAdapter(adapter_class):
        @property
        def js_constructor(self):
            return "wagtail.widgets.Widget" if i18n.is_persian() else gregorian_constructor

        def js_args(self, widget):
            if i18n.is_persian():
                return WidgetAdapter.js_args(self, widget)
            return super().js_args(widget)

    return JalaliAdapter
