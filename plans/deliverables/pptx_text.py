"""Right-to-left text in PowerPoint files (python-pptx has no API for it), for the deck and its charts."""

from pptx.oxml.ns import qn

FONT = "Vazirmatn"


def set_font(run_properties, language):
    """The language and the Latin and complex-script typeface of a run (or a default run)."""
    run_properties.set("lang", language)
    for tag in ("a:latin", "a:cs"):
        font = run_properties.find(qn(tag))
        if font is None:
            font = run_properties.makeelement(qn(tag), {})
            run_properties.append(font)
        font.set("typeface", FONT)


def direct(text_frame, rtl):
    """The reading direction, alignment, language and font of every paragraph of `text_frame`."""
    for paragraph in text_frame.paragraphs:
        properties = paragraph._p.get_or_add_pPr()
        properties.set("rtl", "1" if rtl else "0")
        properties.set("algn", "r" if rtl else "l")
        for run in paragraph.runs:
            set_font(run._r.get_or_add_rPr(), "fa-IR" if rtl else "en-US")
