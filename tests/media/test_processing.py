"""Real ffmpeg on generated media: what an upload becomes, progress and failure with retry.

Scenarios: audio → MP3 + AAC at −16 LUFS (measured), duration and tags from mutagen; video → 360p and
720p H.264/AAC MP4s (never upscaled), HLS master + variant playlists with their segments, a poster, and
the dimensions; a file broken after upload fails with its reason and recovers on retry through the admin;
the admin queue lists status and progress; deleting the item deletes every stored object.
"""

import contextlib
import json
import subprocess
import threading
from pathlib import Path

import pytest
from django.core.files import File
from django.urls import reverse

from media_pipeline import ffmpeg
from media_pipeline.models import MediaItem, MediaOutput, Status
from media_pipeline.tasks import process_media

pytestmark = pytest.mark.django_db
Kind = MediaOutput.Kind


def make_item(path, media_type, title="item"):
    item = MediaItem(title=title, type=media_type)
    with open(path, "rb") as handle:
        item.file.save(Path(path).name, File(handle), save=False)
    item.save()
    return item


def local(output):
    return output.file.path


def streams(path):
    """ffprobe's streams of any of our outputs (plain ffprobe: posters are JPEG, which uploads are not)."""
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-of", "json", path], capture_output=True, check=True
    )
    return json.loads(result.stdout)["streams"]


def test_audio_is_normalised_to_mp3_and_aac(media_dir):
    item = make_item(media_dir / "tone.mp3", "audio")
    assert process_media.call(item.pk) == Status.READY
    item.refresh_from_db()
    assert (item.status, item.progress) == (Status.READY, 100)
    assert abs(item.duration - 1.5) < 0.15
    assert item.tag_artist == "Revayat"
    kinds = {o.kind: o for o in item.outputs.all()}
    assert set(kinds) == {Kind.MP3, Kind.AAC}
    assert [s["codec_name"] for s in streams(local(kinds[Kind.MP3]))] == ["mp3"]
    assert [s["codec_name"] for s in streams(local(kinds[Kind.AAC]))] == ["aac"]
    assert -17.5 < item.loudness_lufs < -14.5, item.loudness_lufs
    assert -17.5 < ffmpeg.loudness(local(kinds[Kind.AAC])) < -14.5
    mp3_size = Path(local(kinds[Kind.MP3])).stat().st_size
    assert item.enclosure == {"url": kinds[Kind.MP3].url, "length": mp3_size, "type": "audio/mpeg"}


def test_video_becomes_mp4s_hls_and_poster(media_dir):
    item = make_item(media_dir / "big.mp4", "video")
    assert process_media.call(item.pk) == Status.READY
    item.refresh_from_db()
    assert (item.width, item.height) == (1280, 720)
    outputs = {o.kind: o for o in item.outputs.all() if o.kind != Kind.HLS_PART}
    assert set(outputs) == {Kind.MP4_360, Kind.MP4_720, Kind.HLS, Kind.POSTER}
    for kind, height in ((Kind.MP4_360, 360), (Kind.MP4_720, 720)):
        video, audio = streams(local(outputs[kind]))
        assert (video["codec_name"], video["height"], audio["codec_name"]) == ("h264", height, "aac")
    master = Path(local(outputs[Kind.HLS]))
    text = master.read_text()
    assert "RESOLUTION=640x360" in text and "RESOLUTION=1280x720" in text
    for variant in ("360p.m3u8", "720p.m3u8"):
        playlist = (master.parent / variant).read_text()
        segments = [line for line in playlist.splitlines() if line.endswith(".ts")]
        assert segments and all((master.parent / s).exists() for s in segments)
        assert "#EXT-X-ENDLIST" in playlist
    poster = streams(local(outputs[Kind.POSTER]))[0]
    assert (poster["codec_name"], poster["height"]) == ("mjpeg", 720)
    # keyframes every 2 s exactly (fixed GOP): the HLS segments can be cut anywhere on that grid
    frames = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-select_streams",
            "v",
            "-skip_frame",
            "nokey",
            "-show_entries",
            "frame=pts_time",
            "-of",
            "json",
            local(outputs[Kind.MP4_720]),
        ],
        capture_output=True,
        check=True,
    ).stdout
    assert [round(float(f["pts_time"]), 2) for f in json.loads(frames)["frames"]] == [0.0]
    assert item.sources[0]["type"] == "video/mp4" and item.poster_url.endswith("poster.jpg")


