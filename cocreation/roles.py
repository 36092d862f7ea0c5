"""The secretariat role: a group holding the permission `cocreation.access_secretariat`.

Who may act is a permission, not a group name (as in cms.workflow.roles): every secretariat view checks
`user.has_perm(SECRETARIAT_PERMISSION)`. The group is kept after every migrate.
"""

SECRETARIAT = "دبیرخانهٔ هم‌آفرینی"
SECRETARIAT_PERMISSION = "cocreation.access_secretariat"
CODENAMES = [
    "access_secretariat",
    "access_admin",
    *(f"{action}_{model}" for action in ("add", "change", "view") for model in ("round", "domain")),
    "change_worksheetscales",
]


def sync(apps):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=SECRETARIAT)
    wanted = Permission.objects.filter(
        content_type__app_label__in=["cocreation", "wagtailadmin"], codename__in=CODENAMES
    )
    group.permissions.add(*wanted)
    return group


def sync_after_migrate(sender, **kwargs):
    """After every migrate (our handler may run before auth's, so make sure the permission exists)."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    create_permissions(apps.get_app_config("cocreation"), verbosity=0)
    sync(apps)


def is_secretariat(user):
    return user.is_active and user.has_perm(SECRETARIAT_PERMISSION)
