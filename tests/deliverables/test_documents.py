"""The e-book, the training deck and the QR codes, each opened with a real reader: epubcheck, python-pptx,
zbarimg (on the QR images and on the printed appendix page of the PDF)."""

import re
import subprocess
import zipfile

import pytest
from django.utils import translation
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.oxml.ns import qn

from plans.deliverables import deck_charts, qr
from plans.deliverables.deck import by_unit
from plans.deliverables.documents import bound_blocks
from tests.deliverables.conftest import run

pytestmark = pytest.mark.django_db

EPUBCHECK = "/usr/share/java/epubcheck.jar"  # Debian's epubcheck 4.2.6 (EPUB 3.2 rules)
FAST_JVM = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]  # a short run: halves epubcheck's time


@pytest.mark.parametrize("language", ["fa", "en"])
def test_epub_passes_epubcheck(generated, language):
    result = subprocess.run(
        ["java", *FAST_JVM, "-jar", EPUBCHECK, str(generated[language]["epub"])],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No errors or warnings detected" in result.stdout


@pytest.mark.parametrize("language", ["fa", "en"])
def test_epub_direction_navigation_font_images_and_metadata(generated, language):
    output = generated[language]
    with zipfile.ZipFile(output["epub"]) as book:
        names = book.namelist()
        opf = book.read("EPUB/content.opf").decode()
        nav = book.read("EPUB/nav.xhtml").decode()
        chapter = book.read("EPUB/section-1.xhtml").decode()
    assert ('page-progression-direction="rtl"' in opf) == (language == "fa")
    assert ('dir="rtl"' in chapter) == (language == "fa")
    assert f"<dc:language>{language}</dc:language>" in opf
    assert f"<dc:title>{output['plan'].title}</dc:title>" in opf
    assert 'properties="nav"' in opf and all(f"section-{n}.xhtml" in nav for n in range(1, 9))
    assert "EPUB/fonts/Vazirmatn-Regular.woff2" in names and 'media-type="font/woff2"' in opf
    assert any(re.fullmatch(r"EPUB/images/figure-\d+\.png", name) for name in names)
    assert "EPUB/images/qr-portal.svg" in names


def slide_titles(presentation):
    return [slide.shapes.title.text for slide in presentation.slides]


@pytest.mark.parametrize("language", ["fa", "en"])
def test_deck_slides_in_the_right_language_and_order(generated, language):
    deck = Presentation(str(generated[language]["pptx"]))
    titles = slide_titles(deck)
    plan = generated[language]["plan"]
    charts = -(-len(plan.kpi_series()) // deck_charts.PER_SLIDE)
    with translation.override(language):
        sections = {section.number: str(section.title) for section in plan.sections}
        continued = translation.gettext("%(title)s, continued")
        expected = [
            str(plan.title),
            sections[3],
            translation.gettext("The problem"),
            sections[4],
            *[
                translation.gettext(title)
                for title in ("Goals", "Roadmap", "Roadmap (Gantt chart)", "Governance")
            ],
            sections[5],
            translation.gettext("KPIs before and after"),
            *[translation.gettext("Indicators")] * charts,
            sections[6],
            *[
                translation.gettext(title)
                for title in (
                    "Lessons learned",
                    "In their words",
                    "Success/failure matrix",
                    "Checklist",
                    "References",
                    "The full report, its dashboard and media",
                )
            ],
        ]
    # A slide whose list did not fit continues on the next one, under the same title.
    merged = [title for title in titles if not any(title == continued % {"title": t} for t in expected)]
    assert charts >= 2 and merged == expected


@pytest.mark.parametrize("language", ["fa", "en"])
def test_before_and_after_charts_carry_one_unit_each(generated, language):
    """One unit per value axis (people, cases and percent on one axis read as nonsense), titled with it,
    Persian digits on fa, and on fa the bars grow from the right."""
    units = {series.name: series.unit for series in generated[language]["plan"].kpi_series()}
    bars = charts_of(generated[language]["pptx"], XL_CHART_TYPE.BAR_CLUSTERED)
    titles = [chart.chart_title.text_frame.text for chart in bars]
    assert len(set(units.values())) >= 2 and len(set(titles)) == len(bars) >= len(set(units.values()))
    for chart, unit in zip(bars, titles, strict=True):
        assert {units.get(name, unit) for name in chart.plots[0].categories} == {unit}
        persian = chart.value_axis.tick_labels.number_format == deck_charts.PERSIAN_NUMBERS
        assert persian == chart.value_axis.reverse_order == (language == "fa")


def paragraphs(deck):
    for slide in deck.slides:
        for shape in slide.shapes:
            frames = [shape.text_frame] if shape.has_text_frame else []
            if shape.has_table:
                frames = [cell.text_frame for row in shape.table.rows for cell in row.cells]
            for frame in frames:
                yield from (p for p in frame.paragraphs if p.text.strip())


def test_deck_paragraphs_are_right_to_left_on_fa_only(generated):
    fa, en = (Presentation(str(generated[language]["pptx"])) for language in ("fa", "en"))
    fa_paragraphs = list(paragraphs(fa))
    assert len(fa_paragraphs) > 30
    for paragraph in fa_paragraphs:
        properties = paragraph._p.pPr
        assert properties.get("rtl") == "1" and properties.get("algn") == "r", paragraph.text
        for run_ in paragraph.runs:
            assert run_._r.rPr.get("lang") == "fa-IR"
            assert run_._r.rPr.find(qn("a:cs")).get("typeface") == "Vazirmatn"
    assert all(p._p.pPr.get("rtl") == "0" for p in paragraphs(en))


@pytest.mark.parametrize("language", ["fa", "en"])
def test_deck_kpi_chart_holds_the_before_and_after_values(generated, language):
    plan = generated[language]["plan"]
    rows = [  # the plan's KPIs, the same series the dashboard, API and downloads read
        {"indicator": s.name, "unit": s.unit, "before": s.baseline.value, "after": s.latest.value}
        for s in plan.kpi_series()
        if s.baseline and s.latest
    ]
    rows = [row for group in by_unit(rows).values() for row in group]  # a chart per unit
    plots = [chart.plots[0] for chart in charts_of(generated[language]["pptx"], XL_CHART_TYPE.BAR_CLUSTERED)]
    assert [str(c) for plot in plots for c in plot.categories] == [row["indicator"] for row in rows]
    assert len(rows) >= 2
    assert [v for plot in plots for v in plot.series[0].values] == [float(row["before"]) for row in rows]
    assert [v for plot in plots for v in plot.series[1].values] == [float(row["after"]) for row in rows]


def charts_of(path, chart_type):
    deck = Presentation(str(path))
    return [
        shape.chart
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_chart and shape.chart.chart_type == chart_type
    ]


@pytest.mark.parametrize("language", ["fa", "en"])
def test_deck_draws_each_kpi_as_a_native_chart_and_the_gantt_as_a_described_picture(generated, language):
    """One native line chart per KPI (before, actual, target by Jalali period), in Persian digits and
    with the value axis on the right on fa; the Gantt picture describes every milestone."""
    plan = generated[language]["plan"]
    deck = Presentation(str(generated[language]["pptx"]))
    charts = charts_of(generated[language]["pptx"], XL_CHART_TYPE.LINE_MARKERS)
    series_list = plan.kpi_series()
    assert len(charts) == len(series_list)
    for chart, series in zip(charts, series_list, strict=True):
        assert chart.chart_title.text_frame.text.startswith(series.name)
        values = [v for s in chart.plots[0].series for v in s.values if v is not None]
        expected = [series.baseline, *series.values, series.target]
        assert sorted(values) == sorted(float(p.value) for p in expected if p)
        xml = chart._chartSpace.xml
        assert ("[$-3000429]#,##0.##" in xml) == (language == "fa")
        assert ('<c:crosses val="max"/>' in xml) == (language == "fa")
        assert ('rtl="1"' in xml) == (language == "fa")
    with translation.override(language):
        title = translation.gettext("Roadmap (Gantt chart)")
    (gantt,) = [slide for slide in deck.slides if slide.shapes.title and slide.shapes.title.text == title]
    (picture,) = [shape for shape in gantt.shapes if shape.shape_type == 13]  # a picture
    description = picture._element.nvPicPr.cNvPr.get("descr")
    milestones = [m for block in bound_blocks(plan, "roadmap") for m in block.value["milestones"]]
    assert milestones and all(str(m["title"]) in description for m in milestones)


def zbar(path):
    return sorted(line.removeprefix("QR-Code:") for line in run("zbarimg", "-q", str(path)).splitlines())


def test_qr_png_decodes_to_the_portal_url(demo, tmp_path):
    plan = demo.plans_fa[0]
    url = qr.portal_url(plan)
    assert url.startswith(plan.get_site().root_url) and url.endswith(plan.url)
    (tmp_path / "qr.png").write_bytes(qr.png(url))
    assert zbar(tmp_path / "qr.png") == [url]
    assert qr.svg(url).startswith(b"<?xml") and b"<svg" in qr.svg(url)


@pytest.mark.parametrize("language", ["fa", "en"])
def test_printed_appendix_qr_codes_decode_to_the_digital_version_and_dashboard(generated, language, tmp_path):
    output = generated[language]
    pages = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", str(output["report_pdf"]))).group(1))
    image = tmp_path / "appendix"
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "150",
            "-f",
            str(pages),
            "-l",
            str(pages),
            "-singlefile",
            str(output["report_pdf"]),
            str(image),
        ],
        check=True,
        timeout=60,
    )
    plan = output["plan"]
    assert zbar(image.with_suffix(".png")) == sorted([qr.portal_url(plan), qr.dashboard_url(plan)])
