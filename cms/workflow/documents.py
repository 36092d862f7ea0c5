"""Confidential documents: the restricted collection, its documents, and refusing direct file URLs.

Documents are only ever served through Wagtail's document view (`/documents/<id>/<name>`), which
checks the collection's view restriction; the media view serves no original file
(`cms.visibility.file_is_public`) and S3 keeps them private, so a restricted document has no public URL.
"""

import contextvars
from contextlib import contextmanager

from django.utils.html import format_html
from wagtail.documents import get_document_model
from wagtail.models import Collection

from cms.workflow.roles import RESTRICTED_COLLECTION


def restricted_collection():
    """The collection of written approvals and other confidential documents (or None)."""
    root = Collection.get_first_root_node()
    return root.get_children().filter(name=RESTRICTED_COLLECTION).first() if root else None


def restricted_documents():
    """Documents in the restricted collection or under it."""
    collection = restricted_collection()
    documents = get_document_model().objects.all()
    if collection is None:
        return documents.none()
    return documents.filter(collection__path__startswith=collection.path)


def may_open_restricted(user):
    """Whether `user` may open the restricted collection's documents (its view restriction's groups)."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    collection = restricted_collection()
    restriction = collection.view_restrictions.first() if collection else None
    if restriction is None:
        return False
    return user.groups.filter(pk__in=restriction.groups.values("pk")).exists()


# Who is looking at an admin screen right now (set for the admin's GET requests by
# `cms.workflow.policy.WorkflowRefusalMiddleware`): the history shows the written approval's link only to
# those who may open it. Emails and log data, written during POSTs, never get the link.
_viewer = contextvars.ContextVar("revayat_admin_viewer", default=None)


@contextmanager
def viewing_as(user):
    token = _viewer.set(user)
    try:
        yield
    finally:
        _viewer.reset(token)


def written_approval_link(document):
    """A link to the written approval for a viewer who may open it, else None."""
    if document is not None and may_open_restricted(_viewer.get()):
        return format_html('<a href="{}">{}</a>', document.url, document.title)
    return None
