"""Shared fixtures: the demo site is loaded once per test session into the test database.

Tests run inside a transaction that is rolled back, so each test sees the same demo site.
"""

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", "--no-admin", verbosity=0)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: fragments cached by one test must not leak into another."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def publish_set_up_pages():
    """Tests set up live pages by publishing them directly, as the demo loader does: through the
    publication gate's force path (audited; the checklist still applies), for fixtures of any scope."""
    from cms import publication

    with publication.forced("test set-up"):
        yield


@pytest.fixture(autouse=True)
def gate_without_force(request):
    """Tests marked `gate` get no such help: they publish only what the gate allows."""
    if not request.node.get_closest_marker("gate"):
        yield
        return
    from cms import publication

    token = publication._forced.set(None)
    try:
        yield
    finally:
        publication._forced.reset(token)


@pytest.fixture
def demo(db):
    """Handles on the demo site's pages."""
    from wagtail.models import Locale

    from home.models import HomePage
    from plans.models import PlanIndexPage, PlanPage

    fa, en = Locale.objects.get(language_code="fa"), Locale.objects.get(language_code="en")

    class Demo:
        locale_fa, locale_en = fa, en
        home_fa = HomePage.objects.get(locale=fa)
        home_en = HomePage.objects.get(locale=en)
        index_fa = PlanIndexPage.objects.get(locale=fa)
        plans_fa = list(PlanPage.objects.filter(locale=fa).order_by("plan_number"))
        plans_en = list(PlanPage.objects.filter(locale=en).order_by("plan_number"))

    return Demo


@pytest.fixture
def admin_client(client, django_user_model):
    """A client logged in as a superuser, with the admin in Persian."""
    user = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(user)
    return client
