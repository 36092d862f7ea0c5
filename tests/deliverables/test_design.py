"""The deliverables look published: covers with the organization, the plan and its emblem; the deck on
its designed master with every text inside its box (measured with Vazirmatn's metrics) and rendered by
LibreOffice; no near-empty PDF pages; tagged PDF/UA with whole titles; the EPUB's cover and fonts.
Rendered pages are saved under test-artifacts/deliverables/ to be looked at."""

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.files.images import ImageFile
from django.utils import translation
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Emu
from wagtail.images import get_image_model

from home.models import PortalSettings
from plans.deliverables import cover, deck, documents, pdf
from tests.deliverables.conftest import ARTIFACTS, pdftotext, plain, run

pytestmark = pytest.mark.django_db

EMBLEM_COLOUR = (200, 30, 120)


def slides(language, generated):
    return Presentation(str(generated[language]["pptx"]))


def frames(slide):
    """(shape, text frame) of every text box and placeholder with text."""
    for shape in slide.shapes:
        if shape.has_text_frame and shape.text_frame.text.strip():
            yield shape, shape.text_frame


def size_of(frame):
    sizes = [run.font.size.pt for p in frame.paragraphs for run in p.runs if run.font.size]
    return max(sizes) if sizes else 18


@pytest.mark.parametrize("language", ["fa", "en"])
def test_no_text_box_overflows_its_slide(generated, language):
    """Each text's wrapped lines, measured with the font, fit the box; each box lies on the slide."""
    presentation = slides(language, generated)
    rtl = language == "fa"
    width, height = presentation.slide_width, presentation.slide_height
    checked = 0
    for number, slide in enumerate(presentation.slides, 1):
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, (number, shape.name)
            assert shape.left + shape.width <= width and shape.top + shape.height <= height, (
                number,
                shape.name,
            )
        for shape, frame in frames(slide):
            lines = [paragraph.text for paragraph in frame.paragraphs]
            bold = any(run.font.bold for p in frame.paragraphs for run in p.runs)
            needed = deck.text_height(lines, Emu(shape.width).pt, size_of(frame), bold, rtl)
            assert needed <= Emu(shape.height).pt + 0.5, (number, shape.name, lines)
            checked += 1
        if slide.shapes.title is not None and any(s.has_table for s in slide.shapes):
            (table,) = [s for s in slide.shapes if s.has_table]
            rows = sum(row.height for row in table.table.rows)
            assert table.top + rows <= deck.FOOTER_TOP, number  # the rows' measured heights fit the body
    assert checked > 40


def test_long_lists_continue_on_further_slides(demo):
    plan = demo.plans_en[0]
    bullets = [f"Item {n}: " + "a long line of words that wraps " * 3 for n in range(30)]
    spec = {"layout": "content", "title": "Many items", "bullets": bullets, "notes": "n"}
    with translation.override("en"):
        parts = deck.paginate([spec], rtl=False)
    assert len(parts) > 2
    assert [b for part in parts for b in part["bullets"]] == bullets  # nothing dropped, order kept
    assert parts[1]["title"] == "Many items, continued" and parts[1]["notes"] == ""
    presentation = Presentation(io.BytesIO(deck.build_pptx(plan, [spec])))
    assert len(presentation.slides) == len(parts)


