"""Admin: the processing queue (status, progress, failure reason) with a retry button."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.permissions import policy_registry

from media_pipeline.models import MediaItem, Status


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
