"""KPIs as content: periods, the Persian-digit parser, the model, the dashboards and their downloads.

Scenarios:
- a date typed in any digits is stored as the first day of its Jalali year/quarter/month, shown as a
  Jalali period on fa and with its Gregorian span on en;
- KPI numbers typed with Persian digits and separators (۱۸٬۵۰۰٫۵) are read as decimals;
- the demo's KPIs are in the model, in both languages, all marked illustrative, and section 5 shows them;
- the dashboards (plan and overall) show each chart as SVG with a data table in the page itself, in
  Persian digits on fa, with at most 15 queries;
- internal series are shown to signed-in people only, confidential ones to nobody, in the pages, the
  API and the downloads;
- CSV and XLSX carry the same numbers as the page and the API, and escape formula-like text.
"""

import csv
import datetime
import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import Locale

from cms.forms import LocalizedDecimalField
from plans import kpi_data
from plans.charts import rows as chart_rows
from plans.charts import series_chart, series_spec
from plans.kpi_exports import safe_text, to_xlsx
from plans.models import KPI, KPIValue, PlanIndexPage, PlanPage
from plans.models.kpi import Confidentiality
from plans.periods import PeriodKind, period_code, period_label, period_start

pytestmark = pytest.mark.django_db


# Periods and parsing ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("day", "kind", "start", "code"),
    [
        (datetime.date(2024, 7, 1), PeriodKind.YEAR, datetime.date(2024, 3, 20), "1403"),
        (datetime.date(2024, 7, 1), PeriodKind.QUARTER, datetime.date(2024, 6, 21), "1403-Q2"),
        (datetime.date(2024, 7, 1), PeriodKind.MONTH, datetime.date(2024, 6, 21), "1403-04"),
        (datetime.date(2025, 3, 19), PeriodKind.YEAR, datetime.date(2024, 3, 20), "1403"),
        (datetime.date(2025, 3, 21), PeriodKind.YEAR, datetime.date(2025, 3, 21), "1404"),
    ],
)
def test_a_day_is_stored_as_its_jalali_period(day, kind, start, code):
    assert period_start(day, kind) == start
    assert period_code(day, kind) == code


def test_periods_read_as_jalali_on_fa_and_with_their_span_on_en():
    day = datetime.date(2024, 7, 1)
    assert period_label(day, PeriodKind.YEAR, "fa") == "۱۴۰۳"
    assert period_label(day, PeriodKind.QUARTER, "fa") == "تابستان ۱۴۰۳"
    assert period_label(day, PeriodKind.MONTH, "fa") == "تیر ۱۴۰۳"
    assert period_label(day, PeriodKind.YEAR, "en") == "1403 (2024/25)"
    assert period_label(day, PeriodKind.QUARTER, "en") == "Q2 1403"


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("۱۸٬۵۰۰", Decimal("18500")),
        ("۹٫۴", Decimal("9.4")),
        ("1,250.5", Decimal("1250.5")),
        ("٣٥", Decimal("35")),
        ("−۲", Decimal("-2")),
    ],
)
def test_kpi_numbers_are_typed_in_any_digits(typed, value):
    assert LocalizedDecimalField(max_digits=20, decimal_places=2).clean(typed) == value


def test_a_kpi_number_field_is_a_numeric_text_input():
    html = LocalizedDecimalField().widget.render("value", "")
    assert 'type="text"' in html and 'inputmode="decimal"' in html


