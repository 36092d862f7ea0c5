"""The media admin in Persian: the media library, the processing queue and the subtitle editor.

Scenarios: the library, the queue and the subtitle list answer; a subtitle upload that is not WebVTT is
refused with a Persian message and nothing is saved; a valid Persian subtitle is stored with RTL marks
and appears in the video's tracks; replacing it deletes the old file; the page editor of a film shows the
media-readiness checklist item; the processing report and its export show a user only the media they may
change, in the same number of queries for 2 rows as for 8.
"""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Collection, GroupCollectionPermission

from media_pipeline.models import MediaItem, Subtitle
from plans.demo.media import PLACEHOLDER_TITLES, media_key
from plans.models import FilmPage

pytestmark = pytest.mark.django_db


def test_admin_pages_answer(admin_client):
    for name in ("wagtailmedia:index", "media_pipeline:processing", "subtitles:index"):
        response = admin_client.get(reverse(name))
        assert response.status_code == 200, name
    page = admin_client.get(reverse("media_pipeline:processing")).content.decode()
    assert PLACEHOLDER_TITLES["video"] in page and "آماده" in page


def test_subtitle_upload_is_validated_and_made_rtl(admin_client, django_capture_on_commit_callbacks):
    video = MediaItem.objects.get(key=media_key("video"))
    Subtitle.objects.filter(media=video, language="fa").delete()
    url = reverse("subtitles:add")
    bad = SimpleUploadedFile("fa.srt", b"1\n00:00:01,000 --> 00:00:02,000\nsrt\n")
    response = admin_client.post(url, {"media": video.pk, "language": "fa", "label": "", "file": bad})
    assert response.status_code == 200
    assert "WEBVTT" in response.content.decode() and "سطر نخست" in response.content.decode()
    assert not Subtitle.objects.filter(media=video, language="fa").exists()
    good = SimpleUploadedFile("fa.vtt", "WEBVTT\n\n00:00.000 --> 00:01.000\n2024 آغاز\n".encode())
    response = admin_client.post(url, {"media": video.pk, "language": "fa", "label": "", "file": good})
    assert response.status_code == 302
    stored = Subtitle.objects.get(media=video, language="fa")
    assert stored.file.read().decode().endswith("\u200f2024 آغاز\n")
    assert [t["language"] for t in video.subtitle_tracks] == ["fa", "en"]
    old_path = stored.file.path
    replacement = SimpleUploadedFile("fa.vtt", "WEBVTT\n\n00:00.000 --> 00:01.000\nتازه\n".encode())
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("subtitles:edit", args=[stored.pk]),
            {"media": video.pk, "language": "fa", "label": "", "file": replacement},
        )
    assert response.status_code == 302
    stored.refresh_from_db()
    assert stored.file.path != old_path and not Path(old_path).exists()
    assert stored.file.read().decode().endswith("\u200fتازه\n")


def test_film_editor_shows_media_readiness(admin_client, demo):
    film = FilmPage.objects.filter(locale=demo.locale_fa).first()
    MediaItem.objects.filter(pk=film.video_id).update(status="processing")
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[film.pk]))
    assert "رسانه پردازش شده و آماده است" in response.content.decode()


def test_the_processing_report_and_its_export_hold_only_media_the_user_may_change(client, django_user_model):
    team = Collection.get_first_root_node().add_child(name="Team media")
    group = Group.objects.create(name="Team media editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupCollectionPermission.objects.create(
        group=group,
        collection=team,
        permission=Permission.objects.get(content_type__app_label="wagtailmedia", codename="change_media"),
    )
    user = django_user_model.objects.create_user("media-editor", password="pw")
    user.groups.add(group)
    client.force_login(user)
    MediaItem.objects.create(title="team:first", type="audio", file="media_originals/a.mp3", collection=team)
    MediaItem.objects.create(title="elsewhere", type="audio", file="media_originals/b.mp3")

    def report(count, **query):
        for number in range(count - MediaItem.objects.filter(collection=team).count()):
            MediaItem.objects.create(
                title=f"team:{number}",
                type="audio",
                collection=team,
                file=f"media_originals/{number}.mp3",
                status="failed",
                failure_reason="ffmpeg: bad input",
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("media_pipeline:processing"), query)
        assert response.status_code == 200
        return response, len(queries)

    html, few = report(2)
    assert "team:first" in html.content.decode() and "elsewhere" not in html.content.decode()
    assert report(8)[1] == few
    export, _queries = report(8, export="csv")
    rows = b"".join(export.streaming_content).decode().splitlines()
    assert len(rows) == 1 + 8 and not any("elsewhere" in row for row in rows)
    failed, _queries = report(8, status="failed")
    assert "team:first" not in failed.content.decode() and "ffmpeg: bad input" in failed.content.decode()
