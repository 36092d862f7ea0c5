"""The media admin in Persian: the media library, the processing queue and the subtitle editor.

Scenarios: the library, the queue and the subtitle list answer; a subtitle upload that is not WebVTT is
refused with a Persian message and nothing is saved; a valid Persian subtitle is stored with RTL marks
and appears in the video's tracks; replacing it deletes the old file; the page editor of a film shows the
media-readiness checklist item.
"""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from media_pipeline.models import MediaItem, Subtitle
from plans.models import FilmPage

pytestmark = pytest.mark.django_db


def test_admin_pages_answer(admin_client):
    for name in ("wagtailmedia:index", "media_pipeline:processing", "subtitles:index"):
        response = admin_client.get(reverse(name))
        assert response.status_code == 200, name
    page = admin_client.get(reverse("media_pipeline:processing")).content.decode()
    assert "demo:video" in page and "آماده" in page


def test_subtitle_upload_is_validated_and_made_rtl(admin_client, django_capture_on_commit_callbacks):
    video = MediaItem.objects.get(title="demo:video")
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
        response = admin_client.post(reverse("subtitles:edit", args=[stored.pk]),
                                     {"media": video.pk, "language": "fa", "label": "", "file": replacement})
    assert response.status_code == 302
    stored.refresh_from_db()
    assert stored.file.path != old_path and not Path(old_path).exists()
    assert stored.file.read().decode().endswith("\u200fتازه\n")


def test_film_editor_shows_media_readiness(admin_client, demo):
    film = FilmPage.objects.filter(locale=demo.locale_fa).first()
    MediaItem.objects.filter(pk=film.video_id).update(status="processing")
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[film.pk]))
    assert "رسانه پردازش شده و آماده است" in response.content.decode()
