"""The PDF report and executive summary, opened with poppler: pages, headings in order, fonts, metadata,
Persian page numbers, running headers, and the layout checked on rendered pages (right-aligned on fa)."""

import re
import subprocess
import zlib
from xml.etree import ElementTree

import pytest

from cms.i18n import to_persian_digits
from home.models import PortalSettings
from tests.deliverables.conftest import ARTIFACTS, pdftotext, run

pytestmark = pytest.mark.django_db

A4_WIDTH, A4_HEIGHT, MM = 595.28, 841.89, 72 / 25.4
SIDE_MARGIN, TOP_MARGIN, BOTTOM_MARGIN = 20 * MM, 25 * MM, 22 * MM


def flat(text):
    return " ".join(text.split())


def squash(text):
    """Text without any whitespace: poppler moves spaces around punctuation in right-to-left runs."""
    return "".join(text.split())


def pages_of(path):
    """The text of each page without whitespace (titles may wrap); compare with `squash`ed strings."""
    return [squash(page) for page in pdftotext(path).split("\f")[:-1]]


def margin_text(path, page, top):
    """The text in the top (running header) or bottom (page number) margin of a page."""
    y, height = (0, TOP_MARGIN) if top else (A4_HEIGHT - BOTTOM_MARGIN, BOTTOM_MARGIN)
    return flat(
        pdftotext(
            path,
            page,
            page,
            "-x",
            "0",
            "-y",
            str(int(y)),
            "-W",
            str(int(A4_WIDTH) + 1),
            "-H",
            str(int(height)),
        )
    )


def uncompressed(path):
    """The PDF's bytes with every Flate stream inflated (the catalog sits in a compressed object stream)."""
    data = path.read_bytes()
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        try:
            data += zlib.decompressobj().decompress(stream)
        except zlib.error:
            continue  # not a Flate stream (e.g. an image)
    return data


def info(path):
    return dict(line.split(":", 1) for line in run("pdfinfo", str(path)).splitlines() if ":" in line)


def section_page(pages, title):
    """The 1-based number of the first page after the contents whose text starts a section."""
    return next(number for number, text in enumerate(pages, 1) if number > 2 and title in text)


@pytest.mark.parametrize("language", ["fa", "en"])
def test_report_has_cover_contents_and_the_8_sections_in_order(generated, language):
    output = generated[language]
    pages = pages_of(output["report_pdf"])
    assert int(info(output["report_pdf"])["Pages"]) == len(pages) >= 10  # cover, contents, 8 sections
    assert squash(output["title"]) in pages[0]
    titles = [squash(title) for title in output["section_titles"]]
    assert all(title in pages[1] for title in titles)  # the table of contents
    body = "\n".join(pages[2:])
    positions = [body.index(title) for title in titles]
    assert positions == sorted(positions)
    starts = [section_page(pages, title) for title in titles]
    assert starts == sorted(starts)


def test_contents_and_page_numbers_use_persian_digits_on_fa(generated):
    pages = pages_of(generated["fa"]["report_pdf"])
    titles = [squash(title) for title in generated["fa"]["section_titles"]]
    contents = pdftotext(generated["fa"]["report_pdf"], 2, 2)
    for title in titles:  # each entry ends with the page its section starts on, in Persian digits
        line = next(squash(line) for line in contents.splitlines() if title in squash(line))
        number = to_persian_digits(section_page(pages, title))
        assert re.search(rf"(^|\D){number}(\D|$)", line.replace(title, " ")), line
    assert not re.search(r"[0-9]", contents)
    for number in (2, 5, len(pages)):
        assert margin_text(generated["fa"]["report_pdf"], number, top=False) == to_persian_digits(number)
    assert margin_text(generated["fa"]["report_pdf"], 1, top=False) == ""  # none on the cover


def test_page_numbers_are_ascii_on_en(generated):
    assert margin_text(generated["en"]["report_pdf"], 5, top=False) == "5"


