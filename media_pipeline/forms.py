"""Admin forms: the media and image uploads stored during validation (a storage that cannot take the file
is a form error, not a 500), the media upload validated by content, documents checked against their
extension by content, and subtitle files validated as WebVTT."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm
from wagtailmedia.forms import BaseMediaForm

from media_pipeline import subtitles
from media_pipeline.storage import storage_errors
from media_pipeline.validation import document_mismatch, inspect_upload


class MediaForm(BaseMediaForm):
    """wagtailmedia's form; the file is checked by its content (magic bytes and ffprobe).

    The upload is streamed to storage during validation: if the storage cannot take it (S3 down, disk
    full) the form shows why and no media item is created, so submitting again loses nothing.
    """

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file and "file" in self.changed_data:
            info = inspect_upload(file, expected_type=self.instance.type)
            self.instance.file_size, self.instance.mime_type = info.size, info.mime_type
            self.instance.duration = info.duration
            self.instance.width, self.instance.height = info.width, info.height
        return file

    def clean(self):
        cleaned = super().clean()
        file = cleaned.get("file")
        if file and "file" in self.changed_data and not self.errors:
            field = self.instance.file.field
            try:
                file.seek(0)
                cleaned["file"] = field.storage.save(
                    field.generate_filename(self.instance, file.name), file, max_length=field.max_length
                )
            except storage_errors() as error:
                raise storage_error(error) from error
        return cleaned

    def save(self, commit=True):
        try:
            return super().save(commit=commit)
        except Exception:
            stored = self.cleaned_data.get("file")
            if isinstance(stored, str):  # do not leave the stored upload behind
                self.instance.file.storage.delete(stored)
            raise


def storage_error(error):
    """The form error for a storage failure: in words when the storage did not answer, else its name."""
    from botocore.exceptions import ConnectionError, HTTPClientError  # timeouts, refused, cut connections

    if isinstance(error, ConnectionError | HTTPClientError):
        message = _("The file storage did not answer in time. Nothing was saved; please try again shortly.")
    else:
        message = _("The file could not be stored (%(reason)s). Nothing was saved; please try again.") % {
            "reason": type(error).__name__
        }
    return ValidationError(message, code="storage")


class ImageForm(BaseImageForm):
    """Wagtail's image form (WAGTAILIMAGES_IMAGE_FORM_BASE); the upload is stored while the form is
    validated, so when S3 does not answer (timeouts: `storage.TimedS3Storage`) the editor
    gets the form back with the reason instead of a 500, and nothing is created."""

    def _post_clean(self):
        super()._post_clean()  # the instance now holds the uploaded file
        if "file" not in self.changed_data or self.errors:
            return
        upload, field = self.instance.file.file, self.instance.file
        try:
            field.save(upload.name, upload, save=False)
        except storage_errors() as error:
            self.add_error("file", storage_error(error))
            return
        self.instance.file.file = upload  # metadata (size, hash) is read from the upload, not from S3


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form (WAGTAILDOCS_DOCUMENT_FORM_BASE); an HTML page named .pdf is refused."""

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file and "file" in self.changed_data and document_mismatch(file, file.name):
            raise ValidationError(
                _(
                    "The content of this file is not what its name (“%(name)s”) says. Upload the document "
                    "itself in one of the accepted formats."
                )
                % {"name": file.name},
                code="wrong_type",
            )
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
