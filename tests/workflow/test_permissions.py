"""The permission matrix: every role × action × locale, allowed and denied alike, through the admin.

Each cell runs in its own savepoint (rolled back), acts through the real admin views as that role, and
reports whether the action took effect. Page actions are checked on the plan index in Persian (the
source) and English (its translation); document and PO actions have their own columns.
"""

import pytest
from django.db import transaction
from django.urls import reverse
from wagtail.models import Page, TaskState
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, streamfield
from wagtail_localize.models import StringTranslation, Translation

from tests.workflow.conftest import start_review, to_sign_off, workflow_action_url

ROLES = ["anonymous", "editor", "translator", "reviewer", "approver", "admin"]
Y, N = True, False
# action: {locale: [anonymous, editor, translator, reviewer, approver, admin]}
EXPECTED = {
    "view draft": {"fa": [N, Y, N, N, Y, Y], "en": [N, N, Y, N, Y, Y]},
    "view draft in review": {"fa": [N, Y, N, Y, Y, Y], "en": [N, N, Y, Y, Y, Y]},
    "edit": {"fa": [N, Y, N, N, N, Y], "en": [N, N, Y, N, N, Y]},
    "submit": {"fa": [N, Y, N, N, N, Y], "en": [N, N, Y, N, N, Y]},
    "approve review": {"fa": [N, N, N, Y, N, N], "en": [N, N, N, Y, N, N]},
    "approve sign-off": {"fa": [N, N, N, N, Y, N], "en": [N, N, N, N, Y, N]},
    "reject sign-off": {"fa": [N, N, N, N, Y, N], "en": [N, N, N, N, Y, N]},
    "publish directly": {"fa": [N, N, N, N, N, N], "en": [N, N, N, N, N, N]},
    "unpublish": {"fa": [N, N, N, N, Y, Y], "en": [N, N, N, N, Y, Y]},
    "export PO": {"en": [N, N, Y, N, N, Y]},
    "import PO": {"en": [N, N, Y, N, N, Y]},
    "manage restricted documents": {"any": [N, N, N, N, Y, Y]},
    "download restricted document": {"any": [N, N, N, N, Y, Y]},
    "edit users or settings": {"any": [N, N, N, N, N, Y]},
}


