"""Passages follow publication, document uploads and the plans' generated deliverables. Files are read
in the background (search.tasks), never in the request that stored them."""

import logging

from django.db.models.signals import post_delete, post_save
from wagtail.documents import get_document_model
from wagtail.signals import page_published

log = logging.getLogger(__name__)


def on_page_published(sender, instance, **kwargs):
    from search.indexing import index_page

    index_page(instance)


def on_document_saved(sender, instance, raw=False, **kwargs):
    """A new file is read by a task; a save that kept the file only renames its passages."""
    if raw:
        return
    from search import indexing, tasks

    try:
        if indexing.document_is_current(instance):
            indexing.retitle_document(instance)
        else:
            tasks.enqueue(tasks.index_document_text, instance.pk)
    except Exception:  # indexing must never stop an upload
        log.exception("document %s not indexed for search", instance.pk)


def on_deliverables_saved(sender, instance, raw=False, **kwargs):
    """A finished build (or one withdrawn) of a plan's deliverables: read its PDFs in the background."""
    if raw or instance.status != "done":
        return
    from search import tasks

    tasks.enqueue(tasks.index_deliverables_text, instance.pk)


def on_deliverables_deleted(sender, instance, **kwargs):
    """Deliverables withdrawn (the plan is no longer public): their passages go at once."""
    from search.models import Passage

    Passage.objects.filter(page_id=instance.page_id, kind=Passage.Kind.DELIVERABLE).delete()


def register_signal_handlers():
    page_published.connect(on_page_published, dispatch_uid="revayat_search_page_published")
    post_save.connect(on_document_saved, sender=get_document_model(), dispatch_uid="revayat_search_document")
    deliverables = "plans.PlanDeliverables"  # a lazy sender: search never imports the plans app
    post_save.connect(on_deliverables_saved, sender=deliverables, dispatch_uid="revayat_search_deliverables")
    post_delete.connect(on_deliverables_deleted, sender=deliverables, dispatch_uid="revayat_search_withdrawn")
