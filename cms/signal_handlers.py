"""Signal receivers of the foundations: cached fragments follow snippet, image and page changes."""

from django.db.models.signals import post_delete, post_save
from modelcluster.fields import ParentalKey
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import BaseViewRestriction, Collection, Locale, Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail.snippets.models import get_snippet_models

from cms.cache import bump_content_version, forget

# Saving these changes what other pages show (names, pictures, the organization's name), who may see a
# page or a file (a restriction, or a collection moved under a restricted one) or where pages are found
# (a site's host or root, a language).
SHARED_MODELS = (
    AbstractImage,
    AbstractDocument,
    BaseViewRestriction,
    Collection,
    Site,
    Locale,
    BaseSiteSetting,
)


# Saving these changes what the public may see: the request's memo (the door's paths) is dropped at once.
VISIBILITY_MODELS = (Page, BaseViewRestriction, Collection)


def is_snippet(model):
    """A snippet, or a row inside one (an inline child with a ParentalKey to it, e.g. a KPI's values)."""
    snippets = get_snippet_models()
    return model in snippets or any(
        isinstance(field, ParentalKey) and field.related_model in snippets for field in model._meta.fields
    )


def on_object_saved(sender, created=False, update_fields=None, **kwargs):
    if issubclass(sender, VISIBILITY_MODELS):
        forget()
    if issubclass(sender, SHARED_MODELS) or is_snippet(sender):
        bump_content_version()
    elif issubclass(sender, Page) and (created or update_fields is None or "live" in update_fields):
        # a new page, or a full save that may change `live` outside publish/unpublish (cached responses
        # would keep the old answer); revisions and autosaves save named fields and keep the caches
        bump_content_version()


def on_object_deleted(sender, **kwargs):
    if issubclass(sender, VISIBILITY_MODELS):
        forget()
    if issubclass(sender, (*SHARED_MODELS, Page)) or is_snippet(sender):
        bump_content_version()


def on_page_changed(**kwargs):
    forget()
    bump_content_version()


def register_signal_handlers():
    page_published.connect(on_page_changed, dispatch_uid="revayat_cache_page_published")
    page_unpublished.connect(on_page_changed, dispatch_uid="revayat_cache_page_unpublished")
    post_page_move.connect(on_page_changed, dispatch_uid="revayat_cache_page_moved")
    post_save.connect(on_object_saved, dispatch_uid="revayat_cache_saved")
    post_delete.connect(on_object_deleted, dispatch_uid="revayat_cache_deleted")
