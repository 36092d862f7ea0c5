"""Build every deliverable of a plan page, unless its content hash says nothing changed.

The hash covers what the deliverables are made of: the rendered report, summary and guide (so snippets,
images, translations and the site's URL count too; the report's KPI table and charts hold every KPI's
target and values), the deck's outline, the source package's entries (its media masters, subtitles and
infographic originals by stored name: a replaced file is a new name) and `GENERATOR_VERSION`. Files
are written to a folder named by the hash; the record switches to them only once all are written, and
the previous build's files are then deleted. A page the public may not see has no deliverables.
"""

import hashlib
import io
import json
import logging
import time
import zipfile
from dataclasses import dataclass
from functools import cached_property

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cms import visibility
from cms.cache import bump_content_version
from plans.deliverables import deck, documents, epub, pdf, qr
from plans.deliverables import sources as source_files
from plans.models import PlanDeliverables, PlanPage, PlanSourcePackage
from plans.models.deliverables import FILE_FIELDS

logger = logging.getLogger(__name__)

GENERATOR_VERSION = "3"  # bump when a template or generator changes what the files look like


@dataclass
class Sources:
    """What a plan's deliverables are made of, rendered once per build."""

    plan: PlanPage
    summary: object  # the public ExecutiveSummaryPage, or None
    report_html: str
    summary_html: str
    guide_html: str
    outline: list

    @cached_property
    def package_entries(self):
        """The source package's entries (`sources.entries`), listed once for the hash and the package."""
        return source_files.entries(self.plan, self)

    @property
    def content_hash(self):
        digest = hashlib.sha256(GENERATOR_VERSION.encode())
        for part in (
            self.report_html,
            self.summary_html,
            self.guide_html,
            json.dumps(self.outline, ensure_ascii=False, default=str, sort_keys=True),
        ):
            digest.update(b"\0" + part.encode())
        for name, role, content in self.package_entries:
            stored = content.encode() if isinstance(content, str) else hashlib.sha256(content).digest()
            digest.update(b"\0".join((b"", name.encode(), role.encode(), stored)))
        return digest.hexdigest()


def gather(plan):
    """Render everything the deliverables are made of."""
    summary = plan.executive_summary
    return Sources(
        plan=plan,
        summary=summary,
        report_html=documents.report_html(plan),
        summary_html=documents.summary_html(summary, plan) if summary else "",
        guide_html=documents.guide_html(plan),
        outline=deck.outline(plan),
    )


def is_public(plan):
    return visibility.public_pages(PlanPage.objects.filter(pk=plan.pk)).exists()


def pdf_bytes(html, page):
    return pdf.write_pdf(pdf.render_document(html, page))


def steps(sources):
    """(field, file name suffix, label, function returning bytes), in build order."""
    plan = sources.plan
    portal, dashboard = qr.portal_url(plan), qr.dashboard_url(plan)
    items = [
        ("qr", "qr.png", _("QR codes"), lambda: qr.png(portal)),
        ("qr_svg", "qr.svg", _("QR codes"), lambda: qr.svg(portal)),
        ("dashboard_qr", "dashboard-qr.png", _("QR codes"), lambda: qr.png(dashboard)),
        ("dashboard_qr_svg", "dashboard-qr.svg", _("QR codes"), lambda: qr.svg(dashboard)),
        ("report_pdf", "report.pdf", _("Report PDF"), lambda: pdf_bytes(sources.report_html, plan)),
    ]
    if sources.summary:
        items.append(
            (
                "summary_pdf",
                "summary.pdf",
                _("Executive summary PDF"),
                lambda: pdf_bytes(sources.summary_html, sources.summary),
            )
        )
    items += [
        (
            "guide_pdf",
            "guide.pdf",
            _("Implementation guide PDF"),
            lambda: pdf_bytes(sources.guide_html, plan),
        ),
        ("epub", "report.epub", _("E-book"), lambda: epub.build_epub(plan)),
        ("pptx", "deck.pptx", _("Training deck"), lambda: deck.build_pptx(plan, sources.outline)),
    ]
    return items


MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".epub": "application/epub+zip",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".json": "application/json",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def media_type(name):
    return MEDIA_TYPES[name[name.rindex(".") :]]


