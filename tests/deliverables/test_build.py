"""Building a plan's deliverables: on publish in the background, into media storage, with status and
progress, a zip whose manifest matches its contents, the content-hash cache, the links on the plan page
and in `get_deliverables()`, and withdrawal when the page stops being public."""

import hashlib
import io
import json
import zipfile
from unittest.mock import ANY

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from media_pipeline.models import MediaItem
from plans.deliverables import build, qr
from plans.models import KPI, FilmPage, PlanDeliverables, PlanSourcePackage
from tests.deliverables.conftest import run

pytestmark = pytest.mark.django_db

KEYS = {"report_pdf", "summary_pdf", "guide_pdf", "epub", "pptx", "package", "qr", "qr_svg", "source_package"}


def stored(url):
    """The bytes behind a deliverable URL (absolute or not), read from the default storage."""
    name = url.split("/media/", 1)[1]
    with default_storage.open(name) as file:
        return file.read()


def test_publishing_builds_everything_once_and_an_unchanged_plan_is_skipped(
    demo, client, django_capture_on_commit_callbacks, tmp_path
):
    plan = demo.plans_en[0]
    assert plan.get_deliverables() == dict.fromkeys(KEYS)
    with (
        override_settings(REVAYAT_DELIVERABLES_ON_PUBLISH=True),
        django_capture_on_commit_callbacks(execute=True),
    ):
        plan.save_revision().publish()
    record = PlanDeliverables.objects.get(page=plan)
    assert (record.status, record.progress, record.error) == (PlanDeliverables.Status.DONE, 100, "")
    assert set(record.timings) >= {"report_pdf", "summary_pdf", "epub", "pptx", "package", "qr", "sources"}
    sources = PlanSourcePackage.objects.get(page=plan)  # beside the knowledge package, staff only
    assert sources.file.name.startswith("sources/") and not sources.released

    files = plan.get_deliverables()
    assert files.pop("source_package") is None  # until an approver releases it
    assert set(files) == KEYS - {"source_package"}
    assert all(url.startswith(plan.get_site().root_url) for url in files.values())
    PlanSourcePackage.objects.filter(page=plan).update(released_at=timezone.now())
    assert plan.get_deliverables()["source_package"].endswith(sources.file.url)
    assert stored(files["report_pdf"]).startswith(b"%PDF-")
    assert b"<svg" in stored(files["qr_svg"])
    dashboard = plan.deliverable_files  # the portal's links: host-relative media URLs
    assert all(url.startswith(settings.MEDIA_URL) for url in dashboard.values())
    for key, url in (("qr", qr.portal_url(plan)), ("dashboard_qr", qr.dashboard_url(plan))):
        image = tmp_path / f"{key}.png"
        image.write_bytes(stored(dashboard[key]))
        assert run("zbarimg", "-q", str(image)).strip() == f"QR-Code:{url}"

    with zipfile.ZipFile(io.BytesIO(stored(files["package"]))) as package:
        manifest = json.loads(package.read("manifest.json"))
        listed = {entry["name"]: entry for entry in manifest["files"]}
        assert set(package.namelist()) == {"manifest.json", *listed}
        for name, entry in listed.items():
            data = package.read(name)
            assert (len(data), hashlib.sha256(data).hexdigest()) == (entry["bytes"], entry["sha256"])
        report = package.read(next(name for name in listed if name.endswith("report.pdf")))
    suffixes = {name.rsplit("-", 1)[-1] for name in listed}
    assert suffixes >= {
        "report.pdf",
        "summary.pdf",
        "guide.pdf",
        "report.epub",
        "deck.pptx",
        "qr.png",
        "qr.svg",
    }
    assert manifest["language"] == "en" and manifest["content_hash"] == record.content_hash
    assert stored(files["report_pdf"]) == report

    # republishing without changes: the content hash matches, nothing is rebuilt
    with (
        override_settings(REVAYAT_DELIVERABLES_ON_PUBLISH=True),
        django_capture_on_commit_callbacks(execute=True),
    ):
        plan.save_revision().publish()
    assert build.build(plan) == "cached"
    assert plan.get_deliverables() == {**files, "source_package": ANY}
    assert PlanDeliverables.objects.get(page=plan).status == "done"

    # section 8 of the plan page links the files and shows the QR code; the dashboard anchor exists
    html = client.get(plan.url).content.decode()
    for key in (
        "report_pdf",
        "summary_pdf",
        "guide_pdf",
        "epub",
        "pptx",
        "package",
        "qr_svg",
        "dashboard_qr_svg",
    ):
        url = dashboard[key]
        assert f'href="{url}"' in html or f'src="{url}"' in html
    assert 'id="dashboard"' in html

    # a view restriction withdraws the deliverables: files deleted, links gone
    PageViewRestriction.objects.create(page=plan, restriction_type="login")
    assert build.build(plan) == "withdrawn"
    assert not default_storage.exists(files["report_pdf"].split("/media/", 1)[1])
    assert not default_storage.exists(sources.file.name)
    assert not PlanSourcePackage.objects.filter(page=plan).exists()
    assert plan.get_deliverables() == dict.fromkeys(KEYS)


