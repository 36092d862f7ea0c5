"""The KPI dashboards in Chromium: fa and en, phone (375 px) and desktop (1280 px), with and without
JavaScript; axe-core finds no violation; the keyboard walks through a chart's points.

Screenshots go to test-artifacts/screenshots/dashboard-*.png (looked at when the layout changes).
"""

import pytest

from tests.e2e.conftest import AXE, assert_no_axe_violations

VIEWS = [(language, width) for language in ("fa", "en") for width in (375, 1280)]


def dashboard_urls(portal_url, plan_urls, language):
    return [plan_urls[language] + "dashboard/", f"{portal_url}/{language}/plans/dashboard/"]


@pytest.mark.parametrize(("language", "width"), VIEWS, ids=[f"{lang}-{w}" for lang, w in VIEWS])
def test_the_dashboards_without_javascript_show_charts_and_tables(
    portal_url, plan_urls, browser, screenshots, language, width
):
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    try:
        for kind, url in zip(("plan", "all"), dashboard_urls(portal_url, plan_urls, language), strict=True):
            assert page.goto(url).ok
            assert page.locator("html").get_attribute("dir") == ("rtl" if language == "fa" else "ltr")
            charts = page.locator("svg.kpi-chart")
            assert charts.count() >= 6
            assert charts.first.is_visible()
            assert charts.first.bounding_box()["width"] <= width
            assert page.locator("table.kpi-series-table").count() == charts.count()
            # nothing wider than the screen
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            text = page.locator("table.kpi-series-table").first.inner_text()
            if language == "fa":
                assert any(digit in text for digit in "۰۱۲۳۴۵۶۷۸۹") and not any(
                    d in text for d in "0123456789"
                )
            page.screenshot(
                path=str(screenshots / f"dashboard-{kind}-{language}-{width}.png"), full_page=False
            )
    finally:
        context.close()


def test_the_keyboard_walks_through_a_chart(portal_url, plan_urls, browser):
    page = browser.new_page()
    try:
        assert page.goto(plan_urls["fa"] + "dashboard/").ok
        points = page.locator("svg.kpi-chart").first.locator(".kpi-point")
        points.first.focus()
        tooltip = page.locator(".kpi-tooltip").first
        assert tooltip.is_visible()
        first = tooltip.inner_text()
        page.keyboard.press("ArrowRight")
        assert tooltip.inner_text() != first
        assert page.evaluate("document.activeElement.getAttribute('aria-label')") == tooltip.inner_text()
        page.keyboard.press("End")  # the target: the last period, drawn after the actual value there
        assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith("مقدار هدف")
    finally:
        page.close()


@pytest.mark.parametrize("language", ["fa", "en"])
def test_the_dashboards_have_no_accessibility_violations(portal_url, plan_urls, browser, language):
    assert AXE.exists(), "axe-core is missing: run `make install-test` (npm ci in frontend/)"
    for url in dashboard_urls(portal_url, plan_urls, language):
        assert_no_axe_violations(browser, url)
