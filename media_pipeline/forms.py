"""Admin forms: the media upload validated by content, and subtitle files validated as WebVTT."""

from django import forms
from django.core.files.base import ContentFile
from wagtailmedia.forms import BaseMediaForm

from media_pipeline import subtitles
from media_pipeline.validation import inspect_upload


class MediaForm(BaseMediaForm):
    """wagtailmedia's form; the file is checked by its content (magic bytes and ffprobe)."""

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file and "file" in self.changed_data:
            info = inspect_upload(file, expected_type=self.instance.type)
            self.instance.file_size, self.instance.mime_type = info.size, info.mime_type
            self.instance.duration = info.duration
            self.instance.width, self.instance.height = info.width, info.height
        return file


class SubtitleForm(forms.ModelForm):
    """A subtitle track; the file must be valid WebVTT (Persian cues are made right-to-left safe)."""

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload and "file" in self.changed_data and cleaned.get("language"):
            text = subtitles.clean_webvtt(upload.read(), cleaned["language"])
            cleaned["file"] = ContentFile(text.encode("utf-8"), name=f"{cleaned['language']}.vtt")
        return cleaned
