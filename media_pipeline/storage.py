"""Where files go: originals in the private default storage, everything the public sees in "public".

`public_storage()` returns a lazy proxy (like Django's `default_storage`), so model fields that use it
follow the STORAGES setting when it changes (tests switch to S3 this way).

On S3 "public" is `GatedS3Storage`: the files are private objects in the private bucket and their URL
is the media view's (`cms.views.serve_media`), which asks `cms.visibility` and then redirects to a
short-lived presigned URL. A file is thus never readable while its object is not public, and needs no
moving when the object's privacy changes.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.core.files.storage import default_storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.encoding import filepath_to_uri
from django.utils.functional import LazyObject, empty


class PublicStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["public"] if "public" in storages.backends else default_storage


PUBLIC_STORAGE = PublicStorage()


def public_storage():
    """The storage of renditions, transcoded outputs, posters and subtitles (public-read)."""
    return PUBLIC_STORAGE


@receiver(setting_changed, dispatch_uid="media_pipeline_public_storage")
def reset_public_storage(setting, **kwargs):
    if setting == "STORAGES":
        PUBLIC_STORAGE._wrapped = empty


def _s3_storage_class():
    from storages.backends.s3 import S3Storage

    return S3Storage


try:
    _S3Storage = _s3_storage_class()
except ImportError:  # pragma: no cover - django-storages is a dependency
    _S3Storage = object


class TimedS3Storage(_S3Storage):
    """django-storages' S3Storage whose client gives up in seconds: OPTIONS "timeouts" = {"connect",
    "read" (seconds), "max_attempts"}. botocore's defaults (60 s, 60 s, 5 tries) kept an editor's upload
    hanging about three minutes when S3 did not answer. Plain numbers, not a botocore Config in
    "client_config": Wagtail passes a storage's options to background tasks as JSON (deleting an image)."""

    def get_default_settings(self):
        return {**super().get_default_settings(), "timeouts": None}

    def __init__(self, **options):
        super().__init__(**options)
        if self.timeouts:
            from botocore.config import Config

            self.client_config = self.client_config.merge(
                Config(
                    connect_timeout=self.timeouts["connect"],
                    read_timeout=self.timeouts["read"],
                    retries={"mode": "standard", "max_attempts": self.timeouts["max_attempts"]},
                )
            )


class GatedS3Storage(TimedS3Storage):
    """S3 storage of the files the public may see, kept private: `url()` is the media view's address
    (it checks visibility, then redirects to `presigned_url()`)."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name))

    def presigned_url(self, name, parameters=None):
        return super().url(name, parameters=parameters)


def storage_errors():
    """The exceptions a storage backend raises when it cannot store or reach a file."""
    errors = [OSError]
    try:
        from boto3.exceptions import Boto3Error
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:
        return tuple(errors)
    return (*errors, BotoCoreError, ClientError, Boto3Error)
