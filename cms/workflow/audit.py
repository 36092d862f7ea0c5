"""Audit entries for permission changes made in the admin: who changed whose groups or permissions.

Wagtail already logs workflow actions, publications and page changes; changes to a user's groups, a
group's permissions, and a group's page or collection permissions are logged here as
`revayat.permissions_changed` on the user or group. Changes made without an admin user (migrations,
the roles' own synchronisation) are not logged.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.log_actions import get_active_log_context, log
from wagtail.models import GroupCollectionPermission, GroupPagePermission


def _log(instance, change):
    user = get_active_log_context().user
    if user is not None:
        log(instance=instance, action="revayat.permissions_changed", user=user, data={"change": change})


def on_m2m_changed(sender, instance, action, pk_set, model, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    names = sorted(str(item) for item in model.objects.filter(pk__in=pk_set or []))
    verb = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}[action]
    _log(instance, f"{model._meta.verbose_name_plural} {verb}: {', '.join(names)}".strip(": "))


def on_tree_permission_changed(sender, instance, **kwargs):
    target = getattr(instance, "page", None) or getattr(instance, "collection", None)
    verb = "removed" if kwargs.get("signal") is post_delete else "granted"
    _log(instance.group, f"{instance.permission.codename} on “{target}” {verb}")


def register_signal_handlers():
    m2m_changed.connect(
        on_m2m_changed, sender=get_user_model().groups.through, dispatch_uid="revayat_audit_user_groups"
    )
    m2m_changed.connect(
        on_m2m_changed, sender=Group.permissions.through, dispatch_uid="revayat_audit_group_permissions"
    )
    for model in (GroupPagePermission, GroupCollectionPermission):
        post_save.connect(
            on_tree_permission_changed, sender=model, dispatch_uid=f"revayat_audit_{model.__name__}"
        )
        post_delete.connect(
            on_tree_permission_changed, sender=model, dispatch_uid=f"revayat_audit_{model.__name__}_delete"
        )
