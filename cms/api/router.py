"""The v2 router: pages, images, documents and media (each filtered through `cms.visibility`)."""

from wagtail.api.v2.router import WagtailAPIRouter

from cms.api.endpoints import DocumentsEndpoint, ImagesEndpoint, PagesEndpoint
from cms.api.media import MediaEndpoint

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesEndpoint)
api_router.register_endpoint("images", ImagesEndpoint)
api_router.register_endpoint("documents", DocumentsEndpoint)
api_router.register_endpoint("media", MediaEndpoint)
