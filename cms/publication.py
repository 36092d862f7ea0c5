"""The publication gate: the one check every page revision passes on its way to live.

Every page publication in Wagtail runs `PublishPageRevisionAction` (the page editor and the admin API
call it directly; `Page.publish()`, workflows, bulk actions, reverts, `run_scheduler` and
`publish_scheduled`, wagtail-localize and scripts through `Page.publish()`), so `install()` puts
`check(revision, user)` in front of it, inside the transaction that publishes (the page goes live
together with its distribution outbox rows, or not at all). The revision must

- be complete: the page's own publish-readiness checklist (`publish_checklist()`);
- meet every registered requirement. The core knows no workflow: apps register what they demand with
  `register_requirement(func)`, where `func(revision)` returns the `ChecklistItem`s still missing for
  that exact revision (the workflow registers its confidentiality sign-off with the written approval).

A force publish (GOV.UK's "force publish", approved retrospectively) skips the registered requirements,
never the checklist. It happens only inside `forced(reason, user)`, for a superuser or for code run by
the operator (`user=None`: the demo loader), always with a reason, and is written to the audit log as
`revayat.force_publish` with the reason and what was skipped.
"""

import contextvars
import functools
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import PageLogEntry

FORCE_PUBLISH_ACTION = "revayat.force_publish"

_requirements = []
_forced = contextvars.ContextVar("revayat_force_publish", default=None)


@dataclass(frozen=True)
class ChecklistItem:
    """One publish-readiness requirement and whether the page meets it."""

    code: str
    label: str
    done: bool


class PublishBlockedError(ValidationError):
    """Raised when a revision that misses a mandatory element or an approval is published."""

    def __init__(self, missing):
        self.missing = list(missing)
        super().__init__(
            {NON_FIELD_ERRORS: [ValidationError(item.label, code=item.code) for item in self.missing]}
        )


@dataclass(frozen=True)
class Force:
    reason: str
    user: object


def register_requirement(requirement):
    """Add `requirement(revision) -> [missing ChecklistItem]` to the gate (once, however often called)."""
    if requirement not in _requirements:
        _requirements.append(requirement)
    return requirement


@contextmanager
def forced(reason, user=None):
    """Publications inside this block may skip the registered requirements, audited with `reason`."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("A force publish needs a reason."), code="force-reason")
    if user is not None and not user.is_superuser:
        raise PermissionDenied(_("Only superusers may force-publish."))
    token = _forced.set(Force(reason, user))
    try:
        yield
    finally:
        _forced.reset(token)


def missing_approvals(revision):
    """What the registered requirements still miss for this revision."""
    return [item for requirement in _requirements for item in requirement(revision)]


def check(revision, user=None):
    """Refuse (PublishBlockedError) a revision that may not go live; log a force publish that may.

    Returns the `Force` used, or None when the revision passed on its own.
    """
    page = revision.as_object()
    missing = getattr(page, "missing_for_publication", list)()
    if missing:
        raise PublishBlockedError(missing)
    missing = missing_approvals(revision)
    if not missing:
        return None
    if PageLogEntry.objects.filter(revision=revision, action=FORCE_PUBLISH_ACTION).exists():
        return None  # forced when it was scheduled: its go-live needs no second reason
    force = _forced.get()
    if force is None or (user is not None and force.user is not None and user.pk != force.user.pk):
        raise PublishBlockedError(missing)
    log(
        instance=page,
        action=FORCE_PUBLISH_ACTION,
        user=force.user,
        revision=revision,
        data={"reason": force.reason, "skipped": [str(item.label) for item in missing]},
    )
    return force


def install():
    """Put the gate in front of Wagtail's page actions that make a page live (once).

    - publishing a revision: checked here;
    - copying with "keep live" (the copy view's "publish copies", the admin API's `keep_live`): a copy
      is a new page whose revision has no approvals of its own, so copies are always drafts;
    - creating an alias of a live page (the copy view, the admin API, wagtail-localize's tree sync):
      the alias would be live at once in an unreviewed place, so it is refused, except inside
      `forced()` (audited; its privacy still follows the original's, `cms.visibility`).
    """
    from wagtail.actions.copy_page import CopyPageAction
    from wagtail.actions.create_alias import CreatePageAliasAction
    from wagtail.actions.publish_page_revision import PublishPageRevisionAction

    if getattr(PublishPageRevisionAction.execute, "publication_gate", False):
        return
    publish, copy, alias = (
        PublishPageRevisionAction.execute,
        CopyPageAction.__init__,
        CreatePageAliasAction.execute,
    )

    @functools.wraps(publish)
    def gated_publish(self, skip_permission_checks=False):
        with transaction.atomic():  # the page goes live together with its distribution outbox rows
            check(self.revision, user=self.user)
            return publish(self, skip_permission_checks=skip_permission_checks)

    @functools.wraps(copy)
    def draft_copy(self, *args, **kwargs):
        copy(self, *args, **kwargs)
        self.keep_live = False

    @functools.wraps(alias)
    def gated_alias(self, *args, **kwargs):
        pages = self.page.get_descendants(inclusive=True) if self.recursive else [self.page]
        force = _forced.get()
        if force is not None:  # the operator's own aliases (a reason given), audited like a force publish
            log(
                instance=self.page,
                action=FORCE_PUBLISH_ACTION,
                user=force.user,
                data={"reason": force.reason, "skipped": [str(_("an alias of a live page"))]},
            )
        elif any(page.live for page in pages):
            raise PublishBlockedError(
                [
                    ChecklistItem(
                        "alias-of-live-page",
                        _(
                            "An alias of a live page would be published in its new place "
                            "without review: make a copy and submit it instead."
                        ),
                        False,
                    )
                ]
            )
        return alias(self, *args, **kwargs)

    gated_publish.publication_gate = True
    PublishPageRevisionAction.execute = gated_publish
    CopyPageAction.__init__ = draft_copy
    CreatePageAliasAction.execute = gated_alias
