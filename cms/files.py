"""Serving a stored file the way players and podcast apps expect: byte ranges (206), `If-Range`,
`If-Modified-Since` and the project's content types.

Django's `django.views.static.serve` answers every request with the whole file, so an audio player
cannot seek, chapter buttons restart from zero and Apple Podcasts refuses the feed. Only single ranges
are answered with 206; a multi-range or malformed `Range` gets the whole file (RFC 9110 §14.2 lets a
server ignore it), an unsatisfiable one 416.
"""

import mimetypes
import re
from pathlib import Path

from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.utils._os import safe_join
from django.utils.http import http_date
from django.views.static import was_modified_since

from media_pipeline.types import MEDIA_TYPES

SINGLE_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class FileSlice:
    """A file object that reads at most `length` bytes from `start` (FileResponse streams it)."""

    def __init__(self, file, start, length):
        file.seek(start)
        self.file, self.remaining = file, length

    def read(self, size=-1):
        if self.remaining <= 0:
            return b""
        size = self.remaining if size < 0 else min(size, self.remaining)
        data = self.file.read(size)
        self.remaining -= len(data)
        return data

    def close(self):
        self.file.close()


def requested_range(header, size):
    """(start, end) inclusive for a satisfiable single range, None to send the whole file, or
    "unsatisfiable"."""
    match = SINGLE_RANGE.match(header.replace(" ", ""))
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":  # the last N bytes
        length = int(last)
        return (max(size - length, 0), size - 1) if length and size else "unsatisfiable"
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size:
        return "unsatisfiable"
    return None if end < start else (start, end)


def file_response(request, path, document_root):
    """The file at `path` below `document_root` (already checked by the caller), honouring Range."""
    fullpath = Path(safe_join(document_root, path))
    if not fullpath.is_file():
        raise Http404
    return ranged_response(request, fullpath)


def sendfile(request, filename, mimetype=None, **kwargs):
    """Wagtail's SENDFILE_BACKEND for documents served from local storage: the same ranges."""
    return ranged_response(request, Path(filename), mimetype)


def ranged_response(request, fullpath, content_type=None):
    stat = fullpath.stat()
    last_modified = http_date(stat.st_mtime)
    if not was_modified_since(request.META.get("HTTP_IF_MODIFIED_SINCE"), stat.st_mtime):
        return HttpResponseNotModified()
    content_type = (
        content_type
        or MEDIA_TYPES.get(fullpath.suffix.lower())  # whatever a later mimetypes.init() reset
        or mimetypes.guess_type(fullpath.name)[0]
        or "application/octet-stream"
    )
    byte_range = None
    if_range = request.META.get("HTTP_IF_RANGE")
    if "HTTP_RANGE" in request.META and (if_range is None or if_range == last_modified):
        byte_range = requested_range(request.META["HTTP_RANGE"], stat.st_size)
    if byte_range == "unsatisfiable":
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{stat.st_size}"
    elif byte_range:
        start, end = byte_range
        length = end - start + 1
        response = FileResponse(
            FileSlice(fullpath.open("rb"), start, length), content_type=content_type, status=206
        )
        response["Content-Length"] = str(length)
        response["Content-Range"] = f"bytes {start}-{end}/{stat.st_size}"
    else:
        response = FileResponse(fullpath.open("rb"), content_type=content_type)
    response["Accept-Ranges"] = "bytes"
    response["Last-Modified"] = last_modified
    return response
