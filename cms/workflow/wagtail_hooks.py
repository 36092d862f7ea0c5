"""Admin wiring of the workflow: the publication rules, the written-approval and role history entries,
the translation status report, the guarded PO import, the translation editor's direction, and what each
role may see and open (`cms.workflow.access`: its URLs shadow wagtail-localize's, same paths, matched
first because this app comes before wagtail_localize in INSTALLED_APPS)."""

from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html, json_script
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.documents import get_document_model
from wagtail.log_actions import LogFormatter
from wagtail.models import BaseViewRestriction

from cms.i18n import localize_digits
from cms.workflow import access, policy, slugs, translations
from cms.workflow.documents import written_approval_link

# Publication rules (run before wagtail-localize's own hooks, which answer translation-editor POSTs).
hooks.register("before_edit_page", policy.before_edit_page, order=-10)
hooks.register("before_create_page", policy.before_create_page, order=-10)
hooks.register("before_bulk_action", policy.before_bulk_action, order=-10)
hooks.register("before_edit_snippet", policy.before_edit_snippet, order=-10)
hooks.register("construct_page_action_menu", policy.construct_page_action_menu)
hooks.register("construct_page_chooser_queryset", access.filter_page_chooser)
hooks.register("construct_explorer_page_queryset", access.filter_explorer)
# A translation's completeness on the workflow screens.
hooks.register("revayat_workflow_notes", policy.translation_note)


@hooks.register("register_log_actions")
def register_translation_submitted_log_action(actions):
    @actions.register_action(policy.TRANSLATION_SUBMITTED)
    class TranslationSubmittedFormatter(LogFormatter):
        label = _("Translation submitted for review")

        def format_message(self, log_entry):
            if log_entry.data.get("partial"):
                return _("Submitted for review at %(percent)s%% translated, as partially translated") % {
                    "percent": localize_digits(log_entry.data.get("percent"))
                }
            return _("Submitted for review, fully translated")


@hooks.register("register_log_actions")
def register_written_approval_log_action(actions):
    @actions.register_action("revayat.written_approval")
    class WrittenApprovalFormatter(LogFormatter):
        label = _("Written approval attached")

        def format_message(self, log_entry):
            document = log_entry.data.get("document", {})
            return _("Written approval “%(document)s” attached: %(note)s") % {
                "document": document.get("title", ""),
                "note": log_entry.data.get("note", ""),
            }

        def format_comment(self, log_entry):
            """The approval itself, as a link, for those who may open it (the history escapes messages,
            not comments: Wagtail capitalizes messages into plain text)."""
            document = get_document_model().objects.filter(pk=log_entry.data.get("document", {}).get("id"))
            return written_approval_link(document.first()) or ""

    actions.register_action(
        "revayat.translation_import", _("Translation imported"), _("Translation imported from a PO file")
    )

    @actions.register_action("revayat.permissions_changed")
    class PermissionsChangedFormatter(LogFormatter):
        label = _("Permissions changed")

        def format_message(self, log_entry):
            return _("Permissions changed: %(change)s") % {"change": log_entry.data.get("change", "")}


@hooks.register("register_admin_urls")
def register_workflow_admin_urls():
    return [
        # Shadows wagtail-localize's own PO import URL (same path, matched first) with the checked one.
        path(
            "localize/translate/<int:translation_id>/pofile/upload/",
            translations.upload_pofile,
            name="revayat_upload_pofile",
        ),
        # Shadows wagtail-localize's PO download: the file is named after the page in English.
        path(
            "localize/translate/<int:translation_id>/pofile/download/",
            slugs.download_pofile,
            name="revayat_download_pofile",
        ),
        path(
            "revayat/translation/<int:translation_id>/slug/",
            slugs.slug_info,
            name="revayat_translation_slug",
        ),
        path(
            "localize/submit/page/<int:page_id>/",
            access.submit_page_translation,
            name="revayat_submit_page_translation",
        ),
        path(
            "localize/update/<int:translation_source_id>/",
            access.update_translations_view,
            name="revayat_update_translations",
        ),
        path(
            "localize/api/snippets/<slug:app_label>/<slug:model_name>/",
            access.snippets_api_view("list"),
            name="revayat_snippets_api_listing",
        ),
        path(
            "localize/api/snippets/<slug:app_label>/<slug:model_name>/<str:pk>/",
            access.snippets_api_view("retrieve"),
            name="revayat_snippets_api_detail",
        ),
        path(
            "revayat/translation-status/",
            translations.TranslationStatusView.as_view(),
            name="revayat_translation_status",
        ),
        path(
            "revayat/translation-status/results/",
            translations.TranslationStatusView.as_view(results_only=True),
            name="revayat_translation_status_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_translation_status_menu_item():
    return MenuItem(
        _("Translation status"),
        reverse("revayat_translation_status"),
        icon_name="wagtail-localize-language",
        order=900,
    )


@hooks.register("insert_editor_js")
def translation_editor_js():
    """Direction and language on the translation editor's fields, and its "Submit for review" button."""
    config = {
        "submitLabel": str(_("Submit for review")),
        "partialLabel": str(_("Publish partially translated")),
        "slugLabel": str(_("English address (slug)")),
        "slugHelp": str(_("Lowercase Latin letters, digits and hyphens. Suggested:")),
        "useSuggestion": str(_("Use the suggestion")),
        "missingOnly": str(_("Show only untranslated segments")),
        "slugUrl": reverse("revayat_translation_slug", args=[0]),
    }
    return format_html(
        '{}<script src="{}" defer></script>',
        json_script(config, "revayat-translation-editor"),
        static("cms/workflow/translation_editor.js"),
    )


@hooks.register("insert_global_admin_js")
def approval_dialog_js():
    """The sign-off dialog's upload (`cms.workflow.approval`): on every admin screen that opens it."""
    return format_html('<script src="{}" defer></script>', static("cms/workflow/approval_dialog.js"))


@hooks.register("before_serve_document", order=-1)
def refuse_restricted_document_with_a_reason(document, request):
    """A logged-in user who may not open a restricted document gets a "you may not" page (403, in their
    language), not Wagtail's login page, which they are already past. Anonymous visitors still get the
    login page (Wagtail's own hook)."""
    if not request.user.is_authenticated:
        return None
    for restriction in document.collection.get_view_restrictions():
        if restriction.restriction_type in (
            BaseViewRestriction.LOGIN,
            BaseViewRestriction.GROUPS,
        ) and not restriction.accept_request(request):
            response = TemplateResponse(
                request, "cms/workflow/document_forbidden.html", {"document": document}, status=403
            )
            add_never_cache_headers(response)
            return response
    return None
