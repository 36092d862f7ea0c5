"""Confidential documents: the restricted collection, its documents, and refusing direct file URLs.

Documents are only ever served through Wagtail's document view (`/documents/<id>/<name>`), which
checks the collection's view restriction; the media view serves no original file
(`cms.visibility.file_is_public`) and S3 keeps them private, so a restricted document has no public URL.
"""

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
