"""The publication gate: every path to live passes one check of the very revision going live.

Scenarios (each closes a path that published without review before the gate):
- a revision without its own approved sign-off (and written approval) is refused by `publish()`;
- a sign-off is refused when someone else changed the page after it started;
- a superuser's direct publish (edit, revert, bulk) is a force publish: refused without a reason,
  audited with it; nobody else may force;
- "Translate this page" of a live page, and "Sync translated pages" with "Publish immediately",
  leave the translation a draft with nothing public and nothing queued for the channels;
- copies are drafts and aliases cannot be made from the admin;
- scheduled go-live runs through the gate, once, however often the scheduler passes;
- approving a translation never approves its source, and vice versa.
"""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, TaskState
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, streamfield
from wagtail_localize.models import StringTranslation, Translation

from cms.distribution.models import OutboxEntry
from cms.i18n import to_persian_digits
from cms.publication import PublishBlockedError
from plans.models import PlanIndexPage, PlanPage
from tests.workflow.conftest import to_sign_off, workflow_action_url

pytestmark = pytest.mark.gate


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def draft(page, title, **changes):
    """A new revision of `page` with another title; returns the revision."""
    page = page.specific_class.objects.get(pk=page.pk)
    page.title = title
    for name, value in changes.items():
        setattr(page, name, value)
    return page.save_revision()


def sign_off(login, users, page, written_approval):
    """Take `page`'s latest revision through review and sign-off (with its written approval)."""
    state = to_sign_off(page, users["editor"], users["reviewer"])
    response = login("approver").post(
        workflow_action_url(page, "approve", state),
        {"approval_document": written_approval.pk, "comment": "نامهٔ ۱۲"},
    )
    assert response.status_code == 302
    return state


def public_text(client, url):
    client.logout()
    response = client.get(url)
    return response.content.decode() if response.status_code == 200 else ""


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.com", "pw")


@pytest.fixture
def index_edit_data(client, superuser, demo):
    """The Persian plan index's edit form as the admin renders it."""
    client.force_login(superuser)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[demo.index_fa.pk])).content.decode()
    data = querydict_from_html(html, form_id="page-edit-form")
    data.update(nested_form_data({"distribution": streamfield([])}))
    return data


def test_a_revision_without_its_own_sign_off_never_goes_live(login, users, demo, written_approval):
    revision = draft(demo.index_fa, "طرح‌ها (بی‌تأیید)")
    with pytest.raises(PublishBlockedError) as refused:
        revision.publish(user=users["approver"])
    assert [item.code for item in refused.value.missing] == ["sign-off"]
    assert Page.objects.get(pk=demo.index_fa.pk).title != "طرح‌ها (بی‌تأیید)"

    signed = draft(demo.index_fa, "طرح‌ها (تأییدشده)")
    sign_off(login, users, demo.index_fa, written_approval)
    assert PlanIndexPage.objects.get(pk=demo.index_fa.pk).live_revision_id == signed.pk
    later = draft(demo.index_fa, "طرح‌ها (پس از تأیید)")
    with pytest.raises(PublishBlockedError):  # the sign-off belongs to its revision, not to the page
        later.publish()
    signed.publish()  # the signed revision itself may go live again (e.g. scheduled, or re-published)


def test_a_sign_off_is_refused_when_someone_changed_the_page_after_it_started(
    login, users, demo, written_approval
):
    page = demo.index_fa
    draft(page, "نسخهٔ بازبینی‌شده")
    state = to_sign_off(page, users["editor"], users["reviewer"])
    page = Page.objects.get(pk=page.pk).specific
    page.title = "نسخهٔ تغییریافته پس از بازبینی"
    page.save_revision(user=users["editor"])  # changed by the editor while waiting for the sign-off
    response = login("approver").post(
        workflow_action_url(page, "approve", state),
        {"approval_document": written_approval.pk, "comment": "تأیید"},
        HTTP_ACCEPT_LANGUAGE="fa",
    )
    assert response.status_code == 302 and messages_of(response)
    page = Page.objects.get(pk=page.pk)
    assert page.title not in ("نسخهٔ بازبینی‌شده", "نسخهٔ تغییریافته پس از بازبینی")
    assert TaskState.objects.get(pk=state.pk).status == TaskState.STATUS_IN_PROGRESS


