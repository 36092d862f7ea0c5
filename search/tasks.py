"""Background reading of files for search (django-tasks, like the media pipeline): pdftotext on a long
PDF takes seconds, so an upload's request only queues it; the document is searchable by its text once the
task has run. A task that wrote passages retires the cached responses (the content version), or a
search answered from the page cache meanwhile would go on missing the new text."""

from django.apps import apps
from django.db import transaction
from django_tasks import task
from wagtail.documents import get_document_model

from cms.cache import bump_content_version
from search import indexing


@task()
def index_document_text(document_id):
    """Read a document's file into its passages (one per PDF page); returns the number of passages."""
    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None or not document.file:
        return 0
    if not indexing.document_is_current(document):  # queued twice for one file: read once
        indexing.index_document(document)
        bump_content_version()
    return indexing.Passage.objects.filter(document_id=document_id).count()


@task()
def index_deliverables_text(record_id):
    """Read a plan's generated PDFs into passages; returns the number of passages."""
    record = apps.get_model("plans", "PlanDeliverables").objects.filter(pk=record_id).first()
    if record is None:
        return 0
    count = indexing.index_deliverables(record)
    bump_content_version()
    return count


def enqueue(task_, pk):
    """Queue `task_` for the object `pk` once the current transaction commits (the files are stored)."""
    transaction.on_commit(lambda: task_.enqueue(pk))
