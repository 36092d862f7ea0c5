"""/api/v2/preview/: the draft a headless-preview token grants, as the page's usual JSON (never cached)."""

from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.api.v2.utils import BadRequestError
from wagtail_headless_preview.models import PagePreview

from cms.api.endpoints import PagesEndpoint, PublicEndpointMixin
from cms.api.router import api_router
from cms.preview import NOINDEX, PreviewTokenError, read_token


class PreviewView(PublicEndpointMixin, APIView):
    """/api/v2/preview/?content_type=…&token=…[&id=…]: the previewed draft as the page's JSON."""

    integer_parameters = ("id",)

    def initial(self, request, *args, **kwargs):
        request.wagtailapi_router = api_router
        super().initial(request, *args, **kwargs)

    def cache_control(self):
        return {"private": True, "no_store": True}

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["X-Robots-Tag"] = NOINDEX
        return response

    def get(self, request):
        unknown = set(request.GET) - {"content_type", "token", "id", "fields", "rich_text_format"}
        if unknown:
            raise BadRequestError(f"query parameter is not an operation: {', '.join(sorted(unknown))}")
        if "token" not in request.GET:
            raise BadRequestError("token is required")
        try:
            payload = read_token(request.GET["token"])
        except PreviewTokenError as error:
            return Response({"message": str(error)}, status=403)
        preview = PagePreview.objects.filter(pk=payload["preview"], token=request.GET["token"]).first()
        requested_type = request.GET.get("content_type", payload["type"])
        requested_id = request.GET.get("id")
        if (
            preview is None
            or requested_type.lower() != payload["type"]
            or (requested_id is not None and int(requested_id) != payload["page"])
        ):
            return Response({"message": "no preview for this page and token"}, status=404)
        page = preview.as_page()
        endpoint = PagesEndpoint(request=request, action="detail_view", format_kwarg=None, kwargs={})
        endpoint._cached_object = page
        endpoint.api_objects = [page]
        return Response(endpoint.get_serializer(page).data)
