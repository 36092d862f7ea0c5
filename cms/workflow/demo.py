"""One demo user per editorial role, for trying the workflow by hand (`manage.py load_demo`)."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.users.models import UserProfile

from cms.workflow import roles

# The demo users' display names, in Persian: the admin shows them (sidebar, history, reports).
DISPLAY_NAMES = {
    "editor": "ویراستار نمونه",
    "translator": "مترجم نمونه",
    "reviewer": "بازبین نمونه",
    "approver": "تأییدکنندهٔ نمونه",
    "siteadmin": "مدیر سایت نمونه",
}
DEMO_USERS = {
    "editor": roles.EDITORS,
    "translator": roles.TRANSLATORS,
    "reviewer": roles.REVIEWERS,
    "approver": roles.APPROVERS,
    "siteadmin": roles.SITE_ADMINISTRATORS,
}


def ensure_role_users(password=None):
    """Create the missing demo users; returns [(username, role, password)] for those created now."""
    users = get_user_model()
    created = []
    for username, role in DEMO_USERS.items():
        if users.objects.filter(username=username).exists():
            continue
        user_password = password or secrets.token_urlsafe(12)
        user = users.objects.create_user(
            username, f"{username}@revayat.local", user_password, first_name=DISPLAY_NAMES[username]
        )
        user.groups.add(Group.objects.get(name=role))
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "fa"  # the admin in Persian for everyone, translators included
        profile.save()
        created.append((username, role, user_password))
    return created
