"""Fixtures for the browser tests: a demo site served by `manage.py runserver` and the Debian Chromium.

Also the two steps several browser tests share: logging in to the admin as a demo role user, and
running axe-core on a page.
"""

import os
from pathlib import Path

import pytest

from tests.demo_server import demo_site

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
PASSWORD = "pw-e2e"  # of the role users the modules add with `ensure_role_users`
AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
RUN_AXE = """async () => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a',
                                                                          'wcag21aa', 'best-practice']}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


def pytest_collection_modifyitems(items):
    """Mark every test of this folder as e2e."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def portal_site():
    """(base URL, folder) of a freshly built demo site served by `manage.py runserver` on 127.0.0.1."""
    with demo_site() as site:
        yield site


def site_env(folder):
    """The environment that points `manage.py` commands at the served demo site's database and media."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "settings.dev",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{folder}/demo.sqlite3",
        "MEDIA_ROOT": f"{folder}/media",
    }


@pytest.fixture(scope="session")
def portal_url(portal_site):
    """Base URL of a freshly built demo site served by `manage.py runserver` on 127.0.0.1."""
    return portal_site[0]


@pytest.fixture(scope="module")
def browser():
    """The Debian Chromium, driven by sync Playwright; one per test module, because Playwright's sync
    API keeps an event loop running while it is open, where Django refuses database work, and with
    xdist the same process goes on with database tests after a browser module."""
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


@pytest.fixture(scope="module")
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


def log_in(browser, base, username, height=1000, timezone_id=None):
    """A Persian admin page, logged in as `username` in a fresh browser context."""
    context = browser.new_context(
        viewport={"width": 1280, "height": height}, locale="fa-IR", timezone_id=timezone_id
    )
    page = context.new_page()
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    return page


def assert_no_axe_violations(browser, url):
    """axe-core finds no WCAG 2.1 A/AA or best-practice violation on the page at `url`."""
    page = browser.new_page()
    try:
        assert page.goto(url).ok
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(RUN_AXE)
    finally:
        page.close()
    assert violations == [], "\n".join(
        f"{v['impact']}: {v['id']} — {v['help']} {v['nodes']}" for v in violations
    )
