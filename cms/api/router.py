"""The v2 router: pages, images and documents, plus the endpoints other packages plug in (media).

Extension point: `REVAYAT_API_EXTRA_ENDPOINTS = {"media": "media_pipeline.api.MediaEndpoint"}` registers
`/api/v2/media/`. The endpoint subclasses `cms.api.endpoints.PublicEndpointMixin` and, for example,
wagtailmedia's `MediaAPIViewSet`, filters through `cms.visibility`, and may define
`openapi_item_schema()` to describe its items precisely in `/api/schema/` (see `cms/api/README.md`).
"""

from django.conf import settings
from django.utils.module_loading import import_string
from wagtail.api.v2.router import WagtailAPIRouter

from cms.api.endpoints import DocumentsEndpoint, ImagesEndpoint, PagesEndpoint

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesEndpoint)
api_router.register_endpoint("images", ImagesEndpoint)
api_router.register_endpoint("documents", DocumentsEndpoint)
for _name, _path in getattr(settings, "REVAYAT_API_EXTRA_ENDPOINTS", {}).items():
    api_router.register_endpoint(_name, import_string(_path))
