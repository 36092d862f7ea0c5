"""Files in and out: audio/video models on wagtailmedia, upload validation by content, public and private
storage (local or S3), hardened ffmpeg processing in background tasks, subtitles and image renditions."""
