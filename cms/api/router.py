"""The v2 router: pages, images, documents and media (each filtered through `cms.visibility`)."""

from wagtail.api.v2.router import WagtailAPIRouter

from cms import visibility
from cms.api.endpoints import DocumentsEndpoint, ImagesEndpoint, PagesEndpoint
from cms.api.media import MediaEndpoint

api_router = WagtailAPIRouter("wagtailapi")
for name, endpoint in (
    ("pages", PagesEndpoint),
    ("images", ImagesEndpoint),
    ("documents", DocumentsEndpoint),
    ("media", MediaEndpoint),
):
    api_router.register_endpoint(name, endpoint)
    visibility.register_door(f"api_{name}", endpoint)