@pytest.mark.parametrize("language", ["fa", "en"])
def test_running_headers_name_the_plan_and_the_section(generated, language):
    output = generated[language]
    pages = pages_of(output["report_pdf"])
    titles = [squash(title) for title in output["section_titles"]]
    starts = [section_page(pages, title) for title in titles] + [len(pages) + 1]
    checked = 0
    for title, start, end in zip(titles, starts, starts[1:], strict=False):
        for number in range(start + 1, end):  # the pages that continue a section
            header = squash(margin_text(output["report_pdf"], number, top=True))
            assert title in header and squash(output["title"]) in header, (number, header)
            checked += 1
    assert checked >= 3
    assert margin_text(output["report_pdf"], 1, top=True) == ""  # no running header on the cover


@pytest.mark.parametrize("kind", ["report_pdf", "summary_pdf", "guide_pdf"])
@pytest.mark.parametrize("language", ["fa", "en"])
def test_vazirmatn_is_embedded_and_every_font_is(generated, language, kind):
    rows = run("pdffonts", str(generated[language][kind])).splitlines()[2:]
    assert rows and any("Vazirmatn" in row for row in rows)
    for row in rows:
        embedded = row.split()[-5]
        assert embedded == "yes", row


@pytest.mark.parametrize("language", ["fa", "en"])
def test_metadata_title_author_and_language(generated, language):
    output = generated[language]
    meta = info(output["report_pdf"])
    portal = PortalSettings.for_site(output["plan"].get_site())
    assert output["plan"].title in meta["Title"]
    assert meta["Author"].strip() == (
        portal.organization_name_fa if language == "fa" else portal.organization_name_en
    )
    assert meta["Page size"].strip().startswith("595.")  # A4: 595 x 842 pt
    assert f"/Lang ({language})".encode() in uncompressed(output["report_pdf"])


def test_figures_and_tables_are_printed(generated):
    pages = pages_of(generated["en"]["report_pdf"])
    assert any("Indicator" in page and "Before" in page and "Target" in page for page in pages)
    assert any("Success/failurefactormatrix" in page for page in pages)
    images = run("pdfimages", "-list", str(generated["en"]["report_pdf"])).splitlines()[2:]
    assert len(images) >= 1  # the demo figure (the QR codes are vector graphics)


@pytest.mark.parametrize("language", ["fa", "en"])
def test_executive_summary_pdf(generated, language):
    output = generated[language]
    pages = pages_of(output["summary_pdf"])
    assert 1 < len(pages) <= 20
    assert squash(output["title"]) in pages[0]  # the summary's title names the plan
    assert squash(output["plan"].code) in pages[0]


def first_body_line(path, page):
    """The bounding box (xMin, xMax) of the first text line below the running header of a page."""
    xhtml = run("pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(path), "-")
    tree = ElementTree.fromstring(re.sub(r'\sxmlns="[^"]+"', "", xhtml, count=1))
    for line in tree.iter("line"):
        if float(line.get("yMin")) > TOP_MARGIN:
            return float(line.get("xMin")), float(line.get("xMax"))
    raise AssertionError("no text line on the page")


def render_png(path, page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / name
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(path),
            str(target),
        ],
        check=True,
        timeout=60,
    )
    return target.with_suffix(".png")


def test_fa_pages_render_right_aligned_and_are_saved_as_artifacts(generated):
    output = generated["fa"]
    pages = pages_of(output["report_pdf"])
    section = section_page(pages, squash(output["section_titles"][0]))
    for page, name in ((1, "report-fa-page-1"), (section, "report-fa-section-1")):
        assert render_png(output["report_pdf"], page, name).stat().st_size > 5000
    x_min, x_max = first_body_line(output["report_pdf"], section)  # the section heading
    assert abs(x_max - (A4_WIDTH - SIDE_MARGIN)) < 2, (x_min, x_max)
    assert x_min > 2 * SIDE_MARGIN  # a heading that starts at the right does not reach the left


def test_en_pages_render_left_aligned(generated):
    output = generated["en"]
    pages = pages_of(output["report_pdf"])
    section = section_page(pages, squash(output["section_titles"][0]))
    render_png(output["report_pdf"], section, "report-en-section-1")
    x_min, _x_max = first_body_line(output["report_pdf"], section)
    assert abs(x_min - SIDE_MARGIN) < 2, x_min
