"""Fixtures for the browser tests: a demo site served by `manage.py runserver` and the Debian Chromium."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


def pytest_collection_modifyitems(items):
    """Mark every test of this folder as e2e."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


def free_port():
    """A TCP port that is free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(*args, env):
    """Run a manage.py command, failing with its output if it fails."""
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    if result.returncode:
        pytest.fail(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


def wait_for(url, server, log, timeout=60):
    """Poll `url` until it answers 200; fail with the server's stderr otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    log.flush()
    pytest.fail(f"The server did not answer {url} within {timeout} s "
                f"(exit code {server.poll()}). Its stderr:\n{Path(log.name).read_text()}")


@pytest.fixture(scope="session")
def portal_url():
    """Base URL of a freshly built demo site served by `manage.py runserver` on 127.0.0.1."""
    with tempfile.TemporaryDirectory(prefix="revayat-e2e-") as tmp:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "settings.dev", "DEBUG": "1",
               "DATABASE_URL": f"sqlite:///{tmp}/e2e.sqlite3", "MEDIA_ROOT": f"{tmp}/media"}
        manage("migrate", "--noinput", env=env)
        manage("load_demo", "--no-admin", env=env)
        port = free_port()
        with open(Path(tmp) / "server.log", "w+") as log:
            server = subprocess.Popen(
                [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log,
            )
            try:
                base = f"http://127.0.0.1:{port}"
                wait_for(f"{base}/healthz", server, log)
                yield base
            finally:
                server.terminate()
                try:
                    server.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()


@pytest.fixture(scope="session")
def browser():
    """The Debian Chromium, driven by sync Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshots():
    """The folder for the screenshots (git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def plan_urls(portal_url, browser):
    """{language: URL} of the first plan: from the Persian plan index, then the language switcher."""
    page = browser.new_page()
    try:
        assert page.goto(f"{portal_url}/fa/plans/").ok
        page.locator(".plan-card a").first.click()
        page.wait_for_url("**/fa/plans/*/")
        english = page.locator('a[hreflang="en"]').first.evaluate("a => a.href")
        assert "/en/plans/" in english, f"the English link of {page.url} is {english}"
        return {"fa": page.url, "en": english}
    finally:
        page.close()