def test_the_admin_form_of_a_kpi_takes_persian_digits_and_jalali_dates(admin_client):
    plan = PlanPage.objects.get(locale__language_code="fa", plan_number=14)
    data = {
        "plan": plan.pk,
        "name": "شاخص آزمایشی",
        "definition": "",
        "unit": "درصد",
        "direction": "higher",
        "period_kind": "year",
        "baseline_value": "۲۴",
        "baseline_period": "۱۴۰۲/۰۵/۰۱",
        "target_value": "۶۰",
        "target_period": "۱۴۰۴/۰۱/۰۱",
        "source": "",
        "notes": "",
        "confidentiality": "public",
        "sort_order": "۹",
        "values-TOTAL_FORMS": "1",
        "values-INITIAL_FORMS": "0",
        "values-MIN_NUM_FORMS": "0",
        "values-MAX_NUM_FORMS": "1000",
        "values-0-period": "۱۴۰۳/۱۲/۲۹",
        "values-0-value": "۵۱٫۵",
        "values-0-ORDER": "1",
        "values-0-id": "",
        "values-0-DELETE": "",
    }
    response = admin_client.post("/admin/snippets/plans/kpi/add/?locale=fa", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    kpi = KPI.objects.get(name="شاخص آزمایشی")
    assert kpi.baseline_value == 24 and kpi.baseline_period == datetime.date(2023, 3, 21)
    assert [(v.period, v.value) for v in kpi.values.all()] == [(datetime.date(2024, 3, 20), Decimal("51.5"))]


# The demo's KPIs are content ----------------------------------------------------------------------------
def test_the_demo_kpis_are_in_the_model_in_both_languages_marked_illustrative():
    for plan in PlanPage.objects.filter(plan_number__in=[12, 14, 15, 18]):
        series = kpi_data.plan_series(plan)
        assert len(series) == 6, plan
        assert all(s.kpi.illustrative and s.kpi.locale_id == plan.locale_id for s in series)
    fa = KPI.objects.get(locale__language_code="fa", name__startswith="میانگین زمان تصدی")
    en = fa.get_translation(Locale.objects.get(language_code="en"))
    assert en.name == "Average time to fill a managerial vacancy"
    assert en.plan == fa.plan  # synchronized: the plan page the KPI was written for
    assert [v.value for v in en.values.all()] == [v.value for v in fa.values.all()] == [Decimal("38")]
    assert en.baseline_value == fa.baseline_value == Decimal("74")


def test_section_5_shows_the_plan_kpis_in_persian_digits(client):
    plan = PlanPage.objects.get(locale__language_code="fa", plan_number=14)
    html = client.get(plan.url).content.decode()
    dashboard = html[html.index('id="dashboard"') : html.index('id="section-6"')]
    assert "میانگین زمان تصدی سمت بلاتصدی" in dashboard
    assert "<svg" in dashboard and "<table" in dashboard
    assert "۷۴" in dashboard and "۳۸" in dashboard
    assert plan.dashboard_url in dashboard


# Dashboards ---------------------------------------------------------------------------------------------
def count_queries(client, url):
    client.get(url)  # warm caches that are not the page's own (site root paths, settings)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response


def test_the_plan_dashboard_draws_rtl_charts_with_tables_in_constant_queries(client):
    """The dashboard costs two queries beyond the portal's page shell (routing, the door, settings,
    language alternates, the sharing image), whatever the number of KPIs: the door reads its paths once per
    request, routing takes two queries, the menu comes from the cache."""
    plan = PlanPage.objects.get(locale__language_code="fa", plan_number=18)
    count, response = count_queries(client, plan.dashboard_url)
    report_count, _response = count_queries(client, plan.url)
    for number in range(10):
        kpi = KPI.objects.create(plan=plan, locale=plan.locale, name=f"more {number}", baseline_value=number)
        KPIValue.objects.create(kpi=kpi, locale=plan.locale, period=datetime.date(2024, 5, 1), value=number)
    more, _response = count_queries(client, plan.dashboard_url)
    print(f"dashboard {count} queries, plan page {report_count} (ratio {count / report_count:.2f})")
    assert more == count <= 15  # the page shell (routing, door, language links, menu) is most of it
    assert count <= report_count + 2  # the plan page's whole article is one cached fragment
    html = response.content.decode()
    assert html.count('<svg class="kpi-chart"') == 6
    assert html.count('class="data-table kpi-series-table"') == 6
    assert "۱۸٬۵۰۰" in html and "۲۵٬۰۰۰" in html  # thousands with ٬, Persian digits
    assert 'href="csv/"' in html and 'href="xlsx/"' in html


def svg_texts(svg):
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_on_fa_the_value_axis_and_legend_are_on_the_right_and_every_number_persian():
    """The chart is Vega-Lite rendered by vl-convert: the axis side and legend anchor are in the spec;
    the rendered SVG carries the d3-format locale's Persian digits with ٬, and the points name
    themselves in Persian."""
    kpi = KPI.objects.filter(locale__language_code="fa").first()
    series = kpi_data.to_series(kpi)
    with translation.override("fa"):
        fa_spec, fa = series_spec(series, "fa"), series_chart(series, "fa")
    en_spec = series_spec(series, "en")
    axis = [layer["encoding"]["y"]["axis"]["orient"] for layer in fa_spec["layer"]]
    assert set(axis) == {"right"}
    assert {layer["encoding"]["y"]["axis"]["orient"] for layer in en_spec["layer"]} == {"left"}
    assert 'transform="translate(460.5,' in fa  # the value axis group sits at the plot's right edge
    texts = svg_texts(fa)
    assert texts and not any(ch in "".join(texts) for ch in "0123456789")
    assert any("\u066c" in t for t in texts)  # ٬ from the d3-format locale
    with translation.override("fa"):
        assert gettext("Before") != "Before" and f'aria-label="{gettext("Before")}،' in fa
    assert fa.startswith('<svg class="kpi-chart" width="100%" role="graphics-document"')
    assert "mark container" not in fa and "X-axis" not in fa


def test_the_overall_dashboard_filters_by_plan_and_period(client):
    index = PlanIndexPage.objects.get(locale__language_code="en")
    html = client.get(index.dashboard_url).content.decode()
    assert html.count('<svg class="kpi-chart"') == 24
    html = client.get(index.dashboard_url + "?plan=15").content.decode()
    assert html.count('<svg class="kpi-chart"') == 6
    assert "Time to calculate monthly incentive pay" in html
    html = client.get(index.dashboard_url + "?plan=15&from=1404&to=1404").content.decode()
    assert "1401 (2022/23)" not in html.split('class="kpi-cards"')[1].split("<svg")[0]


def test_internal_series_only_for_signed_in_people_and_confidential_for_nobody(client):
    plan = PlanPage.objects.get(locale__language_code="fa", plan_number=12)
    KPI.objects.create(
        plan=plan, locale=plan.locale, name="INTERNAL-KPI", confidentiality=Confidentiality.INTERNAL
    )
    KPI.objects.create(
        plan=plan, locale=plan.locale, name="SECRET-KPI", confidentiality=Confidentiality.CONFIDENTIAL
    )
    urls = [plan.url, plan.dashboard_url, plan.dashboard_url + "csv/", f"/api/v2/pages/{plan.pk}/"]
    for url in urls:
        text = client.get(url).content.decode()
        assert "INTERNAL-KPI" not in text and "SECRET-KPI" not in text, url
    user = get_user_model().objects.create_user("reader", password="pw")
    client.force_login(user)
    response = client.get(plan.dashboard_url)
    assert "INTERNAL-KPI" in response.content.decode() and "SECRET-KPI" not in response.content.decode()
    assert "private" in response["Cache-Control"]
    assert "SECRET-KPI" not in client.get(plan.dashboard_url + "csv/").content.decode()


# One series, identical numbers ---------------------------------------------------------------------------
def xlsx_rows(content):
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(content))
    return list(book.active.iter_rows(values_only=True))


