"""Generated test media (a second or two each) and helpers to upload through the real admin views."""

import shutil
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from media_pipeline import generate


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory):
    """Short generated files, made once per session."""
    folder = tmp_path_factory.mktemp("media")
    generate.audio(folder / "tone.mp3", seconds=1.5)
    generate.audio(folder / "tone.wav", seconds=1.0)
    generate.video(folder / "clip.mp4", seconds=1.5, size="320x180")
    generate.video(folder / "big.mp4", seconds=1.0, size="1280x720")
    data = (folder / "clip.mp4").read_bytes()
    (folder / "truncated.mp4").write_bytes(data[: len(data) // 2])
    shutil.copy(folder / "tone.mp3", folder / "tone-as-video.mp4")
    return Path(folder)


def upload(path, name=None, content_type="application/octet-stream"):
    path = Path(path)
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type=content_type)
