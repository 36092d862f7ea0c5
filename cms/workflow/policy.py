"""Server-side rules of publication: only the workflow publishes, and refusals come with a message.

Wagtail lets anyone with the "publish" page permission publish directly, and quietly turns a publish
request from anyone else into a draft save. Here, for every page under a workflow:

- a direct "Publish" (page editor, translation editor, page creation, bulk action) is refused for
  everyone but superusers (break-glass accounts, recorded in the audit log like anyone else);
- the sign-off approval from the editor is checked for its written approval before anything is saved;
- a translator cannot edit a snippet in the source language;
- a translation below 100% is submitted only with an explicit "publish partially translated", and
  its share is shown on the workflow screens (the editor's header, the approval modal, the history);
- a publication blocked by the page's readiness checklist, or a sign-off without its written approval,
  reaching an admin view becomes a message listing what is missing instead of a server error;
- the publication gate (`cms.publication`) demands, for the very revision going live, an approved
  confidentiality sign-off with its written approval (`sign_off_missing`, registered by the workflow);
- a superuser's direct publication is a force publish: refused without a reason, audited with it.
"""

import json

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.action_menu import PublishMenuItem
from wagtail.admin.modal_workflow import render_modal_workflow
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.log_actions import log
from wagtail.models import TaskState
from wagtail_localize.models import Translation

from cms import publication
from cms.i18n import localize_digits
from cms.publication import ChecklistItem, PublishBlockedError
from cms.workflow import access, roles
from cms.workflow.documents import viewing_as
from cms.workflow.forms import WrittenApprovalForm
from cms.workflow.models import WrittenApprovalMissing, WrittenApprovalTask, WrittenApprovalTaskState
from cms.workflow.slugs import apply_slug, is_latin_locale, slug_error
from cms.workflow.translations import translation_progress

FORCE_REASON_FIELD = "revayat-force-reason"
PARTIAL_FIELD = "revayat-partial"
SLUG_FIELD = "revayat-slug"
TRANSLATION_SUBMITTED = "revayat.translation_submitted"


def sign_off_missing(revision):
    """The gate's workflow requirement: this revision's sign-off, approved with its written approval."""
    signed = WrittenApprovalTaskState.objects.filter(
        revision=revision, status=TaskState.STATUS_APPROVED, approval_document__isnull=False
    ).exists()
    return (
        []
        if signed
        else [
            ChecklistItem(
                "sign-off",
                _("A confidentiality sign-off with its written approval, for this very version"),
                False,
            )
        ]
    )


def publish_requested(request):
    """Whether this POST asks to publish (the page editor's button or the translation editor's)."""
    return request.method == "POST" and (
        "action-publish" in request.POST or request.POST.get("action") == "publish"
    )


def force_reason(request):
    """The reason a superuser gave for a force publish in this request (empty if none)."""
    return request.POST.get(FORCE_REASON_FIELD, "").strip() if request.method == "POST" else ""


def direct_publishing_refused(user, page, reason=None):
    """Why a direct publication of `page` by `user` is refused (None if allowed); `reason`: a force
    publish's reason, None when only asking whether to offer the button."""
    if user.is_superuser:
        if reason is not None and not reason:
            return _(
                "Publishing without the workflow is a force publish: give its reason, which is "
                "kept in the audit log."
            )
        return None
    if not page.permissions_for_user(user).can_publish():
        return _(
            "You are not allowed to publish. Submit the page for review: it goes live once it is approved."
        )
    if page.get_workflow() is not None:
        return _(
            "Pages are published only through the publication workflow (editorial review, then "
            "confidentiality sign-off with the written approval). Submit the page for review."
        )
    return None


def _refuse(request, message, url):
    messages.error(request, message)
    return redirect(url)


