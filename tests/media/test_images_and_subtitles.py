"""Images and subtitles: only accepted formats are parsed, originals are never served, WebVTT is checked.

Scenarios: Pillow opens only PNG/JPEG/WebP/GIF/AVIF (a TIFF or BMP renamed .png is not parsed); the
admin refuses a decompression bomb, an SVG with a script and a BMP dressed as PNG, with messages; the
local media view serves renditions and outputs of public objects but never originals, documents, files
no public object owns or paths that climb out;
subtitle uploads must be WebVTT (first line, cue timings) and Persian cues get an RLM, pasted bidi
overrides removed.
"""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from PIL import Image, UnidentifiedImageError

from cms.views import serve_media
from media_pipeline.subtitles import RLM, clean_webvtt

pytestmark = pytest.mark.django_db


def image_bytes(format_name, size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(buffer, format=format_name)
    return buffer.getvalue()


@pytest.mark.parametrize("format_name", ["TIFF", "BMP", "ICO", "PPM"])
def test_pillow_refuses_formats_outside_the_allowlist(format_name):
    with pytest.raises(UnidentifiedImageError):
        Image.open(io.BytesIO(image_bytes(format_name)))


@pytest.mark.parametrize("format_name", ["PNG", "JPEG", "WEBP", "GIF"])
def test_pillow_opens_accepted_formats(format_name):
    assert Image.open(io.BytesIO(image_bytes(format_name))).format == format_name


def post_image(client, name, content):
    return client.post(
        reverse("wagtailimages:add"),
        {"title": "x", "file": SimpleUploadedFile(name, content), "collection": 1},
    )


def image_errors(response):
    return [e.code for e in response.context["form"].errors.as_data().get("file", [])]


def test_admin_refuses_bad_images(admin_client):
    bomb = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(bomb, format="PNG")  # 144 Mpx in a few kB
    assert len(bomb.getvalue()) < 100_000
    assert image_errors(post_image(admin_client, "bomb.png", bomb.getvalue())) == ["file_too_many_pixels"]
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert image_errors(post_image(admin_client, "chart.svg", svg)) == ["invalid_image_extension"]
    assert image_errors(post_image(admin_client, "bmp.png", image_bytes("BMP")))
    from wagtail.images import get_image_model

    assert not get_image_model().objects.filter(title="x").exists()


@pytest.fixture
def stored(settings, tmp_path):
    """Files in a fresh MEDIA_ROOT: originals, a public image's rendition, a ready item's output."""
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file
    from wagtail.models import Collection

    from media_pipeline.models import MediaItem, MediaOutput, Status

    settings.MEDIA_ROOT = tmp_path
    for name in (
        "original_images/plan.png",
        "media_originals/talk.mp3",
        "documents/secret.pdf",
        "media_outputs/key/run/audio.mp3",
        "media_outputs/key/run/orphan.mp3",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"data")
    image = get_image_model().objects.create(title="public", file=get_test_image_file())
    item = MediaItem.objects.create(
        title="talk",
        type="audio",
        file="media_originals/talk.mp3",
        status=Status.READY,
        collection=Collection.get_first_root_node(),
    )
    MediaOutput.objects.create(media=item, kind=MediaOutput.Kind.MP3, file="media_outputs/key/run/audio.mp3")
    return {"rendition": image.get_rendition("width-48").file.name, "original": image.file.name}


@pytest.mark.parametrize(
    ("path", "served"),
    [
        ("original_images/plan.png", False),
        ("media_originals/talk.mp3", False),
        ("documents/secret.pdf", False),
        ("images/../original_images/plan.png", False),
        ("../settings/base.py", False),
        ("media_outputs/key/run/orphan.mp3", False),  # a file no public object owns
        ("media_outputs/key/run/audio.mp3", True),
        ("rendition", True),
        ("original", False),
    ],
)
def test_local_media_view_never_serves_originals(stored, path, served):
    path = stored.get(path, path)
    request = RequestFactory().get(f"/media/{path}")
    if served:
        assert serve_media(request, path).status_code == 200
    else:
        with pytest.raises(Http404):
            serve_media(request, path)


def test_webvtt_is_validated():
    with pytest.raises(ValidationError) as error:
        clean_webvtt(b"1\n00:00:01,000 --> 00:00:02,000\nSRT, not WebVTT\n", "en")
    assert error.value.code == "not_webvtt"
    with pytest.raises(ValidationError) as error:
        clean_webvtt(b"WEBVTT\n\n00:00:01.000 --> 00:00:00.500\nbackwards\n", "en")
    assert error.value.code == "timing"
    with pytest.raises(ValidationError) as error:
        clean_webvtt(b"WEBVTT\n\n00:00:01 --> 00:00:02\nno millis\n", "en")
    assert error.value.code == "timing"
    with pytest.raises(ValidationError) as error:
        clean_webvtt("WEBVTT\n\n00:00.000 --> 00:01.000\nسلام\n".encode("utf-16"), "fa")
    assert error.value.code in ("encoding", "not_webvtt")


def test_persian_cues_are_made_right_to_left():
    text = "WEBVTT\n\n00:00.000 --> 00:01.500 line:90%\n2024: \u202aSSO\u202c آغاز شد\nدومین سطر\n\nNOTE x\n"
    cleaned = clean_webvtt(text.encode(), "fa")
    lines = cleaned.split("\n")
    assert lines[3] == RLM + "2024: SSO آغاز شد" and lines[4] == RLM + "دومین سطر"
    assert lines[0] == "WEBVTT" and lines[2].startswith("00:00.000") and lines[6] == "NOTE x"
    assert clean_webvtt(text.encode(), "en") == text  # other languages are stored as uploaded
