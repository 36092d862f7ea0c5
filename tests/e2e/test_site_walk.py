"""A site you can walk: from the home pages a reader reaches every public page by following links, the
header menu works with a keyboard and on a 375 px phone, and the new pages pass axe.

The crawl follows every link of every rendered portal page (fa and en) that stays on the portal, and
checks that each answers; every URL of /sitemap.xml must be among the pages reached. The search page
(`/<lang>/search/`) is the search helper's: the crawl does not open it, and the menu test only checks
that the search box sends the reader there with `q`.
"""

import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import AXE, RUN_AXE, assert_no_axe_violations

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
LINKS = "() => [...document.querySelectorAll('a[href]')].map(a => a.href)"
NEW_PAGES = [
    "/fa/plans/media/",
    "/fa/plans/media/podcasts/",
    "/en/plans/media/films/",
    "/fa/plans/media/infographics/",
    "/fa/plans/dashboards/",
    "/fa/sitemap/",
    "/en/sitemap/",
    "/fa/about/",
    "/en/about/",
]


def portal_path(url, base):
    """The path of `url` if it is a portal page of this site worth visiting, else None."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != base:
        return None
    path = parts.path
    if not path.startswith(("/fa/", "/en/")) or path.rstrip("/").endswith("/search"):
        return None
    return path


def test_every_public_page_is_reached_by_following_links_from_the_home_pages(portal_url, browser):
    page = browser.new_page()
    try:
        queue, seen, html_pages, broken = ["/fa/", "/en/"], {"/fa/", "/en/"}, set(), []
        while queue:
            path = queue.pop(0)
            if path.endswith(("/csv/", "/xlsx/")):  # dashboard downloads: fetched, not opened as a page
                download = page.request.get(portal_url + path)
                if not download.ok:
                    broken.append((path, download.status))
                continue
            response = page.goto(portal_url + path)
            if response is None or not response.ok:
                broken.append((path, response and response.status))
                continue
            if not response.headers.get("content-type", "").startswith("text/html"):
                continue  # feeds, transcripts, chapters: reached, not crawled
            html_pages.add(path)
            for href in page.evaluate(LINKS):
                found = portal_path(href, portal_url)
                if found and found not in seen:
                    seen.add(found)
                    queue.append(found)
        assert broken == []
        sitemap = ET.fromstring(page.request.get(portal_url + "/sitemap.xml").body())
        listed = {urlsplit(loc.text).path for loc in sitemap.findall("s:url/s:loc", NS)}
        assert len(listed) == 58  # 26 pages, the two co-creation calls and results, in each language
        assert listed - html_pages == set(), "sitemap pages no link leads to"
        for language in ("fa", "en"):  # and the pages that are routes, not pages
            for route in ("plans/media/", "plans/media/podcasts/", "plans/dashboards/", "sitemap/", "about/"):
                assert f"/{language}/{route}" in html_pages
    finally:
        page.close()


def tab_to(page, selector, limit=15):
    """Press Tab until the element matching `selector` has the focus."""
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{selector} never got the focus")


@pytest.mark.parametrize("language", ["fa", "en"])
def test_the_header_menu_works_by_keyboard_on_a_phone(portal_url, browser, screenshots, language):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        page.goto(f"{portal_url}/{language}/")
        toggle, panel = page.locator(".site-menu__toggle"), page.locator("#site-menu-panel")
        expect(toggle).to_be_visible()
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(panel).to_be_hidden()
        tab_to(page, ".site-menu__toggle")
        page.keyboard.press("Enter")
        expect(toggle).to_have_attribute("aria-expanded", "true")
        expect(panel).to_be_visible()
        width = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert width[0] <= width[1], f"horizontal overflow with the menu open: {width}"
        page.screenshot(path=str(screenshots / f"site-menu-{language}-375.png"))
        page.keyboard.press("Escape")  # closes, and gives the focus back to the button
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(panel).to_be_hidden()
        assert toggle.evaluate("el => el === document.activeElement")

        page.keyboard.press("Enter")
        page.keyboard.press("Tab")  # the first menu item
        focused = page.evaluate("() => document.activeElement.dataset.menuKey")
        assert focused == "plans"
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/{language}/plans/")
        expect(page.locator("h1")).to_be_visible()

        page.locator(".site-menu__toggle").click()
        page.locator('[data-menu-key="media"]').click()
        page.wait_for_url(f"**/{language}/plans/media/")
        page.locator(".site-menu__toggle").click()
        box = page.locator("#site-search-q")
        box.fill("بیمه" if language == "fa" else "insurance")
        box.press("Enter")
        page.wait_for_url(f"**/{language}/search/?q=*")
        assert parse_qs(urlsplit(page.url).query)["q"] == ["بیمه" if language == "fa" else "insurance"]
    finally:
        context.close()


def test_on_a_desktop_the_menu_is_open_and_reached_by_tab(portal_url, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        page.goto(f"{portal_url}/fa/plans/")
        expect(page.locator(".site-menu__toggle")).to_be_hidden()
        for key in ("plans", "dashboards", "media", "about"):
            expect(page.locator(f'[data-menu-key="{key}"]')).to_be_visible()
        expect(page.locator('[data-menu-key="plans"]')).to_have_attribute("aria-current", "page")
        tab_to(page, '[data-menu-key="dashboards"]')
        page.keyboard.press("Enter")
        page.wait_for_url("**/fa/plans/dashboards/")
        tab_to(page, "#site-search-q", limit=25)
    finally:
        context.close()


@pytest.mark.parametrize("path", NEW_PAGES)
def test_the_new_pages_have_no_accessibility_violations(portal_url, browser, path):
    assert AXE.exists(), "axe-core is missing: run `make install-test` (npm ci in frontend/)"
    assert_no_axe_violations(browser, portal_url + path)


@pytest.mark.parametrize("width", [375, 1280])
def test_the_404_page_looks_like_the_portal_and_passes_axe(portal_url, browser, screenshots, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        response = page.goto(f"{portal_url}/fa/no-such-page/")
        assert response.status == 404
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.locator(".site-header")).to_be_visible()
        page.screenshot(path=str(screenshots / f"404-fa-{width}.png"))
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(RUN_AXE)
        assert violations == [], violations
    finally:
        context.close()
