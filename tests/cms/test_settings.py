"""Configuration errors are clear: a malformed DATABASE_URL, production on unsafe defaults."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from settings.base import database_from_url

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "DEBUG")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("url", ["not a url", "mysqlx://host/db", "postgres://user@host:notaport/db"])
def test_malformed_database_url_is_a_clear_configuration_error(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        database_from_url(url)


def test_manage_py_reports_a_malformed_database_url_without_a_traceback_wall():
    result = manage("check", DATABASE_URL="bogus://nowhere", DJANGO_SETTINGS_MODULE="settings.dev")
    assert result.returncode != 0
    assert "DATABASE_URL is not a valid database URL" in result.stderr


def test_production_refuses_the_default_secret_key():
    result = manage("check", DJANGO_SETTINGS_MODULE="settings.production")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_debug():
    result = manage("check", DJANGO_SETTINGS_MODULE="settings.production", DEBUG="1", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_production_starts_with_a_real_secret():
    result = manage(
        "check",
        "--deploy",
        DJANGO_SETTINGS_MODULE="settings.production",
        SECRET_KEY="k3" * 30,
        ALLOWED_HOSTS="portal.example",
    )
    assert result.returncode == 0, result.stderr
