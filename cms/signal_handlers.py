"""Signal receivers of the foundations: cached fragments follow snippet, image and page changes."""

from django.db.models.signals import post_delete, post_save
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import BaseViewRestriction, Collection, Page
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail.snippets.models import get_snippet_models

from cms.cache import bump_content_version

# Saving these changes what other pages show (names, pictures) or who may see a page or a file (a
# restriction, or a collection moved under a restricted one).
SHARED_MODELS = (AbstractImage, AbstractDocument, BaseViewRestriction, Collection)


def on_object_saved(sender, created=False, update_fields=None, **kwargs):
    if issubclass(sender, SHARED_MODELS) or sender in get_snippet_models():
        bump_content_version()
    elif issubclass(sender, Page) and (created or update_fields is None or "live" in update_fields):
        # a new page, or a full save that may change `live` outside publish/unpublish (the door caches
        # the unpublished subtrees); revisions and autosaves save named fields and keep the caches
        bump_content_version()


def on_object_deleted(sender, **kwargs):
    if issubclass(sender, (*SHARED_MODELS, Page)) or sender in get_snippet_models():
        bump_content_version()


def register_signal_handlers():
    page_published.connect(bump_content_version, dispatch_uid="revayat_cache_page_published")
    page_unpublished.connect(bump_content_version, dispatch_uid="revayat_cache_page_unpublished")
    post_page_move.connect(bump_content_version, dispatch_uid="revayat_cache_page_moved")
    post_save.connect(on_object_saved, dispatch_uid="revayat_cache_saved")
    post_delete.connect(on_object_deleted, dispatch_uid="revayat_cache_deleted")
