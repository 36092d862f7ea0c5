"""Upload validation by content: magic bytes, then ffprobe, never the file name.

`inspect_upload(file, expected_type)` returns what the file is (type, duration, size, dimensions) or
raises a ValidationError whose message tells the editor what is wrong, in their language.
`document_mismatch(file, name)` says whether a document's content is what its extension claims (an HTML
page named .pdf is not); the document form refuses such uploads, and the document view serves any such
file already stored as a download, never inline.
"""

import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from media_pipeline import ffmpeg
from media_pipeline.conf import limit

# Containers we accept, by the MIME type their magic bytes reveal.
ACCEPTED_MIME_TYPES = {
    "audio/mpeg",
    "audio/mp4",
    "audio/x-m4a",
    "audio/aac",
    "audio/x-wav",
    "audio/wav",
    "audio/ogg",
    "audio/x-flac",
    "audio/flac",
    "video/mp4",
    "video/quicktime",
    "video/x-m4v",
    "video/webm",
    "video/x-matroska",
    "audio/opus",
}
SNIFF_BYTES = 8192
# Document extension → the formats (filetype's extensions) its magic bytes may reveal. Office files are
# ZIP archives whose own markers can lie beyond the bytes sniffed, so plain "zip" passes for them.
_OOXML, _ODF = {"docx", "xlsx", "pptx", "zip"}, {"odt", "ods", "odp", "zip"}
DOCUMENT_FORMATS = {
    "pdf": {"pdf"},
    "docx": _OOXML,
    "xlsx": _OOXML,
    "pptx": _OOXML,
    "odt": _ODF,
    "ods": _ODF,
    "zip": _OOXML | _ODF | {"epub"},
}
TEXT_DOCUMENTS = {"csv", "txt"}  # no magic bytes: UTF-8 text that is not markup a browser would run
MARKUP = re.compile(rb"<\s*(!doctype|html|head|body|script|svg|iframe|object|embed|\?xml)\b", re.IGNORECASE)


@dataclass(frozen=True)
class MediaInfo:
    """What an accepted upload contains."""

    type: str  # "audio" or "video"
    mime_type: str
    size: int
    duration: float
    width: int | None = None
    height: int | None = None


@contextmanager
def local_path(file):
    """A local filesystem path with the upload's content (Django's temporary file when there is one)."""
    if hasattr(file, "temporary_file_path"):
        yield file.temporary_file_path()
        return
    with tempfile.NamedTemporaryFile(prefix="revayat-upload-") as copy:
        file.seek(0)
        shutil.copyfileobj(file, copy, 1024 * 1024)
        copy.flush()
        file.seek(0)
        yield copy.name


def _head(file):
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    return head


def sniff(file):
    """The MIME type the first bytes of `file` reveal, or None."""
    kind = filetype.guess(_head(file))
    return kind.mime if kind else None


def document_mismatch(file, name):
    """True when the content of a document named `name` is not what its extension says."""
    extension = os.path.splitext(name)[1].lstrip(".").lower()
    head = _head(file)
    kind = filetype.guess(head)
    if extension in TEXT_DOCUMENTS:
        try:
            head.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            if error.start < len(head) - 3:  # not just a character cut at the end of the sniffed bytes
                return True
        return kind is not None or MARKUP.search(head) is not None
    return kind is None or kind.extension not in DOCUMENT_FORMATS.get(extension, {kind.extension})


def inspect_upload(file, expected_type=None):
    """Validate an uploaded audio or video file by its content; return its MediaInfo."""
    size = file.size
    if not size:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > limit("MAX_UPLOAD_BYTES"):
        raise ValidationError(
            _("The file is too big (%(size)s). The maximum is %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(limit("MAX_UPLOAD_BYTES"))},
            code="too_big",
        )
    mime_type = sniff(file)
    if mime_type not in ACCEPTED_MIME_TYPES:
        raise ValidationError(
            _(
                "This file is not an audio or video format we accept (MP3, M4A/AAC, WAV, OGG, FLAC, MP4, "
                "MOV, WebM, MKV), whatever its name says."
            ),
            code="wrong_type",
        )
    with local_path(file) as path:
        try:
            info = ffmpeg.probe(path)
        except ffmpeg.FFmpegError as error:
            raise ValidationError(
                _("The file could not be read as audio or video: it is damaged or incomplete (%(detail)s).")
                % {"detail": str(error).replace(str(path), os.path.basename(file.name))[:200]},
                code="unreadable",
            ) from error
        streams = info.get("streams", [])
        audio = [s for s in streams if s.get("codec_type") == "audio"]
        video = [
            s
            for s in streams
            if s.get("codec_type") == "video" and not s.get("disposition", {}).get("attached_pic")
        ]
        media_type = "video" if video else "audio" if audio else None
        if media_type is None:
            raise ValidationError(_("The file contains neither sound nor pictures."), code="no_streams")
        if expected_type == "video" and media_type == "audio":
            raise ValidationError(
                _("This file has sound only, no pictures: upload it as audio, not as video."),
                code="audio_as_video",
            )
        if expected_type == "audio" and media_type == "video":
            raise ValidationError(
                _("This file contains video: upload it as a video, not as audio."), code="video_as_audio"
            )
        duration = float(info.get("format", {}).get("duration") or 0)
        if duration <= 0:
            raise ValidationError(
                _("The file has no duration: it is damaged or incomplete."), code="no_duration"
            )
        if duration > limit("MAX_DURATION"):
            raise ValidationError(
                _("The file is too long (%(minutes)d minutes). The maximum is %(max)d minutes.")
                % {"minutes": duration // 60, "max": limit("MAX_DURATION") // 60},
                code="too_long",
            )
        width = height = None
        if video:
            width, height = int(video[0].get("width") or 0), int(video[0].get("height") or 0)
            if not width or not height:
                raise ValidationError(_("The video has no picture size: it is damaged."), code="no_size")
            if max(width, height) > limit("MAX_WIDTH") or min(width, height) > limit("MAX_HEIGHT"):
                raise ValidationError(
                    _("The video is %(width)d×%(height)d pixels; the maximum is %(max_w)d×%(max_h)d.")
                    % {
                        "width": width,
                        "height": height,
                        "max_w": limit("MAX_WIDTH"),
                        "max_h": limit("MAX_HEIGHT"),
                    },
                    code="too_large",
                )
        if ffmpeg.ends_early(path, duration):
            raise ValidationError(
                _(
                    "The file is truncated: it stops before the end its header announces. "
                    "Upload the complete file."
                ),
                code="truncated",
            )
    return MediaInfo(media_type, mime_type, size, duration, width, height)
