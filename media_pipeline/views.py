"""Admin: the processing queue (status, progress, failure reason) with a retry button; local media serving;
documents served inline only when their content is what their extension says."""

import posixpath
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.static import serve as static_serve
from wagtail.admin import messages
from wagtail.documents import get_document_model
from wagtail.documents.views.serve import serve as wagtail_serve_document
from wagtail.permissions import policy_registry

from media_pipeline.models import MediaItem, Status
from media_pipeline.validation import document_mismatch


def permission_policy():
    return policy_registry.get_by_type(MediaItem)


def processing_index(request):
    """Every media item the user may change, newest first, with its processing state."""
    policy = permission_policy()
    if not policy.user_has_any_permission(request.user, ["add", "change"]):
        raise PermissionDenied
    items = policy.instances_user_has_any_permission_for(request.user, ["change"]).order_by("-created_at")
    busy = any(item.status in (Status.PENDING, Status.PROCESSING) for item in items[:50])
    return TemplateResponse(request, "media_pipeline/processing_index.html", {
        "items": items[:200], "busy": busy, "Status": Status,
    })


@require_POST
def retry(request, media_id):
    """Queue a failed (or stuck) item for processing again."""
    media = get_object_or_404(MediaItem, pk=media_id)
    if not permission_policy().user_has_permission_for_instance(request.user, "change", media):
        raise PermissionDenied
    MediaItem.objects.filter(pk=media.pk).update(status=Status.PENDING, progress=0, failure_reason="",
                                             processed_file="")
    media.enqueue_processing()
    messages.success(request, _("“%(title)s” is queued for processing again.") % {"title": media.title})
    return redirect("media_pipeline:processing")


def serve_public_media(request, path):
    """Serve a local public media file; private originals (PRIVATE_MEDIA_PREFIXES) are never served."""
    normalized = posixpath.normpath(path).lstrip("/")
    if normalized.startswith("..") or any(normalized.startswith(prefix) or f"{normalized}/" == prefix
                                          for prefix in settings.PRIVATE_MEDIA_PREFIXES):
        raise Http404
    return static_serve(request, normalized, document_root=settings.MEDIA_ROOT)


def serve_document(request, document_id, document_filename):
    """Wagtail's document view; a stored file whose content is not what its extension says (uploaded
    before documents were checked) is served as a download, never inline."""
    response = wagtail_serve_document(request, document_id, document_filename)
    if response.status_code == 200 and response.get("Content-Disposition", "").startswith("inline"):
        document = get_document_model().objects.get(pk=document_id)
        with document.open_file() as file:
            mismatch = document_mismatch(file, document.filename)
        if mismatch:
            response["Content-Type"] = "application/octet-stream"
            response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(document.filename)}"
            response["X-Content-Type-Options"] = "nosniff"
    return response
