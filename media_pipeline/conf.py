"""Limits of the media pipeline, from `settings.MEDIA_PIPELINE` over embedded defaults."""

from django.conf import settings

DEFAULTS = {
    "MAX_UPLOAD_BYTES": 2 * 1024**3,  # an upload larger than this is refused
    "MAX_DURATION": 3 * 3600,  # seconds of audio or video
    "MAX_WIDTH": 3840,
    "MAX_HEIGHT": 2160,
    "FFMPEG_TIMEOUT": 2 * 3600,  # wall-clock seconds per ffmpeg run
    "FFMPEG_CPU_SECONDS": 4 * 3600,  # RLIMIT_CPU per ffmpeg run
    "FFMPEG_MAX_OUTPUT_BYTES": 4 * 1024**3,  # RLIMIT_FSIZE: no output file may grow past this
    "FFMPEG_THREADS": 2,
    "PROBE_TIMEOUT": 30,
    "MAX_SUBTITLE_BYTES": 2 * 1024**2,
    "LOUDNESS_LUFS": -16,
}


def limit(name):
    """The configured value of one limit."""
    return {**DEFAULTS, **getattr(settings, "MEDIA_PIPELINE", {})}[name]