def test_the_content_hash_follows_the_content(demo):
    plan = demo.plans_fa[1]
    before = build.gather(plan).content_hash
    assert build.gather(plan).content_hash == before
    plan.lessons = [*plan.lessons.raw_data, {"type": "paragraph", "value": "<p>درس تازه</p>"}]
    assert build.gather(plan).content_hash != before


def test_a_kpi_target_and_a_replaced_media_master_change_the_content_hash(demo):
    """The deck's charts draw each KPI's target and the source package carries the media masters: a
    change to either must rebuild (the build is skipped while the hash is the same)."""
    plan = demo.plans_fa[0]
    before = build.gather(plan).content_hash
    assert build.gather(plan).content_hash == before
    kpi = KPI.objects.filter(plan=plan).first()
    KPI.objects.filter(pk=kpi.pk).update(target_value=kpi.target_value + 1)
    target_changed = build.gather(plan).content_hash
    assert target_changed != before

    video = FilmPage.objects.child_of(plan).get().video
    MediaItem.objects.filter(pk=video.pk).update(file="media_originals/replaced-master.mp4")
    assert build.gather(plan).content_hash != target_changed


def test_admin_shows_status_and_progress_and_rebuild_needs_a_post(demo, admin_client):
    plan = demo.plans_fa[0]
    PlanDeliverables.objects.create(
        page=plan, status=PlanDeliverables.Status.RUNNING, progress=40, step="PDF"
    )
    response = admin_client.get("/admin/deliverables/")
    html = response.content.decode()
    assert response.status_code == 200 and plan.title in html
    assert 'value="40"' in html and "۴۰" in html
    assert admin_client.get(f"/admin/deliverables/{plan.pk}/rebuild/").status_code == 405


def test_admin_status_filters_by_status_in_the_same_queries_with_or_without_files(demo, admin_client):
    def report(**query):
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get("/admin/deliverables/", query)
        assert response.status_code == 200
        return response.content.decode(), len(queries)

    _html, without = report()
    for plan in demo.plans_fa:
        PlanDeliverables.objects.create(
            page=plan,
            status=PlanDeliverables.Status.DONE,
            progress=100,
            report_pdf="deliverables/report.pdf",
            epub="deliverables/report.epub",
            pptx="deliverables/deck.pptx",
            package="deliverables/package.zip",
        )
    html, with_files = report()
    assert with_files == without and html.count('href="/media/deliverables/report.pdf"') == len(demo.plans_fa)
    done, _queries = report(status="done")
    assert {f'data-page="{plan.pk}"' in done for plan in demo.plans_fa} == {True}
    assert not any(f'data-page="{plan.pk}"' in done for plan in demo.plans_en)
    assert admin_client.get("/admin/deliverables/", {"export": "csv"})["Content-Type"].startswith("text/html")


def test_admin_status_needs_an_admin_login(client):
    assert client.get("/admin/deliverables/").status_code == 302


def test_a_failed_build_is_reported_and_keeps_the_previous_files(demo, monkeypatch):
    plan = demo.plans_fa[2]
    previous = default_storage.save("deliverables/test/previous-report.pdf", io.BytesIO(b"%PDF-old"))
    PlanDeliverables.objects.create(
        page=plan, status=PlanDeliverables.Status.DONE, content_hash="old", report_pdf=previous
    )

    def broken(url):
        raise OSError("disk full")

    monkeypatch.setattr(build.qr, "svg", broken)  # the second step fails, after one file was written
    with pytest.raises(OSError):
        build.build(plan)
    record = PlanDeliverables.objects.get(page=plan)
    assert record.status == PlanDeliverables.Status.FAILED and "disk full" in record.error
    assert record.content_hash == "old" and record.report_pdf.name == previous
    assert default_storage.exists(previous)
    target = build.folder(plan, build.gather(plan).content_hash)
    assert not default_storage.exists(f"{target}/{build.file_prefix(plan)}-qr.png")  # written, then removed
