"""What a reader checks on the plan pages and home pages, in Persian and English, on a phone and a desktop."""

import re

import pytest
from playwright.sync_api import expect

ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")
DIRECTION = {"fa": "rtl", "en": "ltr"}
FONT_STATE = """async () => {
  await document.fonts.ready;
  return {
    family: getComputedStyle(document.body).fontFamily,
    check: document.fonts.check('16px Vazirmatn'),
    loaded: [...document.fonts].some(f => f.family.replace(/["']/g, '') === 'Vazirmatn'
                                          && f.status === 'loaded'),
  };
}"""
OVERFLOW = """() => {
  const root = document.documentElement, width = root.clientWidth;
  const culprits = [...document.querySelectorAll('body *')].filter(el => {
    const box = el.getBoundingClientRect();
    return box.width && (box.right > width + 1 || box.left < -1) && !el.closest('.table-wrap');
  }).slice(0, 3).map(el => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`);
  return [root.scrollWidth, width, culprits];
}"""


@pytest.fixture
def new_page(browser):
    """A page factory at a given viewport width; closes its contexts afterwards."""
    contexts = []

    def make(width):
        context = browser.new_context(viewport={"width": width, "height": 800})
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def assert_direction(page, lang):
    html = page.locator("html")
    expect(html).to_have_attribute("lang", lang)
    expect(html).to_have_attribute("dir", DIRECTION[lang])


def assert_no_overflow(page):
    scroll_width, client_width, culprits = page.evaluate(OVERFLOW)
    assert scroll_width <= client_width, (
        f"horizontal overflow: scrollWidth {scroll_width} > clientWidth {client_width}; "
        f"first elements sticking out: {culprits}"
    )


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("lang", ["fa", "en"])
def test_plan_page(plan_urls, new_page, screenshots, lang, width):
    """Direction, the Vazirmatn font, no overflow, one h1, skip link and the 8-section table of contents."""
    page = new_page(width)
    assert page.goto(plan_urls[lang]).ok
    assert_direction(page, lang)

    fonts = page.evaluate(FONT_STATE)
    assert fonts["family"].replace('"', "").startswith("Vazirmatn"), fonts
    assert fonts["check"] and fonts["loaded"], f"Vazirmatn was not loaded: {fonts}"
    page.screenshot(path=screenshots / f"plan-{lang}-{width}.png", full_page=True)

    assert_no_overflow(page)
    expect(page.locator("h1")).to_have_count(1)
    title = page.locator("h1").inner_text()
    assert bool(ARABIC_SCRIPT.search(title)) == (lang == "fa"), title

    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('href') || ''").endswith("#main")

    for number in range(1, 9):
        section = page.locator(f"#section-{number}")
        expect(section).to_have_count(1)
        page.locator(f'nav.toc a[href="#section-{number}"]').click()
        expect(section).to_be_visible()
        expect(section).to_be_in_viewport()
        assert page.url.endswith(f"#section-{number}")


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_home_page(portal_url, new_page, screenshots, lang):
    """The home page on a phone: direction, no overflow, and every plan card leads to a page."""
    page = new_page(375)
    assert page.goto(f"{portal_url}/{lang}/").ok
    assert_direction(page, lang)
    page.screenshot(path=screenshots / f"home-{lang}-375.png", full_page=True)
    assert_no_overflow(page)
    links = page.locator(".plan-card a").evaluate_all("links => links.map(a => a.href)")
    assert links, "no plan cards on the home page"
    for href in links:
        assert href.startswith(f"{portal_url}/{lang}/"), href
        assert page.request.get(href).status == 200, href