def package_zip(sources, files, content_hash):
    """The knowledge-transfer package: every file and a manifest (name, size, SHA-256, media type)."""
    plan = sources.plan
    manifest = {
        "plan": plan.title,
        "code": plan.code,
        "plan_number": plan.plan_number,
        "language": plan.locale.language_code,
        "portal_url": qr.portal_url(plan),
        "dashboard_url": qr.dashboard_url(plan),
        "content_hash": content_hash,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "files": [
            {
                "name": name,
                "title": title,
                "media_type": media_type(name),
                "bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
            for name, title, data in files
        ],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        for name, _title, data in files:
            archive.writestr(name, data)
    return buffer.getvalue()


def file_prefix(plan):
    return f"{slugify(plan.code) or f'plan-{plan.pk}'}-{plan.locale.language_code}"


def folder(plan, content_hash):
    return f"deliverables/{plan.translation_key}/{plan.locale.language_code}/{content_hash[:16]}"


def withdraw(plan):
    """Delete the deliverables and the source package of a page the public may no longer see."""
    record = PlanDeliverables.objects.filter(page=plan).first()
    if record:
        for name in record.file_names():
            default_storage.delete(name)
        record.delete()
        bump_content_version()
    package = PlanSourcePackage.objects.filter(page=plan).first()
    if package:
        if package.file:
            default_storage.delete(package.file.name)
        package.delete()


def build_source_package(sources, content_hash, prefix, target):
    """Store the plan's source package beside the deliverables; a release given earlier stays."""
    plan = sources.plan
    package, _created = PlanSourcePackage.objects.get_or_create(page=plan)
    previous = package.file.name
    package.file.name = source_files.build_package(
        plan, sources, content_hash, f"sources/{target.removeprefix('deliverables/')}/{prefix}-sources.zip"
    )
    package.content_hash, package.built_at = content_hash, timezone.now()
    package.save()
    if previous and previous != package.file.name:
        default_storage.delete(previous)
    return package.file.name


def build(plan, force=False):
    """Build the plan's deliverables; returns "built", "cached" (unchanged content) or "withdrawn"."""
    if not is_public(plan):
        withdraw(plan)
        return "withdrawn"
    record, _created = PlanDeliverables.objects.get_or_create(page=plan)
    sources = gather(plan)
    content_hash = sources.content_hash
    if not force and record.content_hash == content_hash:  # only a complete build records its hash
        if record.status != PlanDeliverables.Status.DONE:  # a request marked it as waiting
            PlanDeliverables.objects.filter(pk=record.pk).update(
                status=PlanDeliverables.Status.DONE, progress=100, step=""
            )
        return "cached"
    todo = steps(sources)

    def progress(done, label):
        PlanDeliverables.objects.filter(pk=record.pk).update(
            status=PlanDeliverables.Status.RUNNING,
            progress=round(100 * done / (len(todo) + 1)),
            step=str(label),
            error="",
            updated_at=timezone.now(),
        )

    prefix, target = file_prefix(plan), folder(plan, content_hash)
    written, files, timings = {}, [], {}
    try:
        with translation.override(plan.locale.language_code):
            for done, (field, suffix, label, make) in enumerate(todo):
                progress(done, label)
                started = time.perf_counter()
                data = make()
                timings[field] = round(time.perf_counter() - started, 3)
                name = f"{prefix}-{suffix}"
                written[field] = default_storage.save(f"{target}/{name}", ContentFile(data))
                files.append((name, str(PlanDeliverables._meta.get_field(field).verbose_name), data))
            progress(len(todo), _("Package"))
            started = time.perf_counter()
            package = package_zip(sources, files, content_hash)
            timings["package"] = round(time.perf_counter() - started, 3)
            written["package"] = default_storage.save(f"{target}/{prefix}-package.zip", ContentFile(package))
            progress(len(todo), _("Source package"))
            started = time.perf_counter()
            build_source_package(sources, content_hash, prefix, target)
            timings["sources"] = round(time.perf_counter() - started, 3)
    except Exception as error:
        logger.exception("Deliverables of page %s failed", plan.pk)
        for name in written.values():
            default_storage.delete(name)
        PlanDeliverables.objects.filter(pk=record.pk).update(
            status=PlanDeliverables.Status.FAILED, error=f"{type(error).__name__}: {error}"
        )
        raise
    previous = record.file_names()
    record.refresh_from_db()
    for field in FILE_FIELDS:
        getattr(record, field).name = written.get(field, "")
    record.content_hash, record.timings = content_hash, timings
    record.status, record.progress, record.step, record.error = PlanDeliverables.Status.DONE, 100, "", ""
    record.built_at = timezone.now()
    record.save()
    for name in previous - record.file_names():
        default_storage.delete(name)
    bump_content_version()  # cached plan pages show the new download links
    return "built"
