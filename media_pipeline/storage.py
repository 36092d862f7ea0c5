"""Where files go: originals in the private default storage, everything the public sees in "public".

`public_storage()` returns a lazy proxy (like Django's `default_storage`), so model fields that use it
follow the STORAGES setting when it changes (tests switch to S3 this way).
"""

from django.core.files.storage import default_storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
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


def storage_errors():
    """The exceptions a storage backend raises when it cannot store or reach a file."""
    errors = [OSError]
    try:
        from boto3.exceptions import Boto3Error
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:
        return tuple(errors)
    return (*errors, BotoCoreError, ClientError, Boto3Error)
