"""One series, many outputs: a KPI's before, latest and target numbers read back from the dashboard
page, the API JSON, the CSV, the XLSX, the report PDF's text (pdftotext), the deck's native chart XML
and the infographic's text alternative are the same three numbers (on fa, where every text output
prints them in Persian digits with ٬ and ٫)."""

import csv
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from pptx import Presentation

from cms.i18n import format_number, to_ascii_digits
from plans.models import InfographicPage
from tests.deliverables.conftest import pdftotext

pytestmark = pytest.mark.django_db


def number(text):
    """A number as printed on fa (۱۸٬۵۰۰٫۵) or en (18,500.5)."""
    return Decimal(to_ascii_digits(text).replace("\u066c", "").replace(",", "").replace("\u066b", "."))


def test_a_kpi_has_the_same_numbers_in_every_output(client, generated):
    plan = generated["fa"]["plan"]
    series = next(s for s in plan.kpi_series() if s.baseline and s.latest and s.target)
    expected = [series.baseline.value, series.latest.value, series.target.value]
    codes = [series.baseline.code, series.latest.code, series.target.code]
    outputs = {}

    html = client.get(plan.dashboard_url).content.decode()
    card = html[html.index(f'id="kpi-{series.id}"') :]
    card = card[: card.index("</figure>")]
    shown = [re.findall(rf'kpi-row--{kind}".*?<td class="num"[^>]*>([^<]+)<', card) for kind in KINDS]
    outputs["page"] = [number(shown[0][0]), number(shown[1][-1]), number(shown[2][0])]

    api = client.get(f"/api/v2/pages/{plan.pk}/?fields=kpis").json()["kpis"]
    data = next(s for s in api if s["id"] == series.id)
    points = (data["baseline"], data["values"][-1], data["target"])
    outputs["api"] = [Decimal(str(p["value"])) for p in points]

    def by_code(rows):
        found = {(row[4], row[5]): Decimal(str(row[7])) for row in rows[1:] if row[2] == series.name}
        # the kind labels in order of appearance: before, actual, target
        labels = list(dict.fromkeys(row[4] for row in rows[1:] if row[2] == series.name))
        return [found[(label, code)] for label, code in zip(labels, codes, strict=True)]

    text = client.get(plan.dashboard_url + "csv/").content.decode("utf-8-sig")
    outputs["csv"] = by_code(list(csv.reader(io.StringIO(text))))
    book = openpyxl.load_workbook(io.BytesIO(client.get(plan.dashboard_url + "xlsx/").content))
    outputs["xlsx"] = by_code(list(book.active.iter_rows(values_only=True)))

    pdf_text = pdftotext(generated["fa"]["report_pdf"])  # section 5's KPI table prints the three
    outputs["pdf"] = [value for value in expected if format_number(value, "fa") in pdf_text]

    deck = Presentation(str(generated["fa"]["pptx"]))
    chart = next(
        shape.chart
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_chart
        and shape.chart.has_title
        and shape.chart.chart_title.text_frame.text.startswith(series.name)
    )
    values = {s.name: [Decimal(str(v)) for v in s.values if v is not None] for s in chart.plots[0].series}
    before, actual, target = values.values()
    assert re.search(r"<c:v>[\d.]+</c:v>", chart._chartSpace.xml)
    outputs["pptx"] = [before[0], actual[-1], target[0]]

    infographic = InfographicPage.objects.child_of(plan).live().first()
    page = client.get(infographic.url).content.decode()
    item = re.search(rf'<li data-kpi="{series.id}">(.*?)</li>', page, re.S).group(1)
    outputs["infographic"] = [number(n) for n in re.findall(r'<span class="num">([^<]+)</span>', item)]

    for name, numbers in outputs.items():
        assert numbers == expected, name


KINDS = ("baseline", "actual", "target")
