"""Fixtures of the workflow tests: one user per role, a written approval in the restricted collection,
and helpers that move a page through the workflow in-process."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection

from cms.workflow import roles
from cms.workflow.demo import DEMO_USERS, ensure_role_users
from cms.workflow.documents import restricted_collection

PASSWORD = "pw"
ROLE_USERS = {
    "editor": "editor",
    "translator": "translator",
    "reviewer": "reviewer",
    "approver": "approver",
    "admin": "siteadmin",
}


@pytest.fixture
def users(db):
    """{role: user} for editor, translator, reviewer, approver and admin (a Site administrators member)."""
    from django.contrib.auth import get_user_model

    ensure_role_users(password=PASSWORD)
    by_name = {user.username: user for user in get_user_model().objects.filter(username__in=DEMO_USERS)}
    return {role: by_name[username] for role, username in ROLE_USERS.items()}


@pytest.fixture
def login(client, users):
    """login(role) → the test client logged in as that role (anonymous for "anonymous")."""

    def log_in(role):
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        return client

    return log_in


def make_document(title, collection, body=b"%PDF-1.4 signed approval\n"):
    document = get_document_model()(title=title, collection=collection)
    document.file.save(f"{title}.pdf", ContentFile(body), save=False)
    document.save()
    return document


@pytest.fixture
def written_approval(db):
    """A signed approval in the restricted collection."""
    return make_document("approval-letter", restricted_collection())


@pytest.fixture
def open_document(db):
    """A document in an ordinary (public) collection."""
    root = Collection.get_first_root_node()
    collection = root.get_children().exclude(name=roles.RESTRICTED_COLLECTION).first() or root.add_child(
        name="Library"
    )
    return make_document("public-report", collection)


def start_review(page, user):
    """Submit `page` (its latest revision) to its workflow; returns the in-progress task state."""
    page.get_workflow().start(page, user)
    page.refresh_from_db()
    return page.current_workflow_task_state


def to_sign_off(page, editor, reviewer):
    """Submit `page` and approve the editorial review; returns the sign-off task state."""
    start_review(page, editor).approve(user=reviewer)
    page.refresh_from_db()
    return page.current_workflow_task_state


def workflow_action_url(page, action, task_state):
    return reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
