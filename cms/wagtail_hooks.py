"""Admin integration of the foundations: Revayat's panel styling (the publication checklist) and
Draftail's link conversion through the sanitizer's URL check."""

from django.templatetags.static import static
from django.utils.html import format_html
from draftjs_exporter.dom import DOM
from wagtail import hooks
from wagtail.admin.rich_text.converters.contentstate import link_entity
from wagtail.admin.rich_text.converters.html_to_contentstate import (
    ExternalLinkElementHandler,
    PageLinkElementHandler,
)

from cms.sanitize import safe_url


@hooks.register("insert_global_admin_css")
def readiness_checklist_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))


def safe_link_entity(props):
    """A Draftail link as HTML; an external address the sanitizer would refuse loses its href."""
    if props.get("id") is None and safe_url(props.get("url")) is None:
        return DOM.create_element("a", {}, props["children"])
    return link_entity(props)


@hooks.register("register_rich_text_features", order=1)  # after wagtail.admin's own "link" rule
def register_safe_link_conversion(features):
    """Wagtail's own URL check lets "java\u200bscript:" through; links use `safe_url` instead."""
    features.register_converter_rule("contentstate", "link", {
        "from_database_format": {"a[href]": ExternalLinkElementHandler("LINK"),
                                 'a[linktype="page"]': PageLinkElementHandler("LINK")},
        "to_database_format": {"entity_decorators": {"LINK": safe_link_entity}},
    })
