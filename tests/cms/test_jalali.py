"""The Jalali calendar of the Persian admin (cms.jalali) and numbers typed in text inputs (cms.forms).

Leap years: 1403 and 1408 are leap (30 Esfand exists), 1404 is not; the turn of the year, time zones
(Asia/Tehran, UTC+03:30 all year) and the admin's date display with ISO left alone for machines.
"""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import timezone, translation
from wagtail.admin.telepath import JSContext
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput

from cms import jalali
from cms.blocks import NumberBlock, WholeNumberBlock
from cms.forms import LocalizedDecimalField, LocalizedIntegerField, LocalizedNumberInput

TEHRAN = datetime.timezone(datetime.timedelta(hours=3, minutes=30))


@pytest.mark.parametrize(
    ("jalali_date", "gregorian"),
    [
        ((1403, 12, 30), datetime.date(2025, 3, 20)),  # 1403 is leap
        ((1404, 1, 1), datetime.date(2025, 3, 21)),
        ((1404, 10, 1), datetime.date(2025, 12, 22)),
        ((1404, 12, 29), datetime.date(2026, 3, 20)),  # 1404 is not leap: its last day
        ((1405, 1, 1), datetime.date(2026, 3, 21)),
        ((1408, 12, 30), datetime.date(2030, 3, 20)),  # 1408 is leap
        ((1409, 1, 1), datetime.date(2030, 3, 21)),
        ((1399, 12, 30), datetime.date(2021, 3, 20)),
    ],
)
def test_conversion_both_ways(jalali_date, gregorian):
    assert jalali.jalali_to_gregorian(*jalali_date) == gregorian
    assert jalali.gregorian_to_jalali(gregorian) == jalali_date


@pytest.mark.parametrize("impossible", [(1404, 12, 30), (1407, 12, 30), (1403, 7, 31), (1403, 13, 1)])
def test_days_the_calendar_has_not_are_refused(impossible):
    with pytest.raises(ValueError):
        jalali.jalali_to_gregorian(*impossible)
    text = "{}/{}/{}".format(*impossible)
    with pytest.raises(ValidationError):
        forms.DateField(widget=AdminDateInput()).clean(jalali.to_gregorian_text(text, with_time=False))


@pytest.mark.parametrize(
    ("typed", "with_time", "posted"),
    [
        ("۱۴۰۳/۱۲/۳۰", False, "2025-03-20"),
        ("1403/12/30", False, "2025-03-20"),
        ("١٤٠٣/١٢/٣٠", False, "2025-03-20"),
        ("2025-03-20", False, "2025-03-20"),
        ("۱۴۱۰/۰۱/۱۵ ۰۹:۳۰", True, "2031-04-04 09:30:00"),
        ("1410/01/15 09:30:00", True, "2031-04-04 09:30:00"),
        ("۱۴۰۴/۰۱/۰۱", True, "2025-03-21 00:00:00"),
        ("", False, ""),
    ],
)
def test_widgets_post_gregorian_text(typed, with_time, posted):
    widget = AdminDateTimeInput() if with_time else AdminDateInput()
    assert widget.value_from_datadict({"d": typed}, {}, "d") == posted


def test_a_tehran_wall_clock_time_is_stored_as_its_utc_instant():
    """The schedule dialog's go-live field: typed in Tehran time, the database holds UTC."""
    field = forms.DateTimeField(widget=AdminDateTimeInput())
    with timezone.override("Asia/Tehran"), translation.override("fa"):
        value = field.clean(field.widget.value_from_datadict({"go": "۱۴۰۳/۱۲/۳۰ ۲۳:۴۵"}, {}, "go"))
        assert value.astimezone(datetime.UTC) == datetime.datetime(2025, 3, 20, 20, 15, tzinfo=datetime.UTC)
        # 23:45 on the last day of 1403 in Tehran is the next Gregorian day in UTC+9 and still 1403 here.
        assert field.widget.format_value(value) == "۱۴۰۳/۱۲/۳۰ ۲۳:۴۵"
        after_midnight = datetime.datetime(2025, 3, 20, 21, 0, tzinfo=datetime.UTC)  # 00:30 in Tehran
        assert field.widget.format_value(after_midnight) == "۱۴۰۴/۰۱/۰۱ ۰۰:۳۰"
    with timezone.override("UTC"), translation.override("fa"):
        assert field.widget.format_value(after_midnight) == "۱۴۰۳/۱۲/۳۰ ۲۱:۰۰"


