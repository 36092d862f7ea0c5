"""The editorial roles as Wagtail groups with exact permissions, and the publication workflow.

`sync_roles(apps)` is idempotent: the data migration runs it with the historical models, and it runs
again (with the real models) after every `migrate` and whenever a locale's root page or a top-level
collection is created, so page and collection permissions follow the tree:

- Editors author the Persian (source) tree and the snippets, upload images, documents, audio and
  video in the open collections, and submit for review.
- Translators work on the English tree only: they cannot edit the Persian pages, publish, touch
  settings and users, or read the distribution channels' configuration.
- Reviewers and Approvers act on pages at their workflow task (Wagtail opens the editor to them there).
- Approvers can also take pages offline (unpublish) and manage the restricted "Confidential
  approvals" document collection.
- Site administrators hold every permission.

Nobody publishes directly (see `cms.workflow.policy`): pages go live through the workflow
"editorial review → confidentiality sign-off", assigned to the root so it covers every locale.
"""

# The names are data the admin shows as they are (group, workflow, task and collection listings, the
# workflow status panel, e-mails), so they are stored in Persian, the admin's language; code finds them
# through these constants. ENGLISH_NAMES maps the names earlier versions stored (migration 0003 renames).
EDITORS, TRANSLATORS, REVIEWERS, APPROVERS, SITE_ADMINISTRATORS = (
    "ویراستاران",
    "مترجمان",
    "بازبینان",
    "تأییدکنندگان",
    "مدیران سایت",
)
ROLES = (EDITORS, TRANSLATORS, REVIEWERS, APPROVERS, SITE_ADMINISTRATORS)
SOURCE_LANGUAGE = "fa"
TRANSLATION_LANGUAGES = ("en",)

WORKFLOW_NAME = "انتشار روایت"
REVIEW_TASK, SIGN_OFF_TASK = "بازبینی ویراستاری", "تأیید محرمانگی"
RESTRICTED_COLLECTION = "تأییدیه‌های محرمانه"
DEFAULT_GROUPS = ("Moderators",)  # Wagtail's own initial group, replaced by the roles above
DEFAULT_WORKFLOW = "Moderators approval"  # Wagtail's own initial workflow and task, switched off
ENGLISH_NAMES = {
    "group": {
        "Editors": EDITORS,
        "Translators": TRANSLATORS,
        "Reviewers": REVIEWERS,
        "Approvers": APPROVERS,
        "Site administrators": SITE_ADMINISTRATORS,
    },
    "workflow": {"Revayat publication": WORKFLOW_NAME},
    "task": {"Editorial review": REVIEW_TASK, "Confidentiality sign-off": SIGN_OFF_TASK},
    "collection": {"Confidential approvals": RESTRICTED_COLLECTION, "Root": "ریشه"},  # and Wagtail's root
}

# Page permissions by role: {language code, or None for the whole tree: [permission types]}.
PAGE_PERMISSIONS = {
    EDITORS: {SOURCE_LANGUAGE: ["add", "change", "lock"]},
    TRANSLATORS: {language: ["add", "change", "lock"] for language in TRANSLATION_LANGUAGES},
    # Wagtail publishes an approved workflow as the approver of its last task, so sign-off needs
    # "publish"; the direct "Publish" button is still refused to Approvers (cms.workflow.policy).
    APPROVERS: {None: ["publish"]},
    SITE_ADMINISTRATORS: {None: ["add", "bulk_delete", "change", "lock", "publish", "unlock"]},
}
# Collection permissions by role: {"open" (every top-level collection but the restricted one),
# "restricted" or "root": [codenames]}. Audio and video (wagtailmedia) have no "choose" permission:
# its chooser lists the items the user may change.
MEDIA = [
    "add_image",
    "change_image",
    "choose_image",
    "add_document",
    "change_document",
    "choose_document",
    "add_media",
    "change_media",
]
COLLECTION_PERMISSIONS = {
    EDITORS: {"open": MEDIA},
    TRANSLATORS: {"open": ["choose_image", "choose_document"]},
    APPROVERS: {"restricted": ["add_document", "change_document", "choose_document"]},
    SITE_ADMINISTRATORS: {
        "root": [
            *MEDIA,
            "delete_image",
            "delete_document",
            "delete_media",
            "add_collection",
            "change_collection",
            "delete_collection",
        ]
    },
}
COLLECTION_APPS = {
    "image": "wagtailimages",
    "document": "wagtaildocs",
    "media": "wagtailmedia",
    "collection": "wagtailcore",
}
# Model permissions ("app_label.codename") by role, beyond admin access and the snippets below: who
# reads the channel configuration (translators do not), who retries, cancels or marks outbox rows as
# sent, who edits a film's subtitle tracks, and who releases a plan's source package to the public.
DISTRIBUTION_CONFIGURATION = ["distribution.view_channel", "distribution.view_distributionrule"]
SUBTITLES = [f"media_pipeline.{action}_subtitle" for action in ("add", "change", "delete", "view")]
MODEL_PERMISSIONS = {
    EDITORS: [*DISTRIBUTION_CONFIGURATION, *SUBTITLES],
    REVIEWERS: DISTRIBUTION_CONFIGURATION,
    APPROVERS: [
        *DISTRIBUTION_CONFIGURATION,
        "distribution.act_on_outboxentry",
        "plans.release_plansourcepackage",
    ],
}
RESTRICTED_VIEWERS = (APPROVERS, SITE_ADMINISTRATORS)