def test_a_superusers_direct_publish_is_a_force_publish_with_a_reason(
    client, superuser, demo, index_edit_data
):
    url = reverse("wagtailadmin_pages:edit", args=[demo.index_fa.pk])
    data = index_edit_data.copy()
    data.update({"action-publish": "1", "title": "انتشار فوری"})
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="fa")
    assert response.status_code == 302 and any("دلیل" in message for message in messages_of(response))
    assert Page.objects.get(pk=demo.index_fa.pk).title != "انتشار فوری"

    data["revayat-force-reason"] = "اطلاعیهٔ اضطراری؛ تأیید کتبی پس از انتشار"
    response = client.post(url, data)
    assert response.status_code == 302
    page = Page.objects.get(pk=demo.index_fa.pk)
    assert page.title == "انتشار فوری" and page.live
    entry = PageLogEntry.objects.get(page=page, action="revayat.force_publish", revision=page.live_revision)
    assert entry.user == superuser and entry.revision_id == page.live_revision_id
    assert entry.data["reason"] == "اطلاعیهٔ اضطراری؛ تأیید کتبی پس از انتشار" and entry.data["skipped"]
    history = client.get(reverse("wagtailadmin_pages:history", args=[page.pk])).content.decode()
    assert "اطلاعیهٔ اضطراری" in history

    # Reverting to an old revision and publishing it is a force publish too.
    old = page.revisions.order_by("created_at").first()
    revert = reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, old.pk])
    response = client.post(
        revert, {**{k: v for k, v in data.items() if k != "revayat-force-reason"}, "title": "بازگشت"}
    )
    assert Page.objects.get(pk=page.pk).title == "انتشار فوری"


def test_the_edit_menu_asks_a_superuser_for_the_reason(client, superuser, demo):
    client.force_login(superuser)
    content = client.get(reverse("wagtailadmin_pages:edit", args=[demo.index_fa.pk])).content.decode()
    assert 'name="revayat-force-reason"' in content


def test_only_superusers_and_operators_may_force_and_always_with_a_reason(users):
    from cms import publication

    with pytest.raises(PermissionDenied), publication.forced("urgent", users["admin"]):
        pass
    with pytest.raises(ValidationError), publication.forced("  "):
        pass


def test_a_superusers_bulk_publish_needs_a_reason(client, superuser, demo):
    draft(demo.index_fa, "انتشار گروهی")
    client.force_login(superuser)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish")) + f"?id={demo.index_fa.pk}"
    client.post(url, {"next": "/admin/"})
    assert Page.objects.get(pk=demo.index_fa.pk).title != "انتشار گروهی"


def test_translate_this_page_makes_a_draft_even_of_a_live_page(
    login, demo, django_capture_on_commit_callbacks
):
    plan = PlanPage.objects.get(pk=demo.plans_fa[0].pk)
    english = plan.get_translation(demo.locale_en)
    english_url = english.get_parent().url
    english.delete()
    outbox_before = OutboxEntry.objects.count()
    with django_capture_on_commit_callbacks(execute=True):  # wagtail-localize publishes on commit
        response = login("translator").post(
            reverse("wagtail_localize:submit_page_translation", args=[plan.pk]),
            {"locales": [demo.locale_en.pk], "include_subtree": "on"},
        )
    assert response.status_code == 302
    english = plan.get_translation(demo.locale_en)
    assert not english.live and not any(page.live for page in english.get_descendants())
    assert english.title not in public_text(login("anonymous"), english_url)  # the English plan list
    assert plan.title not in public_text(login("anonymous"), english_url)
    assert OutboxEntry.objects.count() == outbox_before