def test_persian_widgets_carry_the_picker_and_english_ones_keep_wagtails():
    with translation.override("fa"):
        date_html = AdminDateInput().render("start", datetime.date(2025, 3, 20))
        datetime_html = AdminDateTimeInput().render(
            "go", datetime.datetime(2031, 4, 4, 6, tzinfo=datetime.UTC)
        )
        packed = JSContext().pack(AdminDateInput())
    assert 'value="۱۴۰۳/۱۲/۳۰"' in date_html and "data-jdp" in date_html
    assert "data-jdp-only-date" in date_html and "initDateChooser" not in date_html
    assert "data-jdp" in datetime_html and "data-jdp-only-date" not in datetime_html
    assert "initDateTimeChooser" not in datetime_html
    assert packed["_type"] == "wagtail.widgets.Widget"  # StreamField: no Gregorian picker attached
    with translation.override("en"):
        html = AdminDateInput().render("start", datetime.date(2025, 3, 20))
        assert JSContext().pack(AdminDateInput())["_type"] == "wagtail.widgets.AdminDateInput"
    assert 'value="2025-03-20"' in html and "initDateChooser" in html and "data-jdp" not in html


def test_a_form_shown_again_with_an_error_keeps_the_jalali_date():
    class Form(forms.Form):
        start = forms.DateField(widget=AdminDateInput())
        count = LocalizedIntegerField()

    with translation.override("fa"):
        form = Form({"start": "۱۴۰۳/۱۲/۳۰", "count": "۱۲ تا"})
        assert not form.is_valid() and "count" in form.errors
        assert 'value="۱۴۰۳/۱۲/۳۰"' in str(form["start"])
        assert 'value="۱۲ تا"' in str(form["count"])  # what was typed, to correct


ADMIN_TEMPLATE = Template(
    '{{ moment|date:"DATETIME_FORMAT" }}|{{ moment|date:"SHORT_DATE_FORMAT" }}|{{ moment|date:"c" }}|'
    '{{ moment|date:"U" }}|{{ moment|time:"H:i" }}|{{ day|date:"j F Y" }}|{{ day|date:"L t z" }}|'
    '{{ day|date:"D" }}'
)


def test_the_persian_admin_shows_jalali_dates_and_machines_get_iso():
    moment = datetime.datetime(2025, 3, 20, 21, 0, tzinfo=datetime.UTC)  # 1404/01/01 00:30 in Tehran
    context = Context({"moment": moment, "day": datetime.date(2025, 3, 20)})
    with timezone.override("Asia/Tehran"), translation.override("fa"), jalali.admin_calendar():
        shown = ADMIN_TEMPLATE.render(context).split("|")
    assert shown == [
        "۱ فروردین ۱۴۰۴، ساعت ۰:۳۰",
        "۱۴۰۴/۱/۱",
        "2025-03-21T00:30:00+03:30",
        "1742504400",
        "۰۰:۳۰",
        "۳۰ اسفند ۱۴۰۳",
        "True ۳۰ ۳۶۶",  # 1403 is leap: Esfand has 30 days, 30 Esfand is its 366th day
        "پنجشنبه",
    ]


def test_outside_the_admin_and_in_english_django_formats_as_before():
    moment = datetime.datetime(2025, 3, 20, 21, 0, tzinfo=datetime.UTC)
    context = Context({"moment": moment, "day": datetime.date(2025, 3, 20)})
    with timezone.override("Asia/Tehran"), translation.override("fa"):
        portal = Template('{{ day|date:"Y-m-d" }}').render(context)  # the portal's <time datetime>
    with timezone.override("Asia/Tehran"), translation.override("fa"), jalali.admin_calendar():
        preview = Template('{{ day|date:"Y-m-d" }}').render(context)  # a portal template in a preview
    with timezone.override("Asia/Tehran"), translation.override("en"), jalali.admin_calendar():
        english = Template('{{ day|date:"j F Y" }}').render(context)
    assert (portal, preview, english) == ("2025-03-20", "2025-03-20", "20 March 2025")