def test_small_video_is_not_upscaled(media_dir):
    item = make_item(media_dir / "clip.mp4", "video")
    process_media.call(item.pk)
    kinds = sorted(o.kind for o in item.outputs.all() if o.kind != Kind.HLS_PART)
    assert kinds == sorted([Kind.MP4_360, Kind.HLS, Kind.POSTER])
    assert streams(local(item.output(Kind.MP4_360)))[0]["height"] == 180


def test_failure_shows_reason_and_retry_recovers(media_dir, admin_client, django_capture_on_commit_callbacks):
    item = make_item(media_dir / "tone.mp3", "audio")
    good = Path(item.file.path).read_bytes()
    Path(item.file.path).write_bytes(b"\0" * 2000)  # damaged in storage after validation
    assert process_media.call(item.pk) == Status.FAILED
    item.refresh_from_db()
    assert item.status == Status.FAILED and item.failure_reason
    assert not item.outputs.exists()
    page = admin_client.get(reverse("media_pipeline:processing")).content.decode()
    assert item.failure_reason[:30] in page and reverse("media_pipeline:retry", args=[item.pk]) in page
    Path(item.file.path).write_bytes(good)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("media_pipeline:retry", args=[item.pk]))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.READY and item.outputs.count() == 2


def test_retry_requires_permission(media_dir, client, django_user_model):
    item = make_item(media_dir / "tone.mp3", "audio")
    client.force_login(django_user_model.objects.create_user("reader", password="pw"))
    assert client.post(reverse("media_pipeline:retry", args=[item.pk])).status_code in (302, 403)
    item.refresh_from_db()
    assert item.status == Status.PENDING


def test_deleting_removes_every_stored_file(media_dir, django_capture_on_commit_callbacks):
    item = make_item(media_dir / "clip.mp4", "video")
    process_media.call(item.pk)
    paths = [Path(item.file.path)] + [Path(o.file.path) for o in item.outputs.all()]
    assert all(p.exists() for p in paths) and len(paths) > 5
    with django_capture_on_commit_callbacks(execute=True):
        item.delete()
    assert not any(p.exists() for p in paths)
    assert not MediaOutput.objects.filter(media_id=item.pk).exists()


@pytest.mark.parametrize(
    ("cap", "value", "message"),
    [
        ("FFMPEG_MAX_OUTPUT_BYTES", 20_000, "limit"),
        ("FFMPEG_TIMEOUT", 0.01, "time limit"),
    ],
)
def test_ffmpeg_caps_stop_processing_with_a_reason(media_dir, settings, cap, value, message):
    settings.MEDIA_PIPELINE = {cap: value}
    item = make_item(media_dir / "clip.mp4", "video")
    assert process_media.call(item.pk) == Status.FAILED
    item.refresh_from_db()
    assert message in item.failure_reason and not item.outputs.exists()


def test_inputs_are_confined_to_local_files_of_accepted_formats(tmp_path):
    playlist = tmp_path / "evil.m3u8"
    playlist.write_text("#EXTM3U\n#EXTINF:1,\n/etc/passwd\n#EXTINF:1,\nhttp://127.0.0.1:1/x\n")
    with pytest.raises(ffmpeg.FFmpegError):
        ffmpeg.probe(playlist)
    with pytest.raises(ffmpeg.FFmpegError):
        ffmpeg.run(["-i", playlist, "-f", "null", "-"])
    with pytest.raises(ffmpeg.FFmpegError, match=r"whitelist|Protocol"):
        ffmpeg.run(["-i", "http://127.0.0.1:1/clip.mp4", "-f", "null", "-"])


class UnlinksWhenFinalized:
    def __init__(self, path):
        self.path = path

    def __del__(self):
        self.path.unlink(missing_ok=True)


def test_ffmpeg_started_from_a_thread_runs_no_finalizer_of_the_parent(tmp_path):
    """The pipeline runs ffmpeg from threads. A child forked from one that ran Python code before exec
    (`preexec_fn`) first tore down the other threads' state and ran their objects' finalizers: the main
    thread's WeasyPrint font folder, shared on disk, was deleted, and every later PDF failed."""
    marker = tmp_path / "kept"
    marker.touch()
    main_thread_state = threading.local()
    main_thread_state.holder = UnlinksWhenFinalized(marker)

    def probe():
        with contextlib.suppress(ffmpeg.FFmpegError):
            ffmpeg.probe(tmp_path / "not-media.wav")

    thread = threading.Thread(target=probe)
    thread.start()
    thread.join()
    assert marker.exists()
    assert main_thread_state.holder.path == marker