def test_sync_with_publish_immediately_keeps_the_translators_text_a_draft(
    login, demo, django_capture_on_commit_callbacks
):
    plan = PlanPage.objects.get(pk=demo.plans_fa[1].pk)
    english = plan.get_translation(demo.locale_en)
    translation = Translation.objects.get(
        source__object_id=plan.translation_key, target_locale=demo.locale_en
    )
    segment = translation.source.stringsegment_set.get(context__path="title")
    StringTranslation.objects.filter(
        translation_of=segment.string, locale=demo.locale_en, context=segment.context
    ).update(data="Unreviewed title")
    outbox_before = OutboxEntry.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = login("translator").post(
            reverse("wagtail_localize:update_translations", args=[translation.source.pk]),
            {"publish_translations": "on"},
        )
    assert response.status_code == 302
    english = Page.objects.get(pk=english.pk)
    assert english.live and english.title != "Unreviewed title"
    assert english.get_latest_revision_as_object().title == "Unreviewed title"  # a draft, for review
    assert "Unreviewed title" not in public_text(login("anonymous"), english.url)
    assert OutboxEntry.objects.count() == outbox_before


@pytest.mark.parametrize("choice", ["publish_copies", "alias"])
def test_copies_are_drafts_and_aliases_are_not_made(choice, login, demo):
    plan = demo.plans_fa[0]
    client = login("admin")  # Site administrators may add and publish under the plan index
    form = client.get(reverse("wagtailadmin_pages:copy", args=[plan.pk])).content.decode()
    assert f'name="{choice}"' not in form
    response = client.post(
        reverse("wagtailadmin_pages:copy", args=[plan.pk]),
        {
            "new_title": "رونوشت",
            "new_slug": "copy-of-plan",
            "new_parent_page": demo.index_fa.pk,
            choice: "on",
        },
    )
    assert response.status_code == 302
    copy = Page.objects.get(slug="copy-of-plan", locale=demo.locale_fa)
    assert not copy.live and copy.alias_of_id is None
    assert not public_text(login("anonymous"), "/fa/plans/copy-of-plan/")


def test_scheduled_go_live_passes_the_gate_once(login, users, demo, written_approval):
    from cms.scheduler import run_due

    page = PlanPage.objects.get(pk=demo.plans_fa[2].pk)
    page.unpublish()
    go_live = timezone.now() + datetime.timedelta(hours=2)
    draft(page, page.title, go_live_at=go_live)
    sign_off(login, users, page, written_approval)
    page.refresh_from_db()
    revision = page.scheduled_revision
    assert not page.live and revision is not None

    unsigned = PlanPage.objects.get(pk=demo.plans_fa[3].pk)
    unsigned.unpublish()
    forged = draft(unsigned, unsigned.title)
    past = timezone.now() - datetime.timedelta(minutes=1)
    for due in (revision, forged):  # two hours pass; one was never signed off
        due.content["go_live_at"] = past.isoformat()
        due.approved_go_live_at = past
        due.save(update_fields=["content", "approved_go_live_at"])

    assert run_due() == (0, 1)
    assert run_due() == (0, 0)  # a second pass (or a second scheduler) finds nothing left to do
    assert Page.objects.get(pk=page.pk).live
    assert PageLogEntry.objects.filter(page=page, action="wagtail.publish.scheduled").count() == 1
    assert not Page.objects.get(pk=unsigned.pk).live  # refused by the gate, left scheduled and logged


def test_approving_a_translation_never_approves_its_source(login, users, demo, written_approval):
    persian = demo.index_fa
    english = persian.get_translation(demo.locale_en)
    draft(persian, "طرح‌ها (در انتظار)")
    draft(english, "Plans (awaiting)")
    persian_state = to_sign_off(persian, users["editor"], users["reviewer"])
    sign_off(login, users, english, written_approval)

    assert Page.objects.get(pk=english.pk).title == "Plans (awaiting)"
    persian = Page.objects.get(pk=persian.pk)
    assert persian.title != "طرح‌ها (در انتظار)" and persian.workflow_in_progress
    assert TaskState.objects.get(pk=persian_state.pk).status == TaskState.STATUS_IN_PROGRESS
    with pytest.raises(PublishBlockedError):
        persian.get_latest_revision().publish()

    sign_off_state = persian.current_workflow_task_state
    login("approver").post(
        workflow_action_url(persian, "approve", sign_off_state),
        {"approval_document": written_approval.pk, "comment": "تأیید"},
    )
    assert Page.objects.get(pk=persian.pk).title == "طرح‌ها (در انتظار)"
    draft(english, "Plans (next)")
    with pytest.raises(PublishBlockedError):  # and the source's sign-off does not cover the translation
        Page.objects.get(pk=english.pk).get_latest_revision().publish()


