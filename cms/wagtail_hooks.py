"""Admin integration of the foundations: Revayat's panel styling (the publication checklist), Persian
digits on the Persian admin (cms/static/cms/admin_persian.js), the Jalali date picker of the Persian
admin, Draftail's link conversion through the sanitizer's URL check and the publication gate's audit entry."""

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from draftjs_exporter.dom import DOM
from wagtail import hooks
from wagtail.admin.rich_text.converters.contentstate import link_entity
from wagtail.admin.rich_text.converters.html_to_contentstate import (
    ExternalLinkElementHandler,
    PageLinkElementHandler,
)
from wagtail.log_actions import LogFormatter

from cms import i18n, publication
from cms.sanitize import safe_url


@hooks.register("insert_global_admin_css")
def readiness_checklist_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))


def _translate_site_columns():
    """Wagtail 8.0's site listing labels three columns from attribute names ("Port", "Site name", "Root
    page"), in English whatever the language: use the model fields' translated verbose names instead."""
    from wagtail.models import Site
    from wagtail.sites.views import IndexView

    for column in IndexView.columns:
        if column.name in ("port", "site_name", "root_page"):
            column.label = capfirst(Site._meta.get_field(column.name).verbose_name)


_translate_site_columns()


@hooks.register("insert_global_admin_js")
def persian_screens_js():
    """Persian digits on Persian admin screens, and Persian for the packages' few untranslatable literals."""
    return format_html('<script src="{}" defer></script>', static("cms/admin_persian.js"))


@hooks.register("insert_global_admin_css")
def jalali_picker_css():
    if not i18n.is_persian():
        return ""
    return format_html(
        '<link rel="stylesheet" href="{}">', static("vendor/jalalidatepicker/jalalidatepicker.min.css")
    )


@hooks.register("insert_global_admin_js")
def jalali_picker_js():
    """The Jalali picker on every date input of the Persian admin (`cms.jalali`, `cms/jalali_dates.js`)."""
    if not i18n.is_persian():
        return ""
    return format_html(
        '<script src="{}"></script>\n'
        '<script type="module">import {{ toJalaali }} from "{}"; import {{ start }} from "{}"; '
        "start({{ toJalaali }});</script>",
        static("vendor/jalalidatepicker/jalalidatepicker.min.js"),
        static("vendor/jalaali-js/jalaali.js"),
        static("cms/jalali_dates.js"),
    )


def safe_link_entity(props):
    """A Draftail link as HTML; an external address the sanitizer would refuse loses its href."""
    if props.get("id") is None and safe_url(props.get("url")) is None:
        return DOM.create_element("a", {}, props["children"])
    return link_entity(props)


@hooks.register("register_rich_text_features", order=1)  # after wagtail.admin's own "link" rule
def register_safe_link_conversion(features):
    """Wagtail's own URL check lets "java\u200bscript:" through; links use `safe_url` instead."""
    features.register_converter_rule(
        "contentstate",
        "link",
        {
            "from_database_format": {
                "a[href]": ExternalLinkElementHandler("LINK"),
                'a[linktype="page"]': PageLinkElementHandler("LINK"),
            },
            "to_database_format": {"entity_decorators": {"LINK": safe_link_entity}},
        },
    )


@hooks.register("register_log_actions")
def register_force_publish_log_action(actions):
    """The publication gate's audit entry: who forced which revision live, and why."""

    @actions.register_action(publication.FORCE_PUBLISH_ACTION)
    class ForcePublishFormatter(LogFormatter):
        label = _("Force published")

        def format_message(self, log_entry):
            return _("Force published without the workflow's approvals: %(reason)s") % {
                "reason": log_entry.data.get("reason", "")
            }
