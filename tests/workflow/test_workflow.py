"""The publication workflow end to end in-process: evidence kept and shown, rejection, scheduling,
and a blocked publication turned into a message."""

import datetime
import json

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry, TaskState, WorkflowState

from cms.workflow import roles
from cms.workflow.models import WrittenApprovalMissing, WrittenApprovalTaskState
from plans.models import PlanPage
from tests.plans.test_readiness import keep_lessons
from tests.workflow.conftest import start_review, to_sign_off, workflow_action_url

pytestmark = pytest.mark.gate  # approvals are given through the workflow, never forced


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def edited_draft(page, title):
    page = page.specific_class.objects.get(pk=page.pk)
    page.title = title
    page.save_revision()
    return page


def test_sign_off_keeps_the_written_approval_with_the_revision_and_shows_it_in_the_history(
    login, users, demo, written_approval
):
    page = edited_draft(demo.plans_fa[0], "طرح ۱۲ (ویرایش تأییدشده)")
    state = to_sign_off(page, users["editor"], users["reviewer"])
    client = login("approver")
    response = client.post(
        workflow_action_url(page, "approve", state),
        {"approval_document": written_approval.pk, "comment": "نامهٔ شمارهٔ ۱۲/۳"},
        HTTP_ACCEPT_LANGUAGE="fa",
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live and page.title == "طرح ۱۲ (ویرایش تأییدشده)"
    evidence = WrittenApprovalTaskState.objects.get(pk=state.pk)
    assert evidence.status == TaskState.STATUS_APPROVED
    assert evidence.approval_document == written_approval and evidence.comment == "نامهٔ شمارهٔ ۱۲/۳"
    assert evidence.revision == page.live_revision  # the evidence belongs to the published revision
    entry = PageLogEntry.objects.get(page=page, action="revayat.written_approval")
    assert entry.user == users["approver"] and entry.revision == page.live_revision
    assert entry.data["document"]["title"] == "approval-letter"

    history = login("editor").get(reverse("wagtailadmin_pages:history", args=[page.pk]))
    assert history.status_code == 200, history
    history = history.content.decode()
    assert "approval-letter" in history and "نامهٔ شمارهٔ ۱۲/۳" in history
    workflow_state = WorkflowState.objects.get(pk=state.workflow_state_id)
    detail_url = reverse("wagtailadmin_pages:workflow_history_detail", args=[page.pk, workflow_state.pk])
    detail = login("admin").get(detail_url).content.decode()  # a site administrator may open it
    assert f'<a href="{written_approval.url}">approval-letter</a>' in detail  # a link, for those allowed
    detail = login("editor").get(detail_url).content.decode()
    assert "approval-letter" in detail and written_approval.url not in detail


def test_rejection_returns_the_page_to_its_author_with_the_comment(login, users, demo):
    page = edited_draft(demo.plans_fa[1], "طرح ۱۴ (پیش‌نویس)")
    state = to_sign_off(page, users["editor"], users["reviewer"])
    login("approver").post(
        workflow_action_url(page, "reject", state), {"comment": "بخش ۳ محرمانه است؛ حذف شود."}
    )
    page.refresh_from_db()
    assert page.title != "طرح ۱۴ (پیش‌نویس)"  # the live page is untouched
    workflow_state = WorkflowState.objects.get(pk=state.workflow_state_id)
    assert workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert workflow_state.requested_by == users["editor"]
    editor = login("editor")
    content = editor.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "بخش ۳ محرمانه است؛ حذف شود." in content
    assert PageLogEntry.objects.filter(
        page=page, action="wagtail.workflow.reject", user=users["approver"]
    ).exists()


def test_scheduled_go_live_and_expiry_use_the_same_path(login, users, demo, written_approval):
    page = PlanPage.objects.get(pk=demo.plans_fa[2].pk)
    page.unpublish()
    go_live = timezone.now() + datetime.timedelta(hours=2)
    page.go_live_at, page.expire_at = go_live, go_live + datetime.timedelta(days=30)
    page.save_revision()
    state = to_sign_off(page, users["editor"], users["reviewer"])
    login("approver").post(
        workflow_action_url(page, "approve", state),
        {"approval_document": written_approval.pk, "comment": "از ساعت ۱۰"},
    )
    page.refresh_from_db()
    assert not page.live and page.scheduled_revision is not None  # approved, waiting for its time
    revision = page.scheduled_revision  # two hours pass
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled", verbosity=0)
    page.refresh_from_db()
    assert page.live
    PlanPage.objects.filter(pk=page.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))
    call_command("publish_scheduled", verbosity=0)
    page.refresh_from_db()
    assert not page.live and page.expired