def test_a_partial_translation_goes_to_review_only_when_ticked_with_its_share_on_every_screen(
    login, users, demo, written_approval
):
    english = demo.plans_en[1]
    translation = Translation.objects.get(
        source__object_id=english.translation_key, target_locale=demo.locale_en
    )
    segments = list(translation.source.stringsegment_set.select_related("string", "context"))
    untranslated = segments[0]
    StringTranslation.objects.filter(
        translation_of=untranslated.string, context=untranslated.context, locale=demo.locale_en
    ).delete()
    share = 100 * (len(segments) - 1) // len(segments)
    assert share < 100
    shown = to_persian_digits(share)  # the admin speaks Persian
    edit_url = reverse("wagtailadmin_pages:edit", args=[english.pk])

    response = login("translator").post(edit_url, {"action": "revayat-submit"})
    assert response.status_code == 302 and any(shown in message for message in messages_of(response))
    assert not Page.objects.get(pk=english.pk).workflow_in_progress

    login("translator").post(edit_url, {"action": "revayat-submit", "revayat-partial": "1"})
    english = Page.objects.get(pk=english.pk)
    assert english.workflow_in_progress
    submitted = PageLogEntry.objects.get(page=english, action="revayat.translation_submitted")
    assert submitted.data == {"percent": share, "partial": True} and submitted.user == users["translator"]

    history = login("translator").get(reverse("wagtailadmin_pages:history", args=[english.pk]))
    assert shown in history.content.decode()  # the page's history
    from django.utils import translation as i18n

    from cms.workflow.policy import translation_note

    with i18n.override("fa"):
        note = translation_note(english)
    assert shown in note
    for role in ("reviewer", "approver"):
        client = login(role)
        state = Page.objects.get(pk=english.pk).current_workflow_task_state
        modal = client.get(workflow_action_url(english, "approve", state), HTTP_ACCEPT_LANGUAGE="fa")
        assert note in modal.json()["html"], role  # the approve modal
        assert note in client.get(edit_url).content.decode(), role  # the editor's header
        if role == "reviewer":
            client.post(workflow_action_url(english, "approve", state), {"comment": "ok"})


def test_the_admin_api_publishes_nothing_unreviewed(login, demo):
    from plans.models import FilmPage, InfographicPage, PodcastSeriesPage

    page = (
        Page.objects.type(InfographicPage, FilmPage, PodcastSeriesPage)
        .live()
        .filter(locale=demo.locale_fa)
        .first()
    )
    client = login("admin")  # Site administrators may add and publish
    action = f"/admin/api/main/pages/{page.pk}/action/"
    destination = page.get_parent().pk
    response = client.post(
        action + "copy/",
        {"destination_page_id": destination, "slug": "api-copy", "title": "رونوشت", "keep_live": True},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert not Page.objects.get(slug="api-copy").live

    response = client.post(
        action + "create_alias/",
        {"destination_page_id": destination, "update_slug": "api-alias"},
        content_type="application/json",
    )
    assert response.status_code == 400 and not Page.objects.filter(slug="api-alias").exists()

    draft(page, "منتشرشده از API")
    response = client.post(action + "publish/", {}, content_type="application/json")
    assert response.status_code == 400
    assert Page.objects.get(pk=page.pk).title != "منتشرشده از API"


def test_a_translation_cannot_be_converted_into_an_alias_of_its_source(login, demo):
    english = demo.plans_en[0]
    client = login("translator")
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[english.pk])).content.decode()
    assert "localize-convert-to-alias" not in edit
    response = client.post(
        reverse("wagtail_localize:convert_to_alias", args=[english.pk]), {"next": "/admin/"}
    )
    assert response.status_code == 302 and messages_of(response)
    english = Page.objects.get(pk=english.pk)
    assert english.alias_of_id is None and english.title == demo.plans_en[0].title
