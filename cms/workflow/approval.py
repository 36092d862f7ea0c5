"""Sign-off in one place: the approval dialog and the views that answer it.

Wagtail's workflow dialog posts its form without files and shows nothing of what is approved. Here:

- the approver uploads the signed approval in the dialog itself (stored in the restricted collection,
  `WrittenApprovalForm.clean`), or picks one already uploaded, and writes the note;
- the dialog shows what is approved: the revision, a link to Wagtail's revision comparison against the
  last approved revision, the translation share, the deliverables the publication builds, and the pages
  of the same plan (its summary, media pages, translations) waiting for the same sign-off, which the
  approver may approve together, each still recorded on its own page and revision
  (`WrittenApprovalTask.on_action`);
- after any workflow action (review or sign-off) the user gets a message saying what happened.

The page views of Wagtail's workflow dialog are replaced on its `PageViewSet` (`install()`), so every
page type gets them.
"""

from django.contrib import messages
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views.pages.workflow import CollectWorkflowActionDataView, WorkflowActionView
from wagtail.models import TaskState

from cms.i18n import localize_digits
from cms.workflow.models import WrittenApprovalTask, WrittenApprovalTaskState, bundle_candidates

# The deliverables a publication builds, by the keys content types return from `get_deliverables()`.
DELIVERABLE_LABELS = {
    "report_pdf": gettext_lazy("Report (PDF)"),
    "summary_pdf": gettext_lazy("Executive summary (PDF)"),
    "guide_pdf": gettext_lazy("Implementation guide and checklists (PDF)"),
    "epub": gettext_lazy("E-book (EPUB)"),
    "pptx": gettext_lazy("Presentation (PPTX)"),
    "package": gettext_lazy("Knowledge-transfer package"),
    "qr": gettext_lazy("QR code"),
    "qr_svg": gettext_lazy("QR code (SVG)"),
    "source_package": gettext_lazy("Source package"),
}


def last_approved_revision(page):
    """The revision of this page last approved at a written-approval sign-off (else the live one)."""
    state = (
        WrittenApprovalTaskState.objects.filter(
            revision__object_id=str(page.pk),
            revision__base_content_type=page.get_base_content_type(),
            status=TaskState.STATUS_APPROVED,
        )
        .order_by("-finished_at", "-pk")
        .select_related("revision")
        .first()
    )
    return state.revision if state else page.live_revision


def approval_summary(page, task_state):
    """What the approval dialog shows about the revision being approved."""

    page = page.specific
    revision = page.get_latest_revision() or task_state.revision
    previous = last_approved_revision(page)
    compare_url = None
    if previous is not None and previous.pk != revision.pk:
        compare_url = reverse(
            "wagtailadmin_pages:revisions_compare", args=[page.pk, previous.pk, revision.pk]
        )
    deliverables = getattr(page, "get_deliverables", dict)() or {}
    return {
        "revision": revision,
        "revision_number": localize_digits(revision.pk),
        "previous_revision": previous,
        "compare_url": compare_url,
        "deliverables": [str(DELIVERABLE_LABELS.get(key, key)) for key in deliverables],
    }


class SignOffViewMixin:
    """The dialog's form gets the request's files and user; the dialog gets the approval summary."""

    def is_sign_off(self):
        return self.action_name == "approve" and isinstance(self.task, WrittenApprovalTask)

    def get_form_class(self):
        form_class = super().get_form_class()
        if form_class is None or not self.is_sign_off():
            return form_class
        request, page = self.request, self.object

        def bound_form(data=None):
            return form_class(
                data,
                request.FILES if data is not None else None,
                user=request.user,
                store_upload=True,
                bundle_choices=[
                    (p.pk, p.get_admin_display_title()) for _s, p in bundle_candidates(page, request.user)
                ],
            )

        return bound_form

    def get_template_names(self):
        if self.is_sign_off():
            return ["cms/workflow/approval_modal.html"]
        return super().get_template_names()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.is_sign_off():
            context["summary"] = approval_summary(self.object, self.task_state)
        return context


class SignOffWorkflowActionView(SignOffViewMixin, WorkflowActionView):
    """Performs the action; afterwards tells the reviewer or approver what happened."""

    def post(self, request, *args, **kwargs):
        before = self.task_state.status
        response = super().post(request, *args, **kwargs)
        state = TaskState.objects.filter(pk=self.task_state.pk).first()
        if state is not None and state.status != before:
            title = self.object.get_admin_display_title()
            if state.status == TaskState.STATUS_APPROVED:
                bundled = len(request.POST.getlist("bundle")) if self.is_sign_off() else 0
                message = _("Approved: “%(title)s”.") % {"title": title}
                if bundled:
                    message += " " + _("%(count)s more pages of the plan were approved with it.") % {
                        "count": localize_digits(bundled)
                    }
                messages.success(request, message)
            elif state.status == TaskState.STATUS_REJECTED:
                messages.success(request, _("Changes were requested on “%(title)s”.") % {"title": title})
        return response


class SignOffCollectDataView(SignOffViewMixin, CollectWorkflowActionDataView):
    """The editor's "approve while editing": the same dialog; the edit view performs the action."""


def install():
    """Give every page type the sign-off dialog (once)."""
    from wagtail.admin.viewsets.pages import PageViewSet

    PageViewSet.workflow_action_view_class = SignOffWorkflowActionView
    PageViewSet.collect_workflow_action_data_view_class = SignOffCollectDataView
