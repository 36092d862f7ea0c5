"""Uploads are judged by their content: every bad kind of file is refused with a clear message.

Scenarios, each through the real wagtailmedia admin view: malformed bytes, a truncated MP4, a PDF named
.mp4, a zero-length file, audio uploaded as video, video uploaded as audio, a file over the configured
size limit and one over the duration limit are refused; nothing is created; the fa admin says why in
Persian; a good file is accepted.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from media_pipeline.models import MediaItem
from tests.media.conftest import upload

pytestmark = pytest.mark.django_db


def post_upload(client, media_type, file, title="t"):
    return client.post(
        reverse("wagtailmedia:add", args=(media_type,)), {"title": title, "file": file, "collection": 1}
    )


def file_errors(response):
    return " ".join(str(e) for e in response.context["form"].errors.get("file", []))


def error_codes(response):
    return {error.code for error in response.context["form"].errors.as_data().get("file", [])}


CASES = {
    "truncated": ("video", lambda d: upload(d / "truncated.mp4"), "unreadable"),
    "zero-length": ("audio", lambda d: SimpleUploadedFile("empty.mp3", b""), "empty"),
    "pdf-named-mp4": (
        "video",
        lambda d: SimpleUploadedFile("report.mp4", b"%PDF-1.7\n" + b"0" * 4000),
        "wrong_type",
    ),
    "malformed": ("video", lambda d: SimpleUploadedFile("noise.mp4", bytes(range(256)) * 40), "wrong_type"),
    "mp4-header-then-garbage": (
        "video",
        lambda d: SimpleUploadedFile(
            "broken.mp4", (d / "clip.mp4").read_bytes()[:64] + bytes(range(256)) * 40
        ),
        "unreadable",
    ),
    "audio-as-video": ("video", lambda d: upload(d / "tone-as-video.mp4"), "audio_as_video"),
    "video-as-audio": ("audio", lambda d: upload(d / "clip.mp4", "clip.m4a"), "video_as_audio"),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_uploads_are_refused(admin_client, media_dir, case):
    media_type, make, code = CASES[case]
    response = post_upload(admin_client, media_type, make(media_dir))
    assert response.status_code == 200
    assert error_codes(response) == {code}, file_errors(response)
    assert file_errors(response)
    assert not MediaItem.objects.filter(title="t").exists()


def test_oversized_and_overlong_uploads_are_refused(admin_client, media_dir, settings):
    settings.MEDIA_PIPELINE = {"MAX_UPLOAD_BYTES": 10_000}
    response = post_upload(admin_client, "video", upload(media_dir / "clip.mp4"))
    assert error_codes(response) == {"too_big"}
    settings.MEDIA_PIPELINE = {"MAX_DURATION": 1}
    response = post_upload(admin_client, "audio", upload(media_dir / "tone.mp3"))
    assert error_codes(response) == {"too_long"}
    settings.MEDIA_PIPELINE = {"MAX_WIDTH": 640, "MAX_HEIGHT": 480}
    response = post_upload(admin_client, "video", upload(media_dir / "big.mp4"))
    assert error_codes(response) == {"too_large"}
    assert "1280×720" in file_errors(response)
    assert not MediaItem.objects.filter(title="t").exists()


def test_persian_admin_explains_in_persian(admin_client, media_dir):
    response = post_upload(admin_client, "video", upload(media_dir / "tone-as-video.mp4"))
    message = file_errors(response)
    assert "فقط صدا" in message, message


def test_good_upload_is_accepted_and_processed(admin_client, media_dir, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_upload(admin_client, "audio", upload(media_dir / "tone.wav"), title="Tone")
    assert response.status_code == 302, file_errors(response)
    item = MediaItem.objects.get(title="Tone")
    assert item.status == "ready", item.failure_reason
    assert item.mime_type == "audio/x-wav" and item.file.name.startswith("media_originals/")
