"""Autosave and "Save draft" at the same moment: an answer, not a server error.

Wagtail's page editor autosaves in the background. On a new page, the first autosave creates the page;
if the editor presses "Save draft" (or another autosave fires) before the answer arrives, the second
request validated its form while the slug was still free and then creates the same page again:
`Page.full_clean()` refuses the slug (ValidationError) or treebeard's path collides (IntegrityError),
and Wagtail lets either escape as a 500. The same can happen to two saves of one page.

This middleware answers such a collision on the page create and edit views: the autosave gets Wagtail's
own JSON error (`invalid_revision`, which its client shows as a conflict), an ordinary post gets a
message and the editor of the page that was saved first (or the form again).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import Page

PAGE_SAVE_VIEWS = ("wagtailadmin_pages:add", "wagtailadmin_pages:edit")


class ConcurrentSaveMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        match = request.resolver_match
        if (
            request.method != "POST"
            or match is None
            or match.view_name not in PAGE_SAVE_VIEWS
            or not isinstance(exception, ValidationError | IntegrityError)
        ):
            return None
        message = _(
            "This page was being saved twice at the same moment (autosave and “Save draft”). The first "
            "save was kept; check the latest version and save again if something is missing."
        )
        if not request.accepts("text/html"):
            return JsonResponse(
                {"success": False, "error_code": "invalid_revision", "error_message": message}, status=400
            )
        messages.error(request, message)
        kwargs = match.kwargs
        if "page_id" in kwargs:
            return redirect(reverse("wagtailadmin_pages:edit", args=[kwargs["page_id"]]))
        saved = Page.objects.filter(
            pk__in=Page.objects.get(pk=kwargs["parent_page_id"]).get_children().values("pk"),
            slug=request.POST.get("slug", ""),
        ).first()
        if saved is not None:
            return redirect(reverse("wagtailadmin_pages:edit", args=[saved.pk]))
        return redirect(request.get_full_path())