def test_sign_off_of_an_incomplete_page_shows_the_checklist_instead_of_an_error(
    login, users, demo, written_approval
):
    page = PlanPage.objects.get(pk=demo.plans_fa[0].pk)
    page.lessons = keep_lessons(page, 1)
    page.save_revision()  # a draft that misses the lessons (the submit form would refuse it)
    state = to_sign_off(page, users["editor"], users["reviewer"])
    client = login("approver")
    url = workflow_action_url(page, "approve", state)
    data = {"approval_document": written_approval.pk, "comment": "تأیید"}

    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="fa", HTTP_REFERER="/admin/")
    assert response.status_code == 302
    assert any("این صفحه هنوز قابل انتشار نیست" in message for message in messages_of(response))
    response = client.post(url, data, HTTP_X_REQUESTED_WITH="XMLHttpRequest", HTTP_REFERER="/admin/")
    assert response.status_code == 200 and response.json()["step"] == "success"  # the modal closes
    assert TaskState.objects.get(pk=state.pk).status == TaskState.STATUS_IN_PROGRESS  # nothing changed
    assert not PageLogEntry.objects.filter(page=page, action="revayat.written_approval").exists()
    page.refresh_from_db()
    assert page.live_revision.as_object().missing_for_publication() == []


def test_a_new_locale_root_and_collection_get_the_roles_permissions(demo):
    from django.contrib.auth.models import Group
    from wagtail.models import Collection, GroupCollectionPermission

    collection = Collection.get_first_root_node().add_child(name="Podcasts")
    editors = Group.objects.get(name=roles.EDITORS)
    assert GroupCollectionPermission.objects.filter(
        group=editors, collection=collection, permission__codename="add_document"
    ).exists()


def test_start_review_records_the_submitter(users, demo):
    state = start_review(demo.index_fa, users["editor"])
    assert state.workflow_state.requested_by == users["editor"]
    assert PageLogEntry.objects.filter(page=demo.index_fa, action="wagtail.workflow.start").exists()


def test_permission_changes_in_the_admin_are_audited(login, users):
    from django.contrib.auth.models import Group
    from wagtail.models import ModelLogEntry

    client = login("admin")
    editor = users["editor"]
    translators = Group.objects.get(name=roles.TRANSLATORS)
    response = client.post(
        reverse("wagtailusers_users:edit", args=[editor.pk]),
        {
            "username": editor.username,
            "email": editor.email,
            "first_name": "Editor",
            "last_name": "Demo",
            "is_active": "on",
            "groups": [Group.objects.get(name=roles.EDITORS).pk, translators.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = ModelLogEntry.objects.get(action="revayat.permissions_changed", object_id=str(editor.pk))
    assert entry.user == users["admin"] and roles.TRANSLATORS in entry.data["change"]


def test_approving_the_sign_off_without_a_written_approval_is_refused(login, users, demo, open_document):
    page = edited_draft(demo.plans_fa[3], "طرح ۱۸ (بی‌تأییدیه)")
    state = to_sign_off(page, users["editor"], users["reviewer"])
    client = login("approver")
    url = workflow_action_url(page, "approve", state)
    for data in (
        {"comment": "بدون سند"},
        {"approval_document": open_document.pk, "comment": "سند عمومی"},
        {"approval_document": "x", "comment": ""},
    ):
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="fa")
        assert response.status_code == 302
        assert any("تأییدیهٔ کتبی" in message for message in messages_of(response)), data
    # The editor's "approve" (the edit form path) with forged or missing extra data.
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    for extra in ("{}", "not json", json.dumps({"approval_document": open_document.pk, "comment": "x"})):
        response = client.post(
            edit_url,
            {
                "action-workflow-action": "1",
                "workflow-action-name": "approve",
                "workflow-action-extra-data": extra,
            },
            HTTP_ACCEPT_LANGUAGE="fa",
        )
        assert response.status_code == 302
        assert any("تأییدیهٔ کتبی" in message for message in messages_of(response)), extra
    assert TaskState.objects.get(pk=state.pk).status == TaskState.STATUS_IN_PROGRESS
    page.refresh_from_db()
    assert page.title != "طرح ۱۸ (بی‌تأییدیه)"
    with pytest.raises(WrittenApprovalMissing):  # the task itself refuses, whichever view calls it
        state.task.specific.on_action(state, users["approver"], "approve", comment="x")
