"""A plan's source package: what it holds (report JSON and HTML, chart SVGs, scripts, media masters) with
a manifest whose sizes and hashes match, served to signed-in staff only until an approver releases it."""

import hashlib
import json
import zipfile

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Collection, CollectionViewRestriction, PageLogEntry, PageViewRestriction

from plans.deliverables import build, sources
from plans.models import FilmPage, InfographicPage, PlanSourcePackage, PodcastEpisodePage
from tests.privacy.test_matrix import serving_media  # noqa: F401  (media URLs served by Django)

pytestmark = pytest.mark.django_db


@pytest.fixture
def package(demo):
    """The source package of the first fa plan, built as the deliverables build stores it."""
    plan = demo.plans_fa[0]
    gathered = build.gather(plan)
    name = build.build_source_package(
        gathered, gathered.content_hash, build.file_prefix(plan), "deliverables/t"
    )
    return PlanSourcePackage.objects.get(page=plan), name


def test_the_package_holds_the_sources_and_a_manifest_of_sizes_and_hashes(package):
    record, name = package
    assert name.startswith("sources/") and record.file.name == name and not record.released
    with default_storage.open(name) as file, zipfile.ZipFile(file) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        listed = {entry["name"]: entry for entry in manifest["files"]}
        assert set(listed) == set(archive.namelist()) - {"manifest.json"}
        for entry_name, entry in listed.items():
            data = archive.read(entry_name)
            assert entry["bytes"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest()
        report = json.loads(archive.read("report/report.json"))
        html = archive.read("report/report.html").decode()
    assert report["title"] == record.page.title and len(report["sections"]) == 8
    assert record.page.title in html
    roles = {entry["role"] for entry in listed.values()}
    assert {"report content", "report HTML", "chart source", "narration script and transcript"} <= roles
    assert "media master" in roles  # the uploaded originals of the plan's podcast and film
    assert all(
        entry["media_type"] == "image/svg+xml" for n, entry in listed.items() if n.startswith("charts/")
    )


@pytest.mark.usefixtures("serving_media")
def test_unreleased_the_package_is_for_signed_in_staff_only(package, login):
    _record, name = package
    url = settings.MEDIA_URL + name
    assert login("anonymous").get(url).status_code == 404
    assert login("translator").get(url).status_code == 200


@pytest.mark.usefixtures("serving_media")
def test_an_approver_releases_it_and_the_release_is_recorded(package, login, users):
    record, name = package
    release = reverse("plans_release_source_package", args=[record.page_id])
    refused = login("editor").post(release)  # editors may not release (the admin sends them home)
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")
    record.refresh_from_db()
    assert not record.released
    assert login("approver").post(release).url == reverse("plans_deliverables_status")
    record.refresh_from_db()
    assert record.released and record.released_by == users["approver"]
    entry = PageLogEntry.objects.get(page=record.page, action="plans.source_package_released")
    assert entry.user == users["approver"]
    assert login("anonymous").get(settings.MEDIA_URL + name).status_code == 200


def test_the_deliverables_report_offers_the_release_to_approvers_only(package, login):
    status = reverse("plans_deliverables_status")
    release = reverse("plans_release_source_package", args=[package[0].page_id])
    assert release in login("approver").get(status).content.decode()
    assert release not in login("editor").get(status).content.decode()


def package_names(plan):
    gathered = build.gather(plan)
    name = build.build_source_package(
        gathered, gathered.content_hash, build.file_prefix(plan), "deliverables/t"
    )
    with default_storage.open(name) as file, zipfile.ZipFile(file) as archive:
        listed = {entry["name"] for entry in json.loads(archive.read("manifest.json"))["files"]}
        assert listed == set(archive.namelist()) - {"manifest.json"}
    return listed


def test_a_released_package_carries_nothing_of_a_restricted_child_page_or_collection(demo):
    """Released, the package is as public as the plan: a child page behind a password leaves out its
    master, subtitles and script; an image or a medium moved into a restricted collection is left out
    while its public page stays."""
    plan = demo.plans_fa[0]
    PlanSourcePackage.objects.update_or_create(page=plan, defaults={"released_at": timezone.now()})
    film = FilmPage.objects.child_of(plan).get()
    infographic = InfographicPage.objects.child_of(plan).get()
    episode = PodcastEpisodePage.objects.descendant_of(plan).get()
    names = package_names(plan)
    assert {"media/film.mp4", "subtitles/film.fa.vtt", "scripts/film.txt", "scripts/episode-1.txt"} <= names
    assert any(name.startswith("infographics/") for name in names)
    assert any(name.startswith("media/episode-1.") for name in names)

    PageViewRestriction.objects.create(page=film, restriction_type="password", password="sesame")
    secret = Collection.get_first_root_node().add_child(name="Confidential")
    CollectionViewRestriction.objects.create(collection=secret, restriction_type="login")
    for item in (infographic.image, episode.audio):
        item.collection = secret
        item.save(update_fields=["collection"])
    names = package_names(plan)
    assert not [name for name in names if "film" in name or name.startswith("infographics/")], names
    assert not [name for name in names if name.startswith(("media/episode-1", "subtitles/episode-1"))]
    assert "scripts/episode-1.txt" in names  # the episode page itself is public


def test_media_types_of_source_files():
    assert sources.media_type("subtitles/film.fa.vtt") == "text/vtt"
    assert sources.media_type("charts/kpi-01.svg") == "image/svg+xml"
    assert sources.media_type("media/film.mp4") == "video/mp4"
