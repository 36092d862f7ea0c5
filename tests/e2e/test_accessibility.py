"""axe-core (from npm, frontend/node_modules) finds no WCAG 2.1 A/AA violation on the public pages."""

import pytest

from tests.e2e.conftest import AXE, assert_no_axe_violations


@pytest.mark.parametrize(
    "path",
    [
        "/fa/",
        "/en/",
        "/fa/plans/",
        "/fa/plans/{plan}/",
        "/en/plans/{plan}/",
        "/fa/plans/{plan}/executive-summary/",
    ],
)
def test_pages_have_no_accessibility_violations(portal_url, plan_urls, browser, path):
    assert AXE.exists(), "axe-core is missing: run `make install-test` (npm ci in frontend/)"
    plan = plan_urls["fa"].rstrip("/").rsplit("/", 1)[-1]
    assert_no_axe_violations(browser, portal_url + path.format(plan=plan))
