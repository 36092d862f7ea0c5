"""Headless preview (wagtail-headless-preview): an external frontend shows a draft before it is published.

In the admin's preview panel an editor picks the "External frontend" mode (offered when
`WAGTAIL_HEADLESS_PREVIEW["CLIENT_URLS"]` names a frontend for the site). The draft is frozen in a
`PagePreview` row and the frontend is sent `?content_type=…&token=…`. The token is signed and expires
(`REVAYAT_PREVIEW_TOKEN_SECONDS`); it names that one preview row and that one page, so it grants exactly
that draft: not a later edit, not another page. `/api/v2/preview/` (`cms.api.preview_endpoint`) serves
it as the page's usual JSON.
"""

import secrets

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _
from wagtail_headless_preview.models import HeadlessBase, HeadlessPreviewMixin, PagePreview
from wagtail_headless_preview.settings import headless_preview_settings

SALT = "revayat.api.preview"
HEADLESS_MODE = "headless"
NOINDEX = "noindex"


class PreviewTokenError(Exception):
    """The token is forged, expired or for something else."""


def make_token(preview, page):
    return signing.dumps({"preview": preview.pk, "page": page.pk, "type": page._meta.label_lower}, salt=SALT)


def read_token(token):
    """The token's payload; PreviewTokenError if it is forged or older than REVAYAT_PREVIEW_TOKEN_SECONDS."""
    try:
        return signing.loads(token, salt=SALT, max_age=settings.REVAYAT_PREVIEW_TOKEN_SECONDS)
    except signing.SignatureExpired as error:
        raise PreviewTokenError("preview token has expired") from error
    except signing.BadSignature as error:
        raise PreviewTokenError("preview token is not valid") from error


class HeadlessPreview(HeadlessPreviewMixin):
    """Adds the "External frontend" preview mode to a page type; other modes preview as before."""

    @property
    def preview_modes(self):
        modes = list(super().preview_modes)
        if headless_preview_settings.CLIENT_URLS:
            modes.append((HEADLESS_MODE, _("External frontend")))
        return modes

    def serve_preview(self, request, mode_name):
        if mode_name != HEADLESS_MODE:
            response = super(HeadlessBase, self).serve_preview(request, mode_name)
        else:
            response = super().serve_preview(request, mode_name)
        response["X-Robots-Tag"] = NOINDEX  # a draft is never a search result, even if its URL leaks
        return response

    def create_page_preview(self):
        preview = PagePreview.objects.create(
            token=secrets.token_urlsafe(32), content_type=self.content_type, content_json=self.to_json()
        )
        preview.token = make_token(preview, self)
        preview.save(update_fields=["token"])
        return preview

    @classmethod
    def get_page_from_preview_token(cls, token):
        payload = read_token(token)
        preview = PagePreview.objects.filter(pk=payload["preview"], token=token).first()
        return preview and preview.as_page()
