"""The processing task: one run per upload (and per retry), on the django-tasks backend.

The original is copied from storage into a private working folder, processed by ffmpeg, and the outputs
are uploaded to the public storage. Outputs of an earlier run are removed only once the new ones are
stored, so a failed retry never loses working media. Status, progress and the failure reason are kept
on the media item for the admin.
"""

import logging
import shutil
import tempfile
import uuid
from pathlib import Path

import mutagen
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from wagtail.images import get_image_model
from wagtail.images.models import SourceImageIOError

from media_pipeline import ffmpeg, processing
from media_pipeline.models import MediaItem, MediaOutput, Status

logger = logging.getLogger(__name__)


class Progress:
    """Writes the progress percentage to the media row when it moves by at least one point."""

    def __init__(self, media_id, start=0, end=100):
        self.media_id, self.start, self.end, self.last = media_id, start, end, -1

    def __call__(self, fraction):
        percent = int(self.start + (self.end - self.start) * fraction)
        if percent != self.last:
            self.last = percent
            MediaItem.objects.filter(pk=self.media_id).update(progress=percent)


def enqueue_processing(media):
    """Queue the processing task for a media item once the current transaction commits."""
    pk = media.pk
    transaction.on_commit(lambda: process_media.enqueue(pk))


@task()
def process_media(media_id):
    """Process one media item; returns its final status."""
    media = MediaItem.objects.filter(pk=media_id).first()
    if media is None or not media.file:
        return "missing"
    if media.status == Status.READY and media.processed_file == media.file.name:
        return Status.READY  # already done (the task may be queued twice)
    MediaItem.objects.filter(pk=media_id).update(status=Status.PROCESSING, progress=0, failure_reason="")
    folder = Path(tempfile.mkdtemp(prefix="revayat-media-"))
    new_outputs = []
    try:
        source = folder / ("source" + Path(media.file.name).suffix.lower())
        with media.file.open("rb") as original, source.open("wb") as copy:
            shutil.copyfileobj(original, copy, 1024 * 1024)
        info = ffmpeg.probe(source)
        fields = describe(media, source, info)
        work = folder / "out"
        work.mkdir()
        progress = Progress(media_id, 0, 90)
        if media.type == "audio":
            results = processing.audio_outputs(source, work, fields["duration"], progress)
        else:
            video = next(s for s in info["streams"] if s.get("codec_type") == "video")
            has_audio = any(s.get("codec_type") == "audio" for s in info["streams"])
            results = processing.video_outputs(
                source,
                work,
                fields["duration"],
                fields["width"],
                fields["height"],
                frame_rate(video),
                has_audio,
                progress,
            )
        if media.type == "audio":
            fields["loudness_lufs"] = ffmpeg.loudness(dict(results)[MediaOutput.Kind.MP3])
        run = uuid.uuid4().hex[:8]
        for kind, path in results:
            new_outputs.append(store_output(media, kind, path, run))
        Progress(media_id, 90, 100)(1.0)
        for old in media.outputs.exclude(pk__in=[o.pk for o in new_outputs]):
            old.delete()
        MediaItem.objects.filter(pk=media_id).update(
            status=Status.READY,
            progress=100,
            processed_at=timezone.now(),
            processed_file=media.file.name,
            **fields,
        )
        return Status.READY
    except Exception as error:  # the reason is shown in the admin, with a retry button
        logger.warning("Processing media %s failed", media_id, exc_info=True)
        for output in new_outputs:
            output.delete()
        reason = str(error) or type(error).__name__
        MediaItem.objects.filter(pk=media_id).update(status=Status.FAILED, failure_reason=reason[:2000])
        return Status.FAILED
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def describe(media, source, info):
    """Duration, dimensions and tags of the original (mutagen reads audio tags)."""
    fields = {"duration": round(float(info.get("format", {}).get("duration") or 0), 3)}
    video = [
        s
        for s in info.get("streams", [])
        if s.get("codec_type") == "video" and not s.get("disposition", {}).get("attached_pic")
    ]
    if media.type == "video" and video:
        fields["width"], fields["height"] = int(video[0]["width"]), int(video[0]["height"])
    if media.type == "audio":
        tags = mutagen.File(source, easy=True)
        if tags is not None:
            if tags.info and getattr(tags.info, "length", 0):
                fields["duration"] = round(tags.info.length, 3)
            fields["tag_artist"] = ", ".join((tags.tags or {}).get("artist", []))[:255] if tags.tags else ""
    return fields


def frame_rate(stream):
    numerator, _, denominator = stream.get("avg_frame_rate", "25/1").partition("/")
    try:
        rate = float(numerator) / float(denominator or 1)
    except (ValueError, ZeroDivisionError):
        rate = 0
    return rate if 1 <= rate <= 120 else 25


def store_output(media, kind, path, run):
    """Upload one local result to the public storage as a MediaOutput row."""
    output = MediaOutput(
        media=media, kind=kind, size=path.stat().st_size, mime_type=MediaOutput.guess_type(path.name)
    )
    with path.open("rb") as handle:
        output.file.save(f"{run}/{path.name}", File(handle), save=True)
    if Path(output.file.name).name != path.name:  # HLS playlists name their segments exactly
        raise RuntimeError(f"The storage renamed {path.name} to {output.file.name}")
    return output


def enqueue_renditions(image):
    """Queue the renditions of a new or changed image once the current transaction commits."""
    if settings.REVAYAT_RENDITIONS_AFTER_UPLOAD:
        pk = image.pk
        transaction.on_commit(lambda: make_renditions.enqueue(pk))


@task()
def make_renditions(image_id):
    """Make the renditions pages and the API show (`REVAYAT_RENDITIONS_AFTER_UPLOAD`) now, so that no
    reader's request has to (a large original takes seconds). Existing ones are kept; returns how many
    the image has."""
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return 0
    try:
        return len(image.get_renditions(*settings.REVAYAT_RENDITIONS_AFTER_UPLOAD))
    except SourceImageIOError:
        logger.warning("The original file of image %s is missing: %s", image.pk, image.file.name)
        return 0