@pytest.mark.parametrize("language", ["fa", "en"])
def test_deck_layouts_master_slide_numbers_and_notes(generated, language):
    presentation = slides(language, generated)
    master = {shape.name for shape in presentation.slide_master.shapes}
    assert {"Band", "Stripe", "Footer", "Organization"} <= master
    names = [{shape.name for shape in slide.shapes} for slide in presentation.slides]
    assert "Emblem slot" in names[0] and "Cover band" in names[0]  # the title slide
    assert any("Section number" in shapes for shapes in names)
    assert any("Quote" in shapes for shapes in names)
    assert "QR code" in names[-1] and "Portal URL" in names[-1]  # the closing slide
    numbers = [
        next(shape.text_frame.text for shape in slide.shapes if shape.name == "Slide number")
        for slide in list(presentation.slides)[1:]
    ]
    expected = [str(n) for n in range(2, len(presentation.slides) + 1)]
    if language == "fa":
        expected = [n.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) for n in expected]
    assert numbers == expected
    notes = [
        slide.notes_slide.notes_text_frame.text for slide in presentation.slides if slide.has_notes_slide
    ]
    assert len([text for text in notes if len(text) > 100]) >= 4  # taken from the report's text

    # the chart slides (the deck's KPI slide, each KPI's line chart, the Gantt) share the KPI layout:
    # its layout, its title's box and style, and the body's room above the footer band
    charted = [
        slide
        for slide in list(presentation.slides)[1:-1]
        if any(shape.has_chart or shape.shape_type == MSO_SHAPE_TYPE.PICTURE for shape in slide.shapes)
    ]
    assert len(charted) >= 3
    looks = set()
    for slide in charted:
        title = slide.shapes.title
        runs = [run for paragraph in title.text_frame.paragraphs for run in paragraph.runs]
        looks.add(
            (
                slide.slide_layout.name,
                (title.left, title.top, title.width, title.height),
                frozenset((run.font.bold, run.font.color.type and str(run.font.color.rgb)) for run in runs),
            )
        )
        for shape in slide.shapes:
            if shape.has_chart or shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
                assert deck.BODY_BOX[1] <= shape.top, (title.text, shape.name)
                assert shape.top + shape.height <= deck.FOOTER_TOP, (title.text, shape.name)
    assert looks == {("Title Only", deck.TITLE_BOX, frozenset({(True, cover.NAVY.lstrip("#").upper())}))}


def test_fa_table_reads_in_logical_order_and_displays_right_to_left(generated):
    fa, en = (slides(language, generated) for language in ("fa", "en"))
    for presentation, language in ((fa, "fa"), (en, "en")):
        table = next(
            shape.table for slide in presentation.slides for shape in slide.shapes if shape.has_table
        )
        with translation.override(language):
            assert table.cell(0, 0).text == translation.gettext("Factor")  # the first column is the factor
        assert (table._tbl.tblPr.get("rtl") == "1") == (language == "fa")


def with_vazirmatn(tmp_path):
    """The environment of a program that finds Vazirmatn through fontconfig: the TTF files beside the
    static files' WOFF2 in the npm package (LibreOffice reads no WOFF2)."""
    folder = Path(finders.find(cover.FONTS[False])).parent.parent / "ttf"
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{folder}</dir><cachedir>{tmp_path}/fontconfig</cachedir></fontconfig>"
    )
    return {**os.environ, "FONTCONFIG_FILE": str(config)}


def test_the_deck_renders_in_libreoffice(generated, tmp_path):
    """LibreOffice opens the deck and draws it with Vazirmatn; the slides are saved as PNGs to look at.
    (LibreOffice 7.4 ignores a table's `rtl`, so its matrix reads left to right; PowerPoint's does not.)"""
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed (bin/ensure-system-packages test)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    source = tmp_path / "deck-fa.pptx"
    source.write_bytes(generated["fa"]["pptx"].read_bytes())
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env=with_vazirmatn(tmp_path),
    )
    rendered = tmp_path / "deck-fa.pdf"
    fonts = run("pdffonts", str(rendered))
    assert "Vazirmatn-Regular" in fonts and "Vazirmatn-Bold" in fonts  # not a fallback font
    pages = pdftotext(rendered).split("\f")[:-1]
    assert len(pages) == len(Presentation(str(source)).slides)
    assert plain(generated["fa"]["title"]).replace(" ", "")[:12] in pages[0].replace(" ", "").replace(
        "\n", ""
    )
    run("pdftoppm", "-png", "-r", "40", "-l", "6", str(rendered), str(ARTIFACTS / "deck-fa"))
    assert len(list(ARTIFACTS.glob("deck-fa-*.png"))) >= 6


# The PDFs -------------------------------------------------------------------------------------------
def page_texts(path):
    return pdftotext(path).split("\f")[:-1]


