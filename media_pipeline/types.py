"""Content types of what the pipeline writes."""

# Types the pipeline's outputs need whatever /etc/mime.types says (Debian's maps .ts to Qt Linguist), so
# that the local media view, S3 uploads and the static server agree.
MEDIA_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".ts": "video/mp2t",
    ".m4s": "video/iso.segment",
    ".m4a": "audio/mp4",
    ".vtt": "text/vtt",
}
