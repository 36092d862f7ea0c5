"""Where files go: originals in the private default storage, everything the public sees in "public"."""

from django.core.files.storage import default_storage, storages


def public_storage():
    """The storage of renditions, transcoded outputs, posters and subtitles (public-read)."""
    if "public" in storages.backends:
        return storages["public"]
    return default_storage  # a project without a "public" alias keeps one storage


def delete_quietly(storage, name):
    """Delete `name` from `storage`; a missing object is not an error."""
    if name:
        storage.delete(name)