def lines_of(text):
    return [line for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("language", ["fa", "en"])
@pytest.mark.parametrize("kind", ["guide_pdf", "report_pdf"])
def test_no_near_empty_pages(generated, language, kind):
    """Every page has 5 lines or more, but the cover and the page a section starts on (with the
    running header and page number as two of them)."""
    texts = page_texts(generated[language][kind])
    titles = [re.sub(r"\s+", "", title) for title in generated[language]["section_titles"]]
    short = []
    for number, text in enumerate(texts, 1):
        squashed = re.sub(r"\s+", "", text)
        starts_section = any(title[:15] in squashed for title in titles) or number <= 2
        if len(lines_of(text)) < 5 and not starts_section:
            short.append((number, lines_of(text)))
    assert short == []


def test_guide_has_a_contents_page(generated):
    from tests.deliverables.test_pdf import render_png

    texts = page_texts(generated["en"]["guide_pdf"])
    assert "Contents" in texts[1] and "Roadmap" in texts[1] and "Checklists" in texts[1]
    for page in (1, 2, 3):  # cover, contents, the first parts: saved to be looked at
        render_png(generated["fa"]["guide_pdf"], page, f"guide-fa-page-{page}")


@pytest.mark.parametrize("language", ["fa", "en"])
def test_pdfs_are_tagged_pdf_ua_with_language_and_whole_title(generated, language):
    from tests.deliverables.test_pdf import info, uncompressed

    for kind in ("report_pdf", "guide_pdf"):
        path = generated[language][kind]
        data = uncompressed(path)
        assert b"/StructTreeRoot" in data and b"/Marked true" in data
        assert b"pdfuaid" in data  # the PDF/UA identification in the XMP metadata
        assert f"/Lang ({language})".encode() in data
        title = info(path)["Title"].strip()
        assert plain(title).startswith(generated[language]["title"]), title


def test_plan_18_report_keeps_its_whole_title(demo):
    """Its title starts with a short name and a colon («تتا: …»); the PDF's title was cut there."""
    from tests.deliverables.test_pdf import info

    plan = next(plan for plan in demo.plans_fa if plan.plan_number == 18)
    document = pdf.render_document(documents.guide_html(plan), plan)
    path = ARTIFACTS / "plan-18-guide-fa.pdf"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf.write_pdf(document))
    assert plain(info(path)["Title"].strip()).startswith(plain(plan.title))


# Covers and the emblem --------------------------------------------------------------------------------
@pytest.fixture
def emblem(demo):
    """A bright emblem set in Portal settings."""
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300), EMBLEM_COLOUR).save(buffer, format="PNG")
    image = get_image_model().objects.create(title="emblem", file=ImageFile(buffer, name="emblem.png"))
    settings = PortalSettings.for_site(demo.home_fa.get_site())
    settings.logo = image
    settings.save()
    return image


def test_the_emblem_in_portal_settings_is_on_every_cover(demo, emblem):
    plan = demo.plans_fa[0]
    image = Image.open(io.BytesIO(cover.cover_png(plan, "گزارش"))).convert("RGB")
    assert image.size == cover.COVER_SIZE
    colours = {colour for _count, colour in image.getcolors(1 << 20)}
    assert EMBLEM_COLOUR in colours
    assert "data:image/png;base64," in documents.guide_html(plan)  # the PDF cover's emblem
    presentation = Presentation(io.BytesIO(deck.build_pptx(plan, deck.outline(plan)[:1])))
    assert "Emblem" in {shape.name for shape in presentation.slides[0].shapes}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    image.resize((400, 600)).save(ARTIFACTS / "cover-fa.png")


def test_without_an_emblem_the_slot_stays_empty(demo):
    plan = demo.plans_en[0]
    assert cover.emblem_png(plan.get_site()) is None
    assert "data:image/png;base64," not in documents.guide_html(plan).split('class="cover__emblem"')[1][:80]


@pytest.mark.parametrize("language", ["fa", "en"])
def test_epub_has_a_cover_image_and_both_font_weights(generated, language):
    with zipfile.ZipFile(generated[language]["epub"]) as book:
        names = book.namelist()
        opf = book.read("EPUB/content.opf").decode()
        css = book.read("EPUB/style/book.css").decode()
        cover_image = Image.open(io.BytesIO(book.read("EPUB/images/cover.png")))
    assert re.search(
        r'href="images/cover.png"[^>]*properties="cover-image"|properties="cover-image"[^>]*href="images/cover.png"',
        opf,
    )
    assert cover_image.size == cover.COVER_SIZE
    assert {"EPUB/fonts/Vazirmatn-Regular.woff2", "EPUB/fonts/Vazirmatn-Bold.woff2"} <= set(names)
    assert "font-weight: 700" in css
