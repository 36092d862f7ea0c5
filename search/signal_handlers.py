"""Passages follow publication and document uploads."""

import logging

from django.db.models.signals import post_save
from wagtail.documents import get_document_model
from wagtail.signals import page_published

log = logging.getLogger(__name__)


def on_page_published(sender, instance, **kwargs):
    from search.indexing import index_page

    index_page(instance)


def on_document_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from search.indexing import index_document

    try:
        index_document(instance)
    except Exception:  # indexing must never stop an upload
        log.exception("document %s not indexed for search", instance.pk)


def register_signal_handlers():
    page_published.connect(on_page_published, dispatch_uid="revayat_search_page_published")
    post_save.connect(on_document_saved, sender=get_document_model(), dispatch_uid="revayat_search_document")
