"""Search's part in the admin and the API document."""

from wagtail import hooks

from search.openapi import search_operation


@hooks.register("register_api_operations")
def search_api_operations():
    """/api/v2/search/ in the OpenAPI document (cms.api.openapi)."""
    operation, schemas = search_operation()
    return [("/api/v2/search/", operation, schemas)]
