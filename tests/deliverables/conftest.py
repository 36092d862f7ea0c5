"""Deliverables of one demo plan per language, generated once per test session (a report PDF takes
seconds), plus helpers that open them with the real tools: poppler, zbar, epubcheck, python-pptx."""

import subprocess
from pathlib import Path

import pytest
from django.utils import translation

from tests.workflow.conftest import login, users  # noqa: F401  (the source package's tests sign in)

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "deliverables"


# Bidi controls poppler adds around right-to-left runs, and ZWNJ, which it drops from extracted text
INVISIBLE = dict.fromkeys(map(ord, "\u200c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))


def plain(text):
    """Text without bidi controls and ZWNJ, for comparing extracted PDF text with page content."""
    return str(text).translate(INVISIBLE)


def run(*command, data=None):
    """Run a command-line tool and return its standard output as text."""
    return subprocess.run(command, input=data, capture_output=True, check=True, timeout=120).stdout.decode()


def pdftotext(path, first=None, last=None, *options):
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    return plain(run("pdftotext", "-enc", "UTF-8", *pages, *options, str(path), "-"))


@pytest.fixture(scope="session")
def generated(django_db_setup, django_db_blocker, tmp_path_factory):
    """{language: {"plan", "report_pdf", "summary_pdf", "guide_pdf", "epub", "pptx"}} as files on disk."""
    from plans.deliverables import deck, documents, epub, pdf
    from plans.models import PlanPage

    folder = tmp_path_factory.mktemp("deliverables")
    outputs = {}
    with django_db_blocker.unblock():
        for language in ("fa", "en"):
            plan = PlanPage.objects.filter(locale__language_code=language).order_by("plan_number").first()
            summary = plan.executive_summary
            made = {
                "report_pdf": pdf.write_pdf(pdf.render_document(documents.report_html(plan), plan)),
                "summary_pdf": pdf.write_pdf(pdf.render_document(documents.summary_html(summary), summary)),
                "guide_pdf": pdf.write_pdf(pdf.render_document(documents.guide_html(plan), plan)),
                "epub": epub.build_epub(plan),
                "pptx": deck.build_pptx(plan),
            }
            extensions = {"epub": "epub", "pptx": "pptx"}
            files = {}
            for kind, data in made.items():
                files[kind] = folder / f"{language}-{kind}.{extensions.get(kind, 'pdf')}"
                files[kind].write_bytes(data)
            with translation.override(language):
                files["section_titles"] = [plain(section.title) for section in plan.sections]
            outputs[language] = {"plan": plan, "title": plain(plan.title), **files}
    return outputs