def _perm(apps, app_label, codename):
    return (
        apps.get_model("auth", "Permission")
        .objects.filter(content_type__app_label=app_label, codename=codename)
        .first()
    )


def _snippet_permissions(apps, actions):
    """Permissions on translatable snippets: models with `locale` and `translation_key` that are not pages."""
    found = []
    for model in apps.get_models():
        fields = {field.name for field in model._meta.get_fields()}
        if (
            {"locale", "translation_key"} <= fields
            and "page_ptr" not in fields
            and model._meta.app_label not in ("wagtailcore",)
        ):
            for action in actions:
                permission = _perm(apps, model._meta.app_label, f"{action}_{model._meta.model_name}")
                if permission is not None:
                    found.append(permission)
    return found


def model_permissions(apps, role):
    """The Django (non-tree) permissions of a role."""
    Permission = apps.get_model("auth", "Permission")
    if role == SITE_ADMINISTRATORS:
        return list(Permission.objects.all())
    found = [_perm(apps, "wagtailadmin", "access_admin")]
    found += [_perm(apps, *name.split(".")) for name in MODEL_PERMISSIONS.get(role, [])]
    if role == EDITORS:
        found += _snippet_permissions(apps, ["add", "change", "delete"])
    elif role == TRANSLATORS:
        found += _snippet_permissions(apps, ["change"])
        found.append(_perm(apps, "wagtail_localize", "submit_translation"))
    return [permission for permission in found if permission is not None]


def _child_path(parent, last_child):
    """The materialised path of a new last child (treebeard: base 36, 4 characters per level)."""
    number = int(last_child.path[-4:], 36) + 1 if last_child else 1
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    encoded = ""
    while number:
        number, remainder = divmod(number, 36)
        encoded = digits[remainder] + encoded
    return parent.path + encoded.rjust(4, "0")


def ensure_restricted_collection(apps):
    """The restricted collection (a child of the root), viewable only by Approvers and administrators."""
    Collection = apps.get_model("wagtailcore", "Collection")
    Restriction = apps.get_model("wagtailcore", "CollectionViewRestriction")
    Group = apps.get_model("auth", "Group")
    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return None
    children = Collection.objects.filter(depth=2, path__startswith=root.path)
    collection = children.filter(name=RESTRICTED_COLLECTION).first()
    if collection is None:
        collection = Collection.objects.create(
            name=RESTRICTED_COLLECTION,
            depth=2,
            numchild=0,
            path=_child_path(root, children.order_by("-path").first()),
        )
        Collection.objects.filter(pk=root.pk).update(numchild=children.count())
    restriction = Restriction.objects.filter(collection=collection).first()
    if restriction is None:
        restriction = Restriction.objects.create(collection=collection, restriction_type="groups")
    elif restriction.restriction_type != "groups":
        Restriction.objects.filter(pk=restriction.pk).update(restriction_type="groups")
    restriction.groups.set(Group.objects.filter(name__in=RESTRICTED_VIEWERS))
    return collection


def sync_page_permissions(apps, groups):
    """Grant each role's page permissions on the tree root or on each locale's root pages; drop others."""
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    for role, group in groups.items():
        wanted = set()
        for language, types in PAGE_PERMISSIONS.get(role, {}).items():
            if language is None:
                pages = Page.objects.filter(depth=1)
            else:
                pages = Page.objects.filter(depth=2, locale__language_code=language)
            for page in pages:
                for permission_type in types:
                    permission = _perm(apps, "wagtailcore", f"{permission_type}_page")
                    if permission is not None:
                        wanted.add((page.pk, permission.pk))
        granted = GroupPagePermission.objects.filter(group=group)
        existing = set(granted.values_list("page_id", "permission_id"))
        for page_id, permission_id in wanted - existing:
            GroupPagePermission.objects.create(group=group, page_id=page_id, permission_id=permission_id)
        for page_id, permission_id in existing - wanted:
            granted.filter(page_id=page_id, permission_id=permission_id).delete()


