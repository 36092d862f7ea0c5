"""What an admin user may open among pages a listing shows: admin reports link only those to the editor."""

from wagtail.permission_policies.pages import PagePermissionPolicy


def editable_page_ids(user, page_ids):
    """The pages among `page_ids` that `user` may edit (one query)."""
    return set(
        PagePermissionPolicy()
        .instances_user_has_permission_for(user, "change")
        .filter(pk__in=page_ids)
        .values_list("pk", flat=True)
    )
