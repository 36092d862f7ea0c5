"""Keep role permissions in step with the tree (after migrate, on new locale roots and collections),
and give the publication gate the workflow's sign-off requirement."""

from django.apps import apps as django_apps
from django.db.models.signals import post_migrate, post_save
from wagtail.models import Collection, Page

from cms import publication
from cms.workflow import audit, policy, roles


def on_post_migrate(sender, **kwargs):
    roles.ensure_permissions_exist(django_apps)
    roles.sync_roles(django_apps)


def on_tree_node_saved(sender, instance, created, **kwargs):
    """A new locale root page or top-level collection gets the roles' permissions."""
    if (
        created
        and getattr(instance, "depth", None) == 2
        and isinstance(instance, (Page, Collection))
        and not kwargs.get("raw")
    ):
        roles.sync_roles(django_apps)


def register_signal_handlers(app_config):
    audit.register_signal_handlers()
    publication.register_requirement(policy.sign_off_missing)
    post_migrate.connect(on_post_migrate, sender=app_config, dispatch_uid="revayat_roles_post_migrate")
    post_save.connect(on_tree_node_saved, dispatch_uid="revayat_roles_tree_node_saved")