def submit_translation_for_review(request, page):
    """The translation editor's "Submit for review": save the translated draft, start the workflow.

    Below 100% translated, only with the translator's explicit "publish partially translated", which
    is logged with the share and shown to the reviewer and the approver.
    """
    translation = Translation.objects.filter(
        source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
    ).first()
    workflow = page.get_workflow()
    if translation is None or workflow is None:
        return _refuse(
            request, _("This page is not a translation under the publication workflow."), request.path
        )
    if page.workflow_in_progress:
        return _refuse(request, _("This translation is already in review."), request.path)
    percent = translation_progress(page)
    partial = bool(request.POST.get(PARTIAL_FIELD))
    if percent < 100 and not partial:
        return _refuse(
            request,
            _(
                "Only %(percent)s%% of this page is translated. Translate the rest, or "
                "tick “Publish partially translated” to submit it as it is."
            )
            % {"percent": localize_digits(percent)},
            request.path,
        )
    slug = request.POST.get(SLUG_FIELD, "").strip().lower() or page.slug  # confirmed as it is
    if is_latin_locale(page.locale) and (error := slug_error(page, slug)):
        return _refuse(request, error, request.path)
    translation.save_target(user=request.user, publish=False)
    page = page.specific_class.objects.get(pk=page.pk)
    if slug and is_latin_locale(page.locale):
        apply_slug(page, slug)  # the translator's English address, in the revision under review
    workflow.start(page, request.user)
    log(
        instance=page,
        action=TRANSLATION_SUBMITTED,
        user=request.user,
        revision=page.get_latest_revision(),
        data={"percent": percent, "partial": percent < 100},
    )
    messages.success(request, _("The translation was submitted for review."))
    return redirect(request.path)


def translation_note(page):
    """What the reviewer and approver are told about a translation's completeness (None for a source)."""
    percent = translation_progress(page)
    if percent is None:
        return None
    if percent < 100:
        return _(
            "Translated: %(percent)s%% — submitted as partially translated: the untranslated text "
            "is published in the source language."
        ) % {"percent": localize_digits(percent)}
    return _("Translated: %(percent)s%%") % {"percent": localize_digits(percent)}


def before_edit_page(request, page):
    if request.method != "POST":
        if page.workflow_in_progress and (note := translation_note(page)):
            messages.info(request, note)  # the editor's header, for whoever opens it during review
        return None
    edit_url = request.path
    if request.POST.get("action") == "revayat-submit":
        return submit_translation_for_review(request, page)
    if publish_requested(request):
        refusal = direct_publishing_refused(request.user, page, force_reason(request))
        if refusal:
            return _refuse(request, refusal, edit_url)
    if "action-workflow-action" in request.POST and request.POST.get("workflow-action-name") == "approve":
        task = page.current_workflow_task
        if isinstance(task, WrittenApprovalTask):
            try:
                data = json.loads(request.POST.get("workflow-action-extra-data") or "{}")
            except ValueError:
                data = {}
            data = (
                {key: value for key, value in data.items() if key != "bundle"}
                if isinstance(data, dict)
                else {}
            )
            form = WrittenApprovalForm(data)  # the bundle is checked by the task itself
            if not form.is_valid():
                return _refuse(request, WrittenApprovalMissing(form).args[0], edit_url)
    return None


def before_create_page(request, parent_page, page_class):
    if publish_requested(request):
        refusal = direct_publishing_refused(request.user, parent_page, force_reason(request))
        if refusal:
            return _refuse(request, refusal, request.path)
    return None


def before_bulk_action(request, action_type, objects, action_class_instance):
    if action_type != "publish" or request.method != "POST":
        return None
    for page in objects:
        refusal = direct_publishing_refused(request.user, page, force_reason(request))
        if refusal:
            return _refuse(request, refusal, get_valid_next_url_from_request(request) or "wagtailadmin_home")
    return None


