"""Every response under /api/ that is an error is JSON in Wagtail's shape: {"message": …}.

DRF endpoints answer so themselves; this catches the rest (Django's 404/405 responses, exceptions raised
outside an endpoint) so an API client never receives an HTML error page.
"""

import json
import logging

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, JsonResponse

logger = logging.getLogger(__name__)
API_PREFIX = "/api/"


class APIErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(API_PREFIX) and response.status_code in (301, 302):
            # LocaleMiddleware answers an API 404 with a redirect to /fa/api/…, which is never right here.
            prefixes = tuple(f"/{code}{API_PREFIX}" for code, _name in settings.LANGUAGES)
            if response.url.startswith(prefixes):
                return JsonResponse({"message": "not found"}, status=404)
        is_json = response.get("Content-Type", "").startswith("application/json")
        if request.path.startswith(API_PREFIX) and response.status_code >= 400 and not is_json:
            response.content = json.dumps({"message": response.reason_phrase.lower()})
            response["Content-Type"] = "application/json"
        return response

    def process_exception(self, request, exception):
        if not request.path.startswith(API_PREFIX):
            return None
        if isinstance(exception, Http404):
            return JsonResponse({"message": "not found"}, status=404)
        if isinstance(exception, PermissionDenied):
            return JsonResponse({"message": "permission denied"}, status=403)
        if isinstance(exception, (BadRequest, SuspiciousOperation)):
            return JsonResponse({"message": "bad request"}, status=400)
        logger.exception("Unhandled error on %s", request.get_full_path())
        return JsonResponse({"message": "internal server error"}, status=500)
