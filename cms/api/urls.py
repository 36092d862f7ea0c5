"""URLs under /api/: the v2 endpoints, navigation, headless preview, the schema and its docs."""

from django.urls import path, re_path

from cms import visibility
from cms.api import views
from cms.api.navigation import NavigationView
from cms.api.preview_endpoint import PreviewView
from cms.api.router import api_router

visibility.register_door("api_navigation", NavigationView)
visibility.register_door("api_preview", PreviewView)

urlpatterns = [
    path("v2/navigation/", NavigationView.as_view(), name="api-navigation"),
    path("v2/preview/", PreviewView.as_view(), name="api-preview"),
    path("v2/", api_router.urls),
    path("schema/", views.schema, name="api-schema"),
    path("docs/", views.docs, name="api-docs"),
    re_path(r"^(?P<path>.*)$", views.not_found),
]