class ForcePublishMenuItem(PublishMenuItem):
    """A superuser's "Publish", with the force publish's required reason beside it."""

    label = gettext_lazy("Force publish")
    template_name = "cms/workflow/force_publish_menu_item.html"

    def get_context_data(self, parent_context):
        return {**super().get_context_data(parent_context), "reason_field": FORCE_REASON_FIELD}


def construct_page_action_menu(menu_items, request, context):
    """Hide "Publish" where it would be refused anyway (a superuser's asks for the force reason), and
    wagtail-localize's "Convert to alias", which is always refused (`cms.workflow.localize`)."""
    menu_items[:] = [item for item in menu_items if item.name != "localize-convert-to-alias"]
    page = context.get("page")
    if page is None:
        return
    if request.user.is_superuser:
        menu_items[:] = [
            ForcePublishMenuItem(order=item.order) if item.name == "action-publish" else item
            for item in menu_items
        ]
        return
    target = page if page.pk else context.get("parent_page")
    if target is not None and direct_publishing_refused(request.user, target):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


def before_edit_snippet(request, instance):
    locale = getattr(instance, "locale", None)
    if (
        locale is not None
        and locale.language_code not in roles.TRANSLATION_LANGUAGES
        and roles.is_translator_only(request.user)
    ):
        return _refuse(
            request,
            _("Translators work on translations only; the Persian source is edited by editors."),
            "wagtailadmin_home",
        )
    return None


class WorkflowRefusalMiddleware:
    """Carries a superuser's force-publish reason to the gate; turns a blocked publication or a
    sign-off without written approval into a message in the admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        admin = request.path.startswith("/admin/")
        reason = force_reason(request) if admin else ""
        if reason and request.user.is_superuser:
            with publication.forced(reason, request.user):  # checked and audited by the gate
                return self.get_response(request)
        if admin and request.method == "GET":
            with viewing_as(request.user):  # the history's written-approval links, for those allowed
                return self.get_response(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        """A sign-off approval posted without the written approval, outside the modal, gets a message.
        A translator's page chooser views are the ones of `cms.workflow.access`.

        (Wagtail's workflow action view would silently redirect; the modal shows the form's errors.)
        """
        if (chooser := access.translator_chooser_view(request, view_kwargs)) is not None:
            return chooser  # a translator's page chooser shows live titles (cms.workflow.access)
        match = request.resolver_match
        if (
            request.method != "POST"
            or match is None
            or view_kwargs.get("action_name") != "approve"
            or match.view_name != "wagtailadmin_pages:workflow_action"
            or request.headers.get("x-requested-with") == "XMLHttpRequest"
        ):
            return None
        task_state = TaskState.objects.filter(pk=view_kwargs.get("task_state_id")).first()
        if task_state is None or not isinstance(task_state.task.specific, WrittenApprovalTask):
            return None
        data = request.POST.copy()
        data.pop("bundle", None)  # the bundle is checked by the task itself
        form = WrittenApprovalForm(data, request.FILES, user=request.user)
        if form.is_valid():
            return None
        messages.error(request, WrittenApprovalMissing(form).args[0])
        return redirect(
            get_valid_next_url_from_request(request)
            or reverse("wagtailadmin_pages:edit", args=[view_kwargs["page_id"]])
        )

    def process_exception(self, request, exception):
        if isinstance(exception, PublishBlockedError):
            message = " ".join(
                [
                    _("This page cannot be published yet. Missing:"),
                    "؛ ".join(str(item.label) for item in exception.missing),
                ]
            )
        elif isinstance(exception, WrittenApprovalMissing):
            message = exception.args[0]
        else:
            return None
        messages.error(request, message)
        url = get_valid_next_url_from_request(request) or request.META.get("HTTP_REFERER") or "/admin/"
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            if request.path.startswith("/admin/") and "/workflow/" in request.path:
                return render_modal_workflow(
                    request, "", None, {}, json_data={"step": "success", "redirect": url}
                )
            return JsonResponse({"success": False, "error_message": message}, status=400)
        return redirect(url)
