"""Files in and out: media models, upload validation, storage and processing (the media issue fills it)."""
