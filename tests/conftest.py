"""Shared fixtures: every test database starts as a copy of the demo site, built once per test run.

`migrate` and `load_demo` take most of a minute; they run once per run (tests/demo_server.py) and each
test process (pytest-xdist worker) copies the result: SQLite's backup API into its in-memory database,
PostgreSQL's `CREATE DATABASE … TEMPLATE`. Tests run inside a transaction that is rolled back, so each
test sees the same demo site.
"""

import os
import shutil
import sqlite3
import tempfile
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connections

from tests.demo_server import BUILD_FOLDER_VARIABLE, build_demo, built_demo, locked, postgres_demo_folder


def pytest_configure(config):
    """One demo build folder for the run, shared with the xdist workers (they inherit the environment)."""
    if BUILD_FOLDER_VARIABLE not in os.environ:
        os.environ[BUILD_FOLDER_VARIABLE] = tempfile.mkdtemp(prefix="revayat-demo-build-")
        config.add_cleanup(lambda: shutil.rmtree(os.environ.pop(BUILD_FOLDER_VARIABLE), ignore_errors=True))


# A test that requests none of these never reaches a database (pytest-django refuses it any access).
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
    "django_db_setup",
}


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL, run only the tests that use the database: the others ran in the SQLite pass and
    would prove nothing new (about a third of the PostgreSQL pass)."""
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        return
    keep, skip = [], []
    for item in items:
        uses_database = DATABASE_FIXTURES & set(item.fixturenames) or item.get_closest_marker("django_db")
        (keep if uses_database else skip).append(item)
    if skip:
        config.hook.pytest_deselected(items=skip)
        items[:] = keep


def copy_sqlite_demo(connection):
    """Point `connection` at its in-memory test database and fill it from the built demo."""
    source = built_demo()
    connection.close()
    connection.settings_dict["NAME"] = connection.creation._get_test_db_name()
    settings.DATABASES[connection.alias]["NAME"] = connection.settings_dict["NAME"]
    connection.ensure_connection()
    with sqlite3.connect(source / "demo.sqlite3") as demo:
        demo.backup(connection.connection)
    return source


def copy_postgres_demo(connection, suffix):
    """Create this process's test database from the run's demo template (built by the first process to
    get here); returns (media folder, teardown). Copies are made one at a time: PostgreSQL refuses to copy
    a template while another session uses it."""
    name = connection.settings_dict["NAME"]
    template, test_name = f"{name}_demo_template", f"test_{name}{suffix}"
    folder = postgres_demo_folder(template)
    with locked(folder):
        if not (folder / "built").exists():
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{template}"')
                cursor.execute(f'CREATE DATABASE "{template}"')
            url = urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{template}")
            build_demo(urlunsplit(url), folder)
            (folder / "built").touch()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{test_name}"')
            cursor.execute(f'CREATE DATABASE "{test_name}" TEMPLATE "{template}"')
    connection.close()
    connection.settings_dict["NAME"] = settings.DATABASES[connection.alias]["NAME"] = test_name

    def drop():
        connection.close()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{test_name}"')

    return folder, drop


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker, worker_id):
    """The test database: a copy of the demo site (replaces pytest-django's migrate-per-process)."""
    connection = connections["default"]
    with django_db_blocker.unblock():
        teardown = None
        if connection.vendor == "sqlite":
            source = copy_sqlite_demo(connection)
        else:
            suffix = "" if worker_id == "master" else f"_{worker_id}"
            source, teardown = copy_postgres_demo(connection, suffix)
        if (source / "media").exists():
            shutil.copytree(source / "media", settings.MEDIA_ROOT, dirs_exist_ok=True)
    yield
    if teardown is not None:
        with django_db_blocker.unblock():
            teardown()


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