def test_the_admin_middleware_marks_admin_requests_only():
    seen = {}

    def view(request):
        seen[request.path] = jalali._admin_calendar.get()
        return None

    middleware = jalali.AdminCalendarMiddleware(view)
    from django.test import RequestFactory

    factory = RequestFactory()
    middleware(factory.get("/admin/pages/"))
    middleware(factory.get("/fa/plans/"))
    assert seen == {"/admin/pages/": True, "/fa/plans/": False}
    assert jalali._admin_calendar.get() is False


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("۳۲۰٬۰۰۰٬۰۰۰٬۰۰۰", 320_000_000_000),
        ("320,000,000,000", 320_000_000_000),
        ("۱۲ ۳۴۵", 12345),
        ("\u200f۱۲٬۳۴۵", 12345),
        ("−۵", -5),
    ],
)
def test_integers_typed_any_way(typed, expected):
    assert LocalizedIntegerField().clean(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("۱۲٬۳۴۵٫۶۷", Decimal("12345.67")), ("12,345.67", Decimal("12345.67")), ("٤٥٫٥", Decimal("45.5"))],
)
def test_decimals_typed_any_way(typed, expected):
    assert LocalizedDecimalField(decimal_places=2).clean(typed) == expected


def test_number_inputs_are_text_with_a_keypad_and_show_the_value_formatted():
    with translation.override("fa"):
        html = LocalizedNumberInput().render("budget", 320_000_000_000)
        decimal_html = LocalizedNumberInput(decimal=True).render("kpi", Decimal("12345.5"))
    assert 'type="text"' in html and 'inputmode="numeric"' in html and 'value="۳۲۰٬۰۰۰٬۰۰۰٬۰۰۰"' in html
    assert 'inputmode="decimal"' in decimal_html and 'value="۱۲٬۳۴۵٫۵"' in decimal_html
    with translation.override("en"):
        assert 'value="320,000,000,000"' in LocalizedNumberInput().render("budget", 320_000_000_000)


def test_model_integer_fields_of_page_forms_get_the_text_inputs():
    from plans.models import PlanPage

    fields = PlanPage.get_edit_handler().get_form_class().base_fields
    budget = fields["approved_budget_rials"]
    assert isinstance(budget, LocalizedIntegerField)
    assert isinstance(budget.widget, LocalizedNumberInput)
    with translation.override("fa"):
        rendered = budget.widget.render(
            "approved_budget_rials", 320_000_000_000, budget.widget_attrs(budget.widget)
        )
    assert 'type="text"' in rendered and 'value="۳۲۰٬۰۰۰٬۰۰۰٬۰۰۰"' in rendered
    assert budget.clean("۳۲۰٬۰۰۰") == 320_000
    with pytest.raises(ValidationError):
        budget.clean("-۱")  # PositiveBigIntegerField keeps its minimum
    assert isinstance(fields["start_date"].widget, AdminDateInput)


def test_numeric_blocks_take_persian_digits_and_show_them_back():
    kpi, percent = NumberBlock(decimal_places=2, required=False), WholeNumberBlock(min_value=0, max_value=100)
    with translation.override("fa"):
        assert kpi.get_form_state(Decimal("12345.50")) == "۱۲٬۳۴۵٫۵"
        assert percent.get_form_state(85) == "۸۵"
    assert kpi.clean(kpi.value_from_datadict({"k": "۱۲٬۳۴۵٫۵"}, {}, "k")) == Decimal("12345.5")
    assert percent.clean(percent.value_from_datadict({"p": "۸۵"}, {}, "p")) == 85
    with pytest.raises(ValidationError):
        percent.clean("۱۰۱")
    assert kpi.deconstruct()[0] == "cms.blocks.NumberBlock"  # migrations unchanged


def test_a_stored_decimal_reads_back_as_written():
    """KPI values stored as JSON numbers (9.4) pass a full validation (Submit, the readiness checklist)."""
    block = NumberBlock(decimal_places=2)
    assert block.clean(block.to_python(9.4)) == Decimal("9.4")


@pytest.mark.parametrize(
    "ago, fa, en",
    [
        (datetime.timedelta(seconds=20), "همین حالا", "just now"),
        (datetime.timedelta(minutes=3), "۳\xa0دقیقه پیش", "3\xa0minutes ago"),
        (datetime.timedelta(days=38), "۱\xa0ماه پیش", "1\xa0month ago"),  # not "۱ ماه،۱ هفته پیش"
    ],
)
def test_wagtails_relative_times_speak_persian_digits(ago, fa, en):
    """Wagtail's status panel, listings and history ("3 minutes ago", "at 14:30 by …")."""
    template = Template(
        "{% load wagtailadmin_tags %}{{ when|timesince_simple }}|"
        "{% timesince_last_update when user_display_name='user42' %}"
    )
    context = Context({"when": timezone.now() - ago})
    with translation.override("fa"):
        simple, last_update = template.render(context).split("|")
    assert simple == fa and last_update.endswith("user42")  # digits in the time, not in the name
    assert not any(digit in last_update.replace("user42", "") for digit in "0123456789")
    with translation.override("en"):
        assert template.render(context).split("|")[0] == en
