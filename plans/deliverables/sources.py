"""A plan's source package: the files the RFP asks for beside the finished products ("technical
documents, raw graphic and video files and all source files").

- `report/`: the report's content as JSON (the stream blocks as stored) and the printed HTML of the
  report, summary and guide;
- `charts/`: each public KPI chart as SVG (the dashboard's own drawing), `infographics/`: the
  infographics' original images;
- `media/`: the uploaded masters of the plan's podcast and film media, `subtitles/`: their WebVTT
  tracks, `scripts/`: the transcripts and narration scripts;
- `manifest.json`: every file with its size, SHA-256, media type and role.

Written into a temporary file (media masters can be large) and stored under `sources/`; who may
download it is `cms.visibility`'s answer (`PlanSourcePackage`: staff until an approver releases it).
"""

import hashlib
import json
import mimetypes
import tempfile
import zipfile
from pathlib import PurePosixPath

from django.core.files import File
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone, translation
from django.utils.text import slugify
from wagtail.models import Page

from cms import visibility
from plans import charts
from plans.deliverables import qr
from plans.sections import SECTIONS

CHUNK = 1024 * 1024
COMPRESSED = {".mp3", ".m4a", ".aac", ".mp4", ".webm", ".mov", ".png", ".jpg", ".jpeg", ".webp", ".zip"}


def media_type(name):
    suffix = PurePosixPath(name).suffix.lower()
    return {".vtt": "text/vtt", ".json": "application/json", ".svg": "image/svg+xml"}.get(
        suffix, mimetypes.guess_type(name)[0] or "application/octet-stream"
    )


def report_json(plan):
    """The report's content as data: the plan's fields and each section's blocks as stored."""
    with translation.override(plan.locale.language_code):
        return {
            "title": plan.title,
            "full_title": plan.full_title,
            "code": plan.code,
            "plan_number": plan.plan_number,
            "language": plan.locale.language_code,
            "summary": plan.summary,
            "url": qr.portal_url(plan),
            "sections": [
                {
                    "number": section.number,
                    "title": str(section.title),
                    "blocks": getattr(plan, section.field).get_prep_value() if section.field else None,
                }
                for section in SECTIONS
            ],
        }


def _name(page):
    return slugify(page.slug, allow_unicode=False) or f"page-{page.pk}"


def entries(plan, sources):
    """(name in the zip, role, bytes or a storage file name), in the order they are written."""
    found = [
        (
            "report/report.json",
            "report content",
            json.dumps(report_json(plan), ensure_ascii=False, indent=2, cls=DjangoJSONEncoder).encode(),
        ),
        ("report/report.html", "report HTML", sources.report_html.encode()),
        ("report/guide.html", "implementation guide HTML", sources.guide_html.encode()),
    ]
    if sources.summary_html:
        found.append(("report/summary.html", "executive summary HTML", sources.summary_html.encode()))
    language = plan.locale.language_code
    for index, series in enumerate(plan.kpi_series(), 1):
        svg = charts.series_chart(series, language, chart_id=f"kpi-{index}")
        if svg:
            document = f'<?xml version="1.0" encoding="UTF-8"?>\n{svg}\n'
            found.append((f"charts/kpi-{index:02d}.svg", "chart source", document.encode()))
    # Only what the public may see under the plan: a released package is as public as the plan.
    descendants = visibility.public_pages(Page.objects.descendant_of(plan)).specific().order_by("path")
    for page in descendants:
        name = _name(page)
        image = getattr(page, "image", None) if page.specific_class.__name__ == "InfographicPage" else None
        if image is not None and visibility.is_public(image):
            found.append(
                (
                    f"infographics/{name}{PurePosixPath(image.file.name).suffix}",
                    "infographic source",
                    image.file.name,
                )
            )
        media = getattr(page, "audio", None) or getattr(page, "video", None)
        if media is not None and media.file and visibility.is_public(media):
            found.append(
                (f"media/{name}{PurePosixPath(media.file.name).suffix}", "media master", media.file.name)
            )
            for subtitle in media.subtitles.all() if hasattr(media, "subtitles") else []:
                found.append((f"subtitles/{name}.{subtitle.language}.vtt", "subtitles", subtitle.file.name))
        transcript = getattr(page, "transcript", "")
        if transcript:
            found.append((f"scripts/{name}.txt", "narration script and transcript", transcript.encode()))
    return found


def _copy(archive, name, content):
    """Write one entry; returns (bytes, sha256). Stored files are streamed, never read whole."""
    digest, size = hashlib.sha256(), 0
    method = zipfile.ZIP_STORED if PurePosixPath(name).suffix.lower() in COMPRESSED else zipfile.ZIP_DEFLATED
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = method
    with archive.open(info, "w", force_zip64=True) as target:
        if isinstance(content, bytes):
            chunks = [content]
        else:
            source = default_storage.open(content)
            chunks = iter(lambda: source.read(CHUNK), b"")
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
            target.write(chunk)
    return size, digest.hexdigest()


def build_package(plan, sources, content_hash, target):
    """Write the source package of `plan` to storage under `target`; returns its storage name."""
    manifest = {
        "plan": plan.title,
        "code": plan.code,
        "plan_number": plan.plan_number,
        "language": plan.locale.language_code,
        "content_hash": content_hash,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "files": [],
    }
    with tempfile.TemporaryFile() as buffer:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, role, content in sources.package_entries:
                size, sha256 = _copy(archive, name, content)
                manifest["files"].append(
                    {
                        "name": name,
                        "role": role,
                        "media_type": media_type(name),
                        "bytes": size,
                        "sha256": sha256,
                    }
                )
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        buffer.seek(0)
        return default_storage.save(target, File(buffer))