def sync_collection_permissions(apps, groups, restricted):
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    scopes = {
        "root": [root],
        "restricted": [restricted] if restricted else [],
        "open": list(Collection.objects.filter(depth=2).exclude(pk=getattr(restricted, "pk", None))),
    }
    for role, group in groups.items():
        wanted = set()
        for scope, codenames in COLLECTION_PERMISSIONS.get(role, {}).items():
            for collection in scopes[scope]:
                for codename in codenames:
                    permission = _perm(apps, COLLECTION_APPS[codename.rsplit("_", 1)[1]], codename)
                    if permission is not None:
                        wanted.add((collection.pk, permission.pk))
        existing = set(
            GroupCollectionPermission.objects.filter(group=group).values_list(
                "collection_id", "permission_id"
            )
        )
        for collection_id, permission_id in wanted - existing:
            GroupCollectionPermission.objects.create(
                group=group, collection_id=collection_id, permission_id=permission_id
            )
        for collection_id, permission_id in existing - wanted:
            GroupCollectionPermission.objects.filter(
                group=group, collection_id=collection_id, permission_id=permission_id
            ).delete()


def ensure_workflow(apps, groups):
    """The publication workflow (review → sign-off) on the root page, replacing Wagtail's default one."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    Page = apps.get_model("wagtailcore", "Page")
    tasks = []
    for name, app_label, model_name, group in (
        (REVIEW_TASK, "wagtailcore", "GroupApprovalTask", groups[REVIEWERS]),
        (SIGN_OFF_TASK, "workflow", "WrittenApprovalTask", groups[APPROVERS]),
    ):
        model = apps.get_model(app_label, model_name)
        content_type, _created = ContentType.objects.get_or_create(
            app_label=app_label, model=model_name.lower()
        )
        task = model.objects.filter(name=name).first()
        if task is None:
            task = model.objects.create(name=name, content_type=content_type, active=True)
        task.groups.set([group])
        tasks.append(task)
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    for order, task in enumerate(tasks):
        WorkflowTask.objects.update_or_create(
            workflow=workflow, task_id=task.pk, defaults={"sort_order": order}
        )
    WorkflowTask.objects.filter(workflow=workflow).exclude(task_id__in=[task.pk for task in tasks]).delete()
    root = Page.objects.filter(depth=1).first()
    if root is not None:
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    Workflow.objects.exclude(pk=workflow.pk).filter(
        workflow_pages__isnull=True, active=True, name=DEFAULT_WORKFLOW
    ).update(active=False)
    # Its task too, once no active workflow uses it: the task listing shows only active tasks.
    Task = apps.get_model("wagtailcore", "Task")
    Task.objects.filter(name=DEFAULT_WORKFLOW, active=True).exclude(
        workflow_tasks__workflow__active=True
    ).update(active=False)
    return workflow


def rename_english_names(apps):
    """Rename the groups, workflow, tasks and collection earlier versions created in English."""
    models = {
        "group": apps.get_model("auth", "Group"),
        "workflow": apps.get_model("wagtailcore", "Workflow"),
        "task": apps.get_model("wagtailcore", "Task"),
        "collection": apps.get_model("wagtailcore", "Collection"),
    }
    for kind, names in ENGLISH_NAMES.items():
        for english, persian in names.items():
            if not models[kind].objects.filter(name=persian).exists():
                models[kind].objects.filter(name=english).update(name=persian)


def ensure_permissions_exist(apps):
    """Create the permission rows of every model now (Django would only do it after the migration)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True  # historical app configs have none
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = models_module


def sync_roles(apps):
    """Create or update the role groups, their permissions, the restricted collection and the workflow."""
    Group = apps.get_model("auth", "Group")
    rename_english_names(apps)  # Wagtail's own "Editors" group (its initial data) becomes ours, as it was
    groups = {role: Group.objects.get_or_create(name=role)[0] for role in ROLES}
    for role, group in groups.items():
        group.permissions.set(model_permissions(apps, role))
    restricted = ensure_restricted_collection(apps)
    sync_page_permissions(apps, groups)
    sync_collection_permissions(apps, groups, restricted)
    ensure_workflow(apps, groups)
    for name in (*DEFAULT_GROUPS, *ENGLISH_NAMES["group"]):  # left over, with no members: gone
        Group.objects.filter(name=name, user__isnull=True).delete()
    return groups


def is_translator_only(user):
    """A user who may submit translations but edit no page of the source language (a translator who is
    not also an editor or an administrator), by permissions, not by group names: a renamed group, or a
    second group holding the translator's permissions, is judged by what it grants."""
    if not user.is_authenticated or not user.is_active or user.is_superuser:
        return False
    cached = getattr(user, "_revayat_translator_only", None)
    if cached is None:
        from wagtail.models import Page
        from wagtail.permission_policies.pages import PagePermissionPolicy

        editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
        cached = user.has_perm("wagtail_localize.submit_translation") and not (
            editable.filter(locale__language_code=SOURCE_LANGUAGE).exists()
            or Page.objects.filter(depth=1, pk__in=editable.values("pk")).exists()
        )
        user._revayat_translator_only = cached
    return cached