def test_page_api_csv_and_xlsx_carry_the_same_numbers(client):
    plan = PlanPage.objects.get(locale__language_code="en", plan_number=15)
    kpi = next(s.kpi for s in kpi_data.plan_series(plan) if s.name.startswith("Voluntary turnover"))
    expected = {("baseline", "1401"): 9.4, ("actual", "1403"): 6.1, ("target", "1403"): 5.0}

    api = client.get(f"/api/v2/pages/{plan.pk}/?fields=kpis").json()["kpis"]
    series = next(s for s in api if s["id"] == kpi.pk)
    from_api = {
        ("baseline", series["baseline"]["period_code"]): series["baseline"]["value"],
        ("target", series["target"]["period_code"]): series["target"]["value"],
        **{("actual", p["period_code"]): p["value"] for p in series["values"]},
    }
    kinds = {"Before": "baseline", "Actual": "actual", "Target": "target"}
    rows = list(csv.reader(io.StringIO(client.get(plan.dashboard_url + "csv/").content.decode("utf-8-sig"))))
    from_csv = {(kinds[r[4]], r[5]): float(r[7]) for r in rows[1:] if r[2] == kpi.name}
    response = client.get(plan.dashboard_url + "xlsx/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    from_xlsx = {(kinds[r[4]], r[5]): r[7] for r in xlsx_rows(response.content)[1:] if r[2] == kpi.name}
    html = client.get(plan.dashboard_url).content.decode()
    card = html[html.index(f'id="kpi-{kpi.pk}"') :]
    card = card[: card.index("</figure>")]
    from_page = {}
    for kind in ("baseline", "actual", "target"):
        for row in card.split(f'kpi-row kpi-row--{kind}"')[1:]:
            label = row.split('<th scope="row">')[1].split("<")[0]
            value = row.split('data-value="')[1].split('"')[0]
            from_page[(kind, label.split(" ")[0])] = float(value)
    assert from_api == from_csv == from_xlsx == from_page == expected


def test_downloads_escape_formula_like_text():
    assert safe_text("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_text("+1") == "'+1" and safe_text("@x") == "'@x" and safe_text("-x") == "'-x"
    assert safe_text("درصد") == "درصد"
    plan = PlanPage.objects.get(locale__language_code="en", plan_number=15)
    kpi = KPI.objects.create(plan=plan, locale=plan.locale, name="=cmd|'/c calc'!A1", unit="@SUM(1)")
    KPIValue.objects.create(kpi=kpi, locale=plan.locale, period=datetime.date(2024, 5, 1), value=-3)
    with translation.override("en"):
        rows = xlsx_rows(to_xlsx(kpi_data.plan_series(plan)))
    row = next(r for r in rows if r[2] and "cmd" in r[2])
    assert row[2] == "'=cmd|'/c calc'!A1" and row[3] == "'@SUM(1)" and row[7] == -3
    with zipfile.ZipFile(io.BytesIO(to_xlsx(kpi_data.plan_series(plan)))) as book:
        assert "<f>" not in book.read("xl/worksheets/sheet1.xml").decode()


def test_the_value_axis_covers_an_actual_value_sharing_its_period_with_the_target():
    """…and their value labels do not overlap: the lower one's label goes below its mark."""
    plan = PlanPage.objects.get(locale__language_code="en", plan_number=12)
    series = next(s for s in kpi_data.plan_series(plan) if s.latest.value == 214)
    assert series.target.period == series.latest.period and series.target.value == 150
    svg = series_chart(series, "en")
    ticks = [float(t.replace(",", "")) for t in svg_texts(svg) if re.fullmatch(r"[\d,.]+", t)]
    assert max(ticks) >= 214
    rows = {row["display"]: row for row in chart_rows(series, "en") if row["shown"]}
    assert rows["150"]["below"] and not rows["214"]["below"]


def test_the_chart_javascript_is_a_small_enhancement():
    """The charts are complete server-side SVG; the only chart script is the tooltip/keyboard one
    (budget 200 KB gzip; it is about 1 KB)."""
    import gzip
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "frontend" / "static" / "js" / "dashboard.js"
    assert len(gzip.compress(script.read_bytes())) <= 2048


def test_social_cards_are_pngs_in_both_sizes_and_only_for_series_the_reader_may_see(client):
    """1080×1080 and 1200×630 PNGs of a KPI and of the plan (its generated infographic); Persian is
    shaped by raqm (a shaped word is narrower than its isolated letters); an internal KPI's card is
    not found for an anonymous reader."""
    from PIL import Image, ImageFont, features

    from plans import social_cards

    assert features.check("raqm")
    word = "میانگین"
    basic = ImageFont.truetype(social_cards.font(30).path, 30, layout_engine=ImageFont.Layout.BASIC)
    assert social_cards.font(30).getlength(word) != basic.getlength(word)
    plan = PlanPage.objects.get(locale__language_code="fa", plan_number=18)
    series = kpi_data.plan_series(plan)[0]
    for size, dimensions in social_cards.SIZES.items():
        for url in (f"{plan.dashboard_url}cards/{series.id}/{size}/", f"{plan.dashboard_url}cards/{size}/"):
            response = client.get(url)
            assert response["Content-Type"] == "image/png", url
            assert Image.open(io.BytesIO(response.content)).size == dimensions
    internal = KPI.objects.create(
        plan=plan, locale=plan.locale, name="x", baseline_value=1, confidentiality=Confidentiality.INTERNAL
    )
    assert client.get(f"{plan.dashboard_url}cards/{internal.pk}/square/").status_code == 404


def test_the_roadmap_is_a_gantt_chart_with_its_milestone_table(client, demo):
    """Section 4's milestones drawn by the same library: Jalali months in Persian digits on fa, time
    running right to left with the names on the right; the milestone table is the chart's alternative."""
    from cms.charts import gantt_spec

    plan = PlanPage.objects.get(pk=demo.plans_fa[0].pk)
    html = client.get(plan.url).content.decode()
    assert '<svg class="gantt-chart"' in html and 'class="data-table milestone-table"' in html
    gantt = html[html.index('<svg class="gantt-chart"') :]
    texts = svg_texts(gantt[: gantt.index("</svg>")])
    assert any("فروردین" in t or "مهر" in t or "تیر" in t or "دی" in t for t in texts)
    assert not any(ch in "".join(texts) for ch in "0123456789")
    milestone = {"title": "x", "start": datetime.date(2024, 3, 20), "end": datetime.date(2024, 9, 21)}
    fa, en = (gantt_spec([milestone], {"planned": "p"}, "", language) for language in ("fa", "en"))
    assert fa["encoding"]["x"]["scale"]["reverse"] and fa["encoding"]["y"]["axis"]["orient"] == "right"
    assert not en["encoding"]["x"]["scale"]["reverse"] and en["encoding"]["y"]["axis"]["orient"] == "left"
