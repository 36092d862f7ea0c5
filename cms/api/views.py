"""The schema, the browsable docs and the JSON answer for API paths that do not exist."""

import json

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from cms.api.openapi import openapi


@require_GET
def schema(request):
    """/api/schema/: the OpenAPI 3.1 document."""
    response = JsonResponse(openapi(), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # a public description of a public API
    return response


@require_GET
def docs(request):
    """/api/docs/: Swagger UI over the schema, served from this host (no CDN)."""
    settings = {"url": reverse("api-schema"), "layout": "BaseLayout", "deepLinking": True}
    return render(request, "api/docs.html", {"swagger_settings": json.dumps(settings)})


def not_found(request, path=""):
    """Any other /api/… path: a JSON 404 in Wagtail's error shape."""
    return JsonResponse({"message": "not found"}, status=404)
