"""The confidentiality sign-off task: approving it requires the written approval and a note."""

from django.db import models, transaction
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import AbstractGroupApprovalTask, Page, TaskState


class WrittenApprovalTaskState(TaskState):
    """A sign-off task state with the evidence of the approval: the document and the approver's note."""

    approval_document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("written approval"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("written approval task state")
        verbose_name_plural = _("written approval task states")

    def get_comment(self):
        """The note and the written approval: a link for those who may open it (`documents.viewing_as`)."""
        if self.approval_document_id is None:
            return self.comment
        from cms.workflow.documents import written_approval_link

        link = written_approval_link(self.approval_document)
        if link is None:
            return f"{self.comment} — {self.approval_document.title}"  # text: escaped where shown
        return format_html("{} — {}", self.comment, link)

    def log_state_change_action(self, user, action):
        """The log keeps the plain note (the history adds the link for whoever reads it)."""
        from cms.workflow.documents import viewing_as

        with viewing_as(None):
            super().log_state_change_action(user, action)


class WrittenApprovalTask(AbstractGroupApprovalTask):
    """Members of the chosen groups approve only with a written-approval document and a note."""

    task_state_class = WrittenApprovalTaskState

    class Meta:
        verbose_name = _("written approval task")
        verbose_name_plural = _("written approval tasks")

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups approve with a written-approval document from the "
            "restricted collection and a note."
        )

    def get_actions(self, obj, user):
        if user.is_superuser or self._user_in_groups(user):
            return [
                ("reject", _("Request changes"), True),
                ("approve", _("Approve with written approval"), True),
            ]
        return []

    def get_form_for_action(self, action):
        from cms.workflow.forms import WrittenApprovalForm

        return WrittenApprovalForm if action == "approve" else super().get_form_for_action(action)

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        """Approve only with valid evidence, whichever view (or crafted request) calls this; the plan's
        other pages chosen in the dialog (`bundle`) are approved with the same evidence, each on its own
        page and revision, all or none."""
        if action_name != "approve":
            return super().on_action(task_state, user, action_name, **kwargs)
        from cms.workflow.forms import WrittenApprovalForm

        page = task_state.revision.content_object
        candidates = {p.pk: state for state, p in bundle_candidates(page, user)}
        form = WrittenApprovalForm(kwargs, user=user, bundle_choices=[(pk, pk) for pk in candidates])
        if not form.is_valid():
            raise WrittenApprovalMissing(form)
        document, note = form.chosen_document, form.cleaned_data["comment"]
        approve_with_evidence(task_state, user, document, note)
        for page_id in form.cleaned_data.get("bundle") or []:
            approve_with_evidence(candidates[page_id], user, document, note)
        return None


def approve_with_evidence(task_state, user, document, note):
    """Approve one page's sign-off with its written approval, logged on that page and revision."""
    task_state = task_state.specific
    bind_to_latest_revision(task_state, user)
    task_state.approval_document = document
    task_state.save(update_fields=["approval_document"])
    page = task_state.revision.as_object()
    log(
        instance=page,
        action="revayat.written_approval",
        user=user,
        revision=task_state.revision,
        data={
            "document": {"id": document.pk, "title": document.title},
            "note": note,
            "task_state_id": task_state.pk,
        },
    )
    task_state.approve(user=user, comment=note)


def bind_to_latest_revision(task_state, user):
    """The sign-off approves the revision that goes live (the latest): refused if someone else changed
    the page since the sign-off started; the approver's own edit, saved with the approval, is theirs."""
    latest = task_state.revision.content_object.get_latest_revision()
    if latest.pk == task_state.revision_id:
        return
    if latest.user_id != user.pk:
        from cms.publication import ChecklistItem, PublishBlockedError

        raise PublishBlockedError(
            [
                ChecklistItem(
                    "sign-off-outdated",
                    _(
                        "The page was changed after this sign-off started: request changes so that the new "
                        "version goes through the review again."
                    ),
                    False,
                )
            ]
        )
    task_state.revision = latest
    task_state.save(update_fields=["revision"])


class WrittenApprovalMissing(Exception):
    """Raised when the sign-off is approved without a valid written approval; carries the form errors."""

    def __init__(self, form):
        self.form = form
        super().__init__("; ".join(str(error) for errors in form.errors.values() for error in errors))


# The plan bundle: pages approved together in the sign-off dialog (`cms.workflow.approval`).
def awaiting_sign_off(user, exclude_page=None):
    """Task states of pages in progress at a written-approval sign-off that `user` may approve."""
    states = WrittenApprovalTaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS).select_related(
        "revision", "task"
    )
    if exclude_page is not None:
        states = states.exclude(revision__object_id=str(exclude_page.pk))
    return [
        state
        for state in states
        if isinstance(state.task.specific, WrittenApprovalTask)
        and state.task.specific.get_actions(state.revision.content_object, user)
    ]


def bundle_candidates(page, user):
    """The plan's other pages waiting for the same sign-off: its descendants (summary, media pages,
    episodes) and the translations of the plan and of those, which `user` may approve."""
    page = page.specific if isinstance(page, Page) else page
    family = Page.objects.filter(Q(pk=page.pk) | Q(path__startswith=page.path, depth__gt=page.depth))
    keys = family.values("translation_key")
    related = Page.objects.filter(Q(pk__in=family.values("pk")) | Q(translation_key__in=keys)).exclude(
        pk=page.pk
    )
    related_ids = {str(pk) for pk in related.values_list("pk", flat=True)}
    states = [state for state in awaiting_sign_off(user, page) if state.revision.object_id in related_ids]
    pages = {p.pk: p for p in Page.objects.filter(pk__in=[int(s.revision.object_id) for s in states])}
    return sorted(
        [(state, pages[int(state.revision.object_id)]) for state in states],
        key=lambda pair: pair[1].path,
    )
