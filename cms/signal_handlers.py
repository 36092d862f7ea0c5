"""Signal receivers of the foundations: cached fragments follow snippet, image and page changes."""

from django.db.models.signals import post_delete, post_save
from wagtail.images.models import AbstractImage
from wagtail.signals import page_published, page_unpublished
from wagtail.snippets.models import get_snippet_models

from cms.cache import bump_content_version


def on_shared_object_changed(sender, **kwargs):
    if sender in get_snippet_models() or issubclass(sender, AbstractImage):
        bump_content_version()


def register_signal_handlers():
    page_published.connect(bump_content_version, dispatch_uid="revayat_cache_page_published")
    page_unpublished.connect(bump_content_version, dispatch_uid="revayat_cache_page_unpublished")
    post_save.connect(on_shared_object_changed, dispatch_uid="revayat_cache_shared_saved")
    post_delete.connect(on_shared_object_changed, dispatch_uid="revayat_cache_shared_deleted")
