"""Admin integration: Revayat's panel styling, the publication rules, the written-approval history
entry, the translation status view, the guarded PO import and the translation editor's direction."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html, json_script
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter

from cms.distribution import wagtail_hooks as distribution_hooks  # noqa: F401  (registers its hooks)
from cms.workflow import policy, translations
from cms.workflow import wagtail_hooks as workflow_hooks  # noqa: F401  (registers its hooks)


@hooks.register("insert_global_admin_css")
def readiness_checklist_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))


# Publication rules (run before wagtail-localize's own hooks, which answer translation-editor POSTs).
hooks.register("before_edit_page", policy.before_edit_page, order=-10)
hooks.register("before_create_page", policy.before_create_page, order=-10)
hooks.register("before_bulk_action", policy.before_bulk_action, order=-10)
hooks.register("before_edit_snippet", policy.before_edit_snippet, order=-10)
hooks.register("construct_page_action_menu", policy.construct_page_action_menu)


@hooks.register("register_log_actions")
def register_written_approval_log_action(actions):
    @actions.register_action("revayat.written_approval")
    class WrittenApprovalFormatter(LogFormatter):
        label = _("Written approval attached")

        def format_message(self, log_entry):
            document = log_entry.data.get("document", {})
            return _("Written approval “%(document)s” attached: %(note)s") % {
                "document": document.get("title", ""), "note": log_entry.data.get("note", "")}


    actions.register_action("revayat.translation_import", _("Translation imported"),
                            _("Translation imported from a PO file"))

    @actions.register_action("revayat.permissions_changed")
    class PermissionsChangedFormatter(LogFormatter):
        label = _("Permissions changed")

        def format_message(self, log_entry):
            return _("Permissions changed: %(change)s") % {"change": log_entry.data.get("change", "")}


@hooks.register("register_admin_urls")
def register_workflow_admin_urls():
    return [
        # Shadows wagtail-localize's own PO import URL (same path, matched first) with the checked one.
        path("localize/translate/<int:translation_id>/pofile/upload/", translations.upload_pofile,
             name="revayat_upload_pofile"),
        path("revayat/translation-status/", translations.translation_status_view,
             name="revayat_translation_status"),
    ]


@hooks.register("register_reports_menu_item")
def register_translation_status_menu_item():
    return MenuItem(_("Translation status"), reverse("revayat_translation_status"),
                    icon_name="wagtail-localize-language", order=900)


@hooks.register("insert_editor_js")
def translation_editor_js():
    """Direction and language on the translation editor's fields, and its "Submit for review" button."""
    config = {"submitLabel": str(_("Submit for review"))}
    return format_html('{}<script src="{}" defer></script>',
                       json_script(config, "revayat-translation-editor"),
                       static("cms/workflow/translation_editor.js"))