class Cell:
    """What one role does in one cell; each method returns whether the action took effect."""

    def __init__(self, client, pages, users, written_approval, edit_data):
        self.client, self.pages, self.users = client, pages, users
        self.written_approval, self.edit_data = written_approval, edit_data

    def page(self, locale):
        return Page.objects.get(pk=self.pages[locale].pk).specific

    def view_draft(self, locale):
        return (
            self.client.get(
                reverse("wagtailadmin_pages:view_draft", args=[self.pages[locale].pk])
            ).status_code
            == 200
        )

    def view_draft_in_review(self, locale):
        start_review(self.page(locale), self.users["admin"])
        return self.view_draft(locale)

    def edit(self, locale):
        return (
            self.client.get(reverse("wagtailadmin_pages:edit", args=[self.pages[locale].pk])).status_code
            == 200
        )

    def post_edit(self, locale, **extra):
        url = reverse("wagtailadmin_pages:edit", args=[self.pages[locale].pk])
        if locale == "fa":
            data = self.edit_data.copy()
            data.update(extra)
        else:  # the English page is edited in wagtail-localize's translation editor
            data = extra
        return self.client.post(url, data)

    def submit(self, locale):
        if locale == "fa":
            self.post_edit(locale, **{"action-submit": "1"})
        else:
            self.post_edit(locale, action="revayat-submit")
        return self.page(locale).workflow_in_progress

    def act(self, locale, task_state, action, data):
        self.client.post(workflow_action_url(self.pages[locale], action, task_state), data)
        return TaskState.objects.get(pk=task_state.pk).status != TaskState.STATUS_IN_PROGRESS

    def approve_review(self, locale):
        state = start_review(self.page(locale), self.users["editor"])
        return self.act(locale, state, "approve", {"comment": "ok"})

    def approve_sign_off(self, locale):
        state = to_sign_off(self.page(locale), self.users["editor"], self.users["reviewer"])
        approved = self.act(
            locale,
            state,
            "approve",
            {"approval_document": self.written_approval.pk, "comment": "Letter 12/3"},
        )
        return approved and self.page(locale).live

    def reject_sign_off(self, locale):
        state = to_sign_off(self.page(locale), self.users["editor"], self.users["reviewer"])
        return self.act(locale, state, "reject", {"comment": "Section 3 is confidential"})

    def publish_directly(self, locale):
        before = self.page(locale).live_revision_id
        if locale == "fa":
            self.post_edit(locale, **{"action-publish": "1", "title": "منتشرشده بی‌تأیید"})
        else:
            self.post_edit(locale, action="publish")
        return self.page(locale).live_revision_id != before

    def unpublish(self, locale):
        self.client.post(reverse("wagtailadmin_pages:unpublish", args=[self.pages[locale].pk]))
        return not self.page(locale).live

    def translation(self):
        source = self.pages["fa"]
        return Translation.objects.get(
            source__object_id=source.translation_key, target_locale=self.pages["en"].locale
        )

    def export_po(self, locale):
        response = self.client.get(reverse("wagtail_localize:download_pofile", args=[self.translation().pk]))
        return response.status_code == 200 and b"msgid" in response.content

    def import_po(self, locale):
        import polib
        from django.core.files.uploadedfile import SimpleUploadedFile

        translation = self.translation()
        po = translation.export_po()
        for entry in po:
            entry.msgstr = "Plans (imported)" if entry.msgctxt == "title" else entry.msgstr
        assert isinstance(po, polib.POFile)
        self.client.post(
            reverse("wagtail_localize:upload_pofile", args=[translation.pk]),
            {"file": SimpleUploadedFile("en.po", str(po).encode()), "next": "/admin/"},
        )
        return StringTranslation.objects.filter(
            locale=translation.target_locale, data="Plans (imported)"
        ).exists()

    def manage_restricted_documents(self, locale):
        url = reverse("wagtaildocs:edit", args=[self.written_approval.pk])
        return self.client.get(url).status_code == 200

    def download_restricted_document(self, locale):
        response = self.client.get(self.written_approval.url)
        return response.status_code == 200 and b"signed approval" in b"".join(response.streaming_content)

    def edit_users_or_settings(self, locale):
        users = self.client.get(reverse("wagtailusers_users:edit", args=[self.users["editor"].pk]))
        sites = self.client.get(reverse("wagtailsites:index"))
        return users.status_code == 200 and sites.status_code == 200


@pytest.fixture
def edit_data(admin_client, demo):
    """The Persian plan index's edit form as the admin renders it (then posted by each role)."""
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[demo.index_fa.pk])).content.decode()
    admin_client.logout()
    data = querydict_from_html(html, form_id="page-edit-form")
    # StreamFields render in the browser: an untouched empty one posts its empty count.
    data.update(nested_form_data({"distribution": streamfield([])}))
    return data


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(role, login, users, demo, written_approval, edit_data):
    pages = {"fa": demo.index_fa, "en": demo.index_fa.get_translation(demo.locale_en)}
    cell = Cell(login(role), pages, users, written_approval, edit_data)
    wrong = []
    for action, by_locale in EXPECTED.items():
        for locale, expected in by_locale.items():
            with transaction.atomic():
                allowed = getattr(cell, action.lower().replace(" ", "_").replace("-", "_"))(locale)
                transaction.set_rollback(True)
            if allowed != expected[ROLES.index(role)]:
                wrong.append(
                    f"{action} [{locale}]: {'allowed' if allowed else 'denied'}, expected "
                    f"{'allowed' if expected[ROLES.index(role)] else 'denied'}"
                )
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
