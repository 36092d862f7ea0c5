"""Files are read for search in the background (django-tasks): an upload's request only queues the
reading of its PDF, and the document is found by its text once the task has run; the plans' generated
PDFs (report, summary, guide) are read the same way, found on their page (#page=N), and only while the
plan is public."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django_tasks import task_backends
from wagtail.documents import get_document_model
from wagtail.models import PageViewRestriction

from cms.cache import content_version
from plans.models import PlanDeliverables
from search import tasks
from search.models import Passage
from tests.search.test_search_page import PDF, api

pytestmark = pytest.mark.django_db


def queued():
    """The search tasks queued on the dummy backend: (name, args)."""
    results = task_backends["default"].results
    return [
        (result.task.name, result.args) for result in results if result.task.module_path.startswith("search.")
    ]


def titles(client, query, lang="all"):
    return [hit["title"] for hit in api(client, q=query, lang=lang)["results"]]


def test_an_upload_only_queues_the_reading_and_the_task_makes_its_text_searchable(
    client, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        document = get_document_model().objects.create(
            title="Quarterly ledger", file=ContentFile(PDF, name="ledger.pdf")
        )
    assert queued() == [("index_document_text", [document.pk])]
    assert not Passage.objects.filter(document=document).exists()  # pdftotext did not run in the request
    assert "Quarterly ledger" not in titles(client, "zanzibar")

    version = content_version()
    assert tasks.index_document_text.call(document.pk) == 2  # what the worker runs: one passage a page
    assert content_version() != version, "a search kept in the page cache would not see the new text"
    hits = [
        hit for hit in api(client, q="zanzibar", lang="all")["results"] if hit["title"] == "Quarterly ledger"
    ]
    assert [hit["url"] for hit in hits] == [document.url + "#page=2"]

    document.title = "Yearly ledger"  # a save that keeps the file: renamed at once, nothing read again
    with django_capture_on_commit_callbacks(execute=True):
        document.save()
    assert len(queued()) == 1
    assert "Yearly ledger" in titles(client, "zanzibar")


def test_deliverables_text_is_found_on_its_page_only_while_the_plan_is_public(
    client, demo, django_capture_on_commit_callbacks
):
    plan = demo.plans_fa[0]
    with django_capture_on_commit_callbacks(execute=True):  # the task runs at once in tests
        record, _created = PlanDeliverables.objects.get_or_create(page=plan)
        record.report_pdf.save("report.pdf", ContentFile(PDF), save=False)
        record.status = PlanDeliverables.Status.DONE
        record.save()
    version = content_version()
    assert tasks.index_deliverables_text.call(record.pk) > 0
    assert content_version() != version, "a search kept in the page cache would not see the new text"
    body = api(client, q="zanzibar", lang="fa")
    hits = [hit for hit in body["results"] if hit["kind"] == "deliverable"]
    assert len(hits) == 1, body
    assert hits[0]["url"] == default_storage.url(record.report_pdf.name) + "#page=2"
    assert hits[0]["title"].startswith(plan.title) and hits[0]["plan"] == plan.plan_number
    assert "<mark>zanzibar</mark>" in hits[0]["snippet_html"]

    PageViewRestriction.objects.create(page=plan, restriction_type=PageViewRestriction.LOGIN)
    body = api(client, q="zanzibar", lang="fa")
    assert body["count"] == 0 and all(not values for values in body["facets"].values())

    record.delete()  # withdrawn: its passages go with it
    assert not Passage.objects.filter(page=plan, kind=Passage.Kind.DELIVERABLE).exists()
