"""Sign-off in one place (issue 14, item 4): the approver uploads the written approval in the dialog,
sees what is approved, approves the plan's pages together (each recorded on its own page and revision),
gets a confirmation; the history's written-approval link is a link, only for those who may open it.

Every request is made as the role (reviewer, approver, editor), never as a superuser."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Page, PageLogEntry, TaskState

from cms.workflow.documents import restricted_collection
from cms.workflow.models import WrittenApprovalTaskState, bundle_candidates
from plans.models import ExecutiveSummaryPage
from tests.workflow.conftest import start_review, to_sign_off, workflow_action_url

pytestmark = pytest.mark.gate  # approvals are given through the workflow, never forced

XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest", "HTTP_ACCEPT_LANGUAGE": "fa"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def edited(page, title):
    page = page.specific_class.objects.get(pk=page.pk)
    page.title = title
    page.save_revision()
    return page


def upload(name="نامهٔ تأیید.pdf", body=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, body, content_type=content_type)


def test_the_dialog_shows_what_is_approved_and_takes_the_upload(login, users, demo):
    page = edited(demo.plans_fa[0], "طرح ۱۲ (نسخهٔ تازه)")
    previous = page.live_revision
    state = to_sign_off(page, users["editor"], users["reviewer"])
    client = login("approver")
    url = workflow_action_url(page, "approve", state)

    dialog = client.get(url, **XHR)
    assert dialog.status_code == 200
    html = dialog.json()["html"]
    assert 'enctype="multipart/form-data"' in html and 'name="approval_file"' in html
    latest = page.get_latest_revision()
    assert f'data-revayat-revision="{latest.pk}"' in html
    compare = reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, previous.pk, latest.pk])
    assert compare in html  # the diff against the last approved (live) version
    assert "PDF" in html and "EPUB" in html  # the deliverables the publication builds

    documents = get_document_model().objects.count()
    response = client.post(url, {"approval_file": upload(), "comment": "نامهٔ ۱۲/۳"}, **XHR)
    assert response.status_code == 200 and response.json()["step"] == "success", response.content
    evidence = WrittenApprovalTaskState.objects.get(pk=state.pk)
    assert evidence.status == TaskState.STATUS_APPROVED
    document = evidence.approval_document
    assert get_document_model().objects.count() == documents + 1
    assert document.collection == restricted_collection() and document.uploaded_by_user == users["approver"]
    page.refresh_from_db()
    assert page.live and page.live_revision == evidence.revision
    assert any("تأیید شد" in message for message in messages_of(response)), messages_of(response)


def test_a_bad_upload_is_refused_in_the_dialog_with_its_one_reason(login, users, demo):
    page = edited(demo.plans_fa[1], "طرح ۱۴ (نسخهٔ تازه)")
    state = to_sign_off(page, users["editor"], users["reviewer"])
    client = login("approver")
    url = workflow_action_url(page, "approve", state)
    documents = get_document_model().objects.count()
    fake = upload("letter.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")

    response = client.post(url, {"approval_file": fake, "comment": "x"}, **XHR)
    html = response.json()["html"]
    assert "letter.pdf" in html  # the content does not match the name
    assert "approval_document" in html and response.json()["step"] == "action"  # the form again, not done
    assert TaskState.objects.get(pk=state.pk).status == TaskState.STATUS_IN_PROGRESS
    assert get_document_model().objects.count() == documents

    response = client.post(url, {"comment": "بدون سند"}, **XHR)  # neither upload nor choice
    assert "تأییدیهٔ کتبی" in response.json()["html"]
    assert TaskState.objects.get(pk=state.pk).status == TaskState.STATUS_IN_PROGRESS


def test_the_plan_bundle_is_approved_in_one_action_each_on_its_own_revision(login, users, demo):
    plan = edited(demo.plans_fa[2], "طرح ۱۶ (بسته)")
    summary = edited(ExecutiveSummaryPage.objects.child_of(plan).first(), "چکیدهٔ تازه")
    translation = edited(
        Page.objects.get(translation_key=plan.translation_key, locale=demo.locale_en), "Plan 16"
    )
    other_plan = edited(demo.plans_fa[3], "طرح ۱۸ (جدا)")
    states = {p.pk: to_sign_off(p, users["editor"], users["reviewer"]) for p in (plan, summary, translation)}
    other_state = to_sign_off(other_plan, users["editor"], users["reviewer"])
    client = login("approver")
    url = workflow_action_url(plan, "approve", states[plan.pk])

    candidates = [p.pk for _state, p in bundle_candidates(plan, users["approver"])]
    assert set(candidates) == {summary.pk, translation.pk}  # the other plan is not part of it
    html = client.get(url, **XHR).json()["html"]
    assert f'value="{summary.pk}"' in html and f'value="{translation.pk}"' in html

    # A page outside the plan cannot be slipped in: nothing is approved.
    response = client.post(url, {"approval_file": upload(), "comment": "x", "bundle": [other_plan.pk]}, **XHR)
    assert response.json()["step"] == "action"
    assert TaskState.objects.get(pk=other_state.pk).status == TaskState.STATUS_IN_PROGRESS
    assert TaskState.objects.get(pk=states[plan.pk].pk).status == TaskState.STATUS_IN_PROGRESS

    response = client.post(
        url,
        {"approval_file": upload(), "comment": "نامهٔ ۱۶", "bundle": [summary.pk, translation.pk]},
        **XHR,
    )
    assert response.json()["step"] == "success", response.content
    document = WrittenApprovalTaskState.objects.get(pk=states[plan.pk].pk).approval_document
    for page in (plan, summary, translation):
        evidence = WrittenApprovalTaskState.objects.get(pk=states[page.pk].pk)
        assert evidence.status == TaskState.STATUS_APPROVED and evidence.approval_document == document
        page.refresh_from_db()
        assert page.live and page.live_revision == evidence.revision  # recorded per page and revision
        entry = PageLogEntry.objects.get(page=page, action="revayat.written_approval")
        assert entry.revision == evidence.revision and entry.user == users["approver"]
    assert TaskState.objects.get(pk=other_state.pk).status == TaskState.STATUS_IN_PROGRESS
    assert any("۲" in message for message in messages_of(response))  # "2 more pages", in Persian digits


def test_the_history_links_the_written_approval_only_for_those_who_may_open_it(
    login, users, demo, written_approval
):
    page = edited(demo.plans_fa[0], "طرح ۱۲ (تاریخچه)")
    state = to_sign_off(page, users["editor"], users["reviewer"])
    login("approver").post(
        workflow_action_url(page, "approve", state),
        {"approval_document": written_approval.pk, "comment": "R&D نامه"},
    )
    assert WrittenApprovalTaskState.objects.get(pk=state.pk).status == TaskState.STATUS_APPROVED
    stored = PageLogEntry.objects.filter(page=page, action="wagtail.workflow.approve")
    assert stored.count() >= 2  # the review and the sign-off
    assert all("<a" not in entry.data["comment"] for entry in stored)  # text; the link is added when shown
    link = f'<a href="{written_approval.url}">approval-letter</a>'
    history_url = reverse("wagtailadmin_pages:history", args=[page.pk])

    history = login("admin").get(history_url).content.decode()  # a site administrator may open it
    assert link in history
    assert "&lt;a href" not in history  # no raw HTML as text

    history = login("editor").get(history_url).content.decode()
    assert "approval-letter" in history and written_approval.url not in history
    assert "&lt;a href" not in history


def test_reviewer_gets_a_confirmation_in_persian(login, users, demo):
    page = edited(demo.plans_fa[1], "طرح ۱۴ (بازبینی)")
    state = start_review(page, users["editor"])
    response = login("reviewer").post(workflow_action_url(page, "approve", state), {"comment": ""}, **XHR)
    assert response.json()["step"] == "success"
    assert TaskState.objects.get(pk=state.pk).status == TaskState.STATUS_APPROVED
    assert any("تأیید شد" in message for message in messages_of(response)), messages_of(response)


@pytest.mark.parametrize("role", ["editor", "reviewer", "translator"])
def test_a_logged_in_user_who_may_not_open_a_restricted_document_is_told_so(login, role, written_approval):
    """Issue 14, item 7: a Persian "you may not" page (403), not a login page they are already past."""
    response = login(role).get(written_approval.url, HTTP_ACCEPT_LANGUAGE="fa")
    assert response.status_code == 403
    html = response.content.decode()
    assert "اجازهٔ باز کردن این سند را ندارید" in html and "approval-letter" in html
    assert response.get("Location") is None


def test_the_restricted_document_still_opens_for_approvers_and_asks_anonymous_to_log_in(
    login, written_approval
):
    assert login("approver").get(written_approval.url).status_code == 200
    response = login("anonymous").get(written_approval.url)
    assert response.status_code == 302 and "login" in response["Location"]
