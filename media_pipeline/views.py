"""Admin: the processing queue (status, progress, failure reason) with a retry button; documents served
inline only when their content is what their extension says."""

from urllib.parse import quote

import django_filters
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.reports import ReportView
from wagtail.documents import get_document_model
from wagtail.documents.views.serve import serve as wagtail_serve_document
from wagtail.permissions import policy_registry

from media_pipeline.models import MediaItem, Status
from media_pipeline.tasks import enqueue_processing
from media_pipeline.validation import document_mismatch


def permission_policy():
    return policy_registry.get_by_type(MediaItem)


class ProcessingFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=Status.choices, empty_label=gettext_lazy("All statuses")
    )

    class Meta:
        model = MediaItem
        fields = []


class ProcessingReportView(ReportView):
    """Every media item the user may change, newest first, with its processing state. The export holds the
    same rows (those the user may change) and no file addresses."""

    model = MediaItem
    any_permission_required = ["add", "change"]
    page_title = gettext_lazy("Media processing")
    header_icon = "media"
    template_name = "media_pipeline/processing_index.html"
    results_template_name = "media_pipeline/processing_results.html"
    index_url_name = "media_pipeline:processing"
    index_results_url_name = "media_pipeline:processing_results"
    filterset_class = ProcessingFilterSet
    default_ordering = "-created_at"
    list_export = [
        "title",
        "get_type_display",
        "get_status_display",
        "progress",
        "failure_reason",
        "created_at",
    ]
    export_headings = {
        "title": gettext_lazy("Title"),
        "get_type_display": gettext_lazy("Type"),
        "get_status_display": gettext_lazy("Status"),
        "progress": gettext_lazy("Progress"),
        "failure_reason": gettext_lazy("Reason"),
        "created_at": gettext_lazy("Created"),
    }
    export_filename = "media-processing"

    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(self.request.user, ["change"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The page reloads itself while something on it is still being processed.
        context["busy"] = any(
            item.status in (Status.PENDING, Status.PROCESSING) for item in context["object_list"]
        )
        context["Status"] = Status
        return context


@require_POST
def retry(request, media_id):
    """Queue a failed (or stuck) item for processing again."""
    media = get_object_or_404(MediaItem, pk=media_id)
    if not permission_policy().user_has_permission_for_instance(request.user, "change", media):
        raise PermissionDenied
    MediaItem.objects.filter(pk=media.pk).update(
        status=Status.PENDING, progress=0, failure_reason="", processed_file=""
    )
    enqueue_processing(media)
    messages.success(request, _("“%(title)s” is queued for processing again.") % {"title": media.title})
    return redirect("media_pipeline:processing")


def range_length(response):
    """The body length of a 206 (from its `Content-Range: bytes first-last/size`) or a 416 (none)."""
    if response.status_code == 416:
        return 0
    first, last = response["Content-Range"].split(" ", 1)[1].split("/", 1)[0].split("-")
    return int(last) - int(first) + 1


def _document_params(document, mismatch):
    """The response headers S3 should send with a presigned document URL: a download for content that
    is not what its extension says or for types not served inline, else Wagtail's type inline."""
    filename = quote(document.filename)
    if mismatch or document.content_disposition != "inline":
        return {
            "ResponseContentType": "application/octet-stream" if mismatch else document.content_type,
            "ResponseContentDisposition": f"attachment; filename*=UTF-8''{filename}",
        }
    return {
        "ResponseContentType": document.content_type,
        "ResponseContentDisposition": f"inline; filename*=UTF-8''{filename}",
    }


def serve_document(request, document_id, document_filename):
    """Wagtail's document view; a stored file whose content is not what its extension says (uploaded
    before documents were checked) is served as a download, never inline. On S3 (Wagtail redirects to
    a presigned URL) the content is checked the same way and the presigned URL makes S3 send the
    download headers."""
    response = wagtail_serve_document(request, document_id, document_filename)
    if response.status_code in (206, 416):  # Wagtail's sendfile sets the whole file's length afterwards
        response["Content-Length"] = str(range_length(response))
    disposition = response.get("Content-Disposition", "")
    inline = response.status_code in (200, 206) and disposition.startswith("inline")
    redirected = response.status_code in (301, 302)
    if not inline and not redirected:
        return response
    document = get_document_model().objects.get(pk=document_id)
    if redirected and (
        not getattr(document.file.storage, "querystring_auth", False)
        or response["Location"].split("?")[0] != document.file.url.split("?")[0]
    ):
        return response  # not to a presigned URL of the file (e.g. to the password form)
    with document.open_file() as file:
        mismatch = document_mismatch(file, document.filename)
    if redirected:
        url = document.file.storage.url(document.file.name, parameters=_document_params(document, mismatch))
        response = redirect(url)
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
    if mismatch:
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(document.filename)}"
        response["X-Content-Type-Options"] = "nosniff"
    return response
