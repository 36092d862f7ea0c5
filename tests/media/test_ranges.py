"""Byte ranges and content types on the files the project serves itself (`make run`, SERVE_MEDIA).

Scenarios: a player's `Range: bytes=a-b` gets 206 with exactly those bytes and `Content-Range`; an
open-ended and a suffix range; a range past the end is 416; a malformed or multi-range request and a
stale `If-Range` get the whole file (200); every answer says `Accept-Ranges: bytes`; HLS segments are
`video/mp2t` (Debian's mime.types says Qt Linguist) and playlists Apple's type, through the local
media view of a public item's outputs.
"""

import pytest
from django.test import RequestFactory
from django.utils.http import http_date

from cms.files import file_response
from cms.views import serve_media

CONTENT = bytes(range(256)) * 40  # 10,240 distinct-enough bytes


@pytest.fixture
def episode(tmp_path):
    (tmp_path / "episode.mp3").write_bytes(CONTENT)
    return tmp_path


def get(folder, name="episode.mp3", **headers):
    request = RequestFactory().get(f"/media/{name}", **headers)
    return file_response(request, name, folder)


def body(response):
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=5000-", 5000, 10239),
        ("bytes=-1000", 9240, 10239),
        ("bytes=10000-99999", 10000, 10239),
    ],
)
def test_single_range_is_partial_content(episode, header, start, end):
    response = get(episode, HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/{len(CONTENT)}"
    assert response["Content-Length"] == str(end - start + 1)
    assert body(response) == CONTENT[start : end + 1]
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "audio/mpeg"


def test_range_past_the_end_is_unsatisfiable(episode):
    response = get(episode, HTTP_RANGE="bytes=20000-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(CONTENT)}"


@pytest.mark.parametrize("header", ["bytes=0-9,20-29", "items=0-9", "bytes=x-y", "bytes=50-10", "bytes=-"])
def test_other_ranges_get_the_whole_file(episode, header):
    response = get(episode, HTTP_RANGE=header)
    assert response.status_code == 200
    assert body(response) == CONTENT
    assert response["Accept-Ranges"] == "bytes"


def test_if_range_honoured_only_for_the_same_file(episode):
    current = get(episode)["Last-Modified"]
    assert get(episode, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=current).status_code == 206
    stale = get(episode, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=http_date(0))
    assert stale.status_code == 200
    assert body(stale) == CONTENT


def test_not_modified_since(episode):
    last_modified = get(episode)["Last-Modified"]
    assert get(episode, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304


@pytest.mark.django_db
def test_media_view_serves_ranges_and_stream_types(settings, tmp_path):
    from wagtail.models import Collection

    from media_pipeline.models import MediaItem, MediaOutput, Status

    settings.MEDIA_ROOT = tmp_path
    item = MediaItem.objects.create(
        title="film",
        type="video",
        file="media_originals/film.mp4",
        status=Status.READY,
        collection=Collection.get_first_root_node(),
    )
    for kind, name in [(MediaOutput.Kind.HLS_PART, "720p_000.ts"), (MediaOutput.Kind.HLS, "master.m3u8")]:
        path = tmp_path / "media_outputs/key/run" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(CONTENT)
        MediaOutput.objects.create(media=item, kind=kind, file=f"media_outputs/key/run/{name}")

    request = RequestFactory().get("/media/media_outputs/key/run/720p_000.ts", HTTP_RANGE="bytes=188-375")
    segment = serve_media(request, "media_outputs/key/run/720p_000.ts")
    assert (segment.status_code, segment["Content-Type"]) == (206, "video/mp2t")
    assert body(segment) == CONTENT[188:376]
    playlist = serve_media(RequestFactory().get("/"), "media_outputs/key/run/master.m3u8")
    assert playlist["Content-Type"] == "application/vnd.apple.mpegurl"


@pytest.mark.django_db
def test_documents_answer_ranges(client, settings, tmp_path):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    settings.MEDIA_ROOT = tmp_path
    pdf = b"%PDF-1.4\n" + CONTENT + b"\n%%EOF\n"
    document = get_document_model().objects.create(title="report", file=ContentFile(pdf, name="report.pdf"))
    response = client.get(document.url, HTTP_RANGE="bytes=9-18")
    assert response.status_code == 206
    assert (response["Content-Length"], response["Content-Range"]) == ("10", f"bytes 9-18/{len(pdf)}")
    assert body(response) == pdf[9:19]
    assert client.get(document.url, HTTP_RANGE=f"bytes={len(pdf)}-")["Content-Length"] == "0"
    whole = client.get(document.url)
    assert (whole.status_code, whole["Content-Length"]) == (200, str(len(pdf)))
