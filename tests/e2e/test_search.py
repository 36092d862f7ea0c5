"""A reader searches the portal in Chromium: Persian typed with Arabic letters finds Persian pages, with
highlighted snippets, Persian digits and right-to-left layout; a result opens its page; a chapter found
in an episode is a moment of it that opens its player at that second; the English search works from
the form; autocomplete offers page titles. (nav adds the header's search box.)"""

import re
from urllib.parse import quote

from playwright.sync_api import expect

ASCII_DIGIT = re.compile(r"[0-9]")


def test_search_in_persian_and_english(portal_url, browser):
    page = browser.new_page()
    try:
        # "تامين اجتماعي" typed with the Arabic yeh (U+064A), as on an Arabic keyboard.
        response = page.goto(f"{portal_url}/fa/search/?q={quote('تامين اجتماعي')}")
        assert response.ok
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        count = page.locator("#search-count")
        expect(count).to_be_visible()
        assert not ASCII_DIGIT.search(count.inner_text()), count.inner_text()  # Persian digits on fa
        expect(page.locator(".search-result mark").first).to_be_visible()
        marked = page.locator(".search-result mark").first.inner_text()
        assert re.search("اجتماع|تامین|تأمین|تامين|تأمين", marked), marked
        first = page.locator(".search-result h2 a").first
        href = first.get_attribute("href")
        first.click()
        page.wait_for_load_state()
        assert page.url.endswith(href.split("#")[0]) or href in page.url

        # A chapter's title: the episode is one result, the chapter its moment, in Persian digits; the
        # moment opens the episode with its player at that second, in view.
        page.goto(f"{portal_url}/fa/search/?q={quote('نخستین گام‌ها')}")
        moment = page.locator(".search-result__moments a").first
        expect(moment).to_have_text("۰۰:۰۱")
        expect(moment).to_have_attribute("aria-label", "در دقیقهٔ ۰۰:۰۱")
        moment.click()
        page.wait_for_url(re.compile(r"/podcast/episode-1/#t=1$"))
        page.wait_for_function("document.querySelector('main audio').currentTime === 1", timeout=10_000)
        expect(page.locator("main audio")).to_be_in_viewport()

        # Nothing found: a Persian message, and the layout swap as "did you mean" (fdli = بیمه).
        page.goto(f"{portal_url}/fa/search/?q=fdli")
        expect(page.locator(".search-empty")).to_be_visible()
        expect(page.locator(".search-did-you-mean a")).to_have_text("بیمه")

        # English, from the form; autocomplete fills the datalist.
        page.goto(f"{portal_url}/en/search/")
        expect(page.locator("html")).to_have_attribute("dir", "ltr")
        page.fill("#search-q", "pensions")
        page.press("#search-q", "Enter")
        page.wait_for_url(re.compile(r"/en/search/\?q=pensions"))
        expect(page.locator(".search-result").first).to_be_visible()
        title = page.locator(".search-result h2 a").first.inner_text()
        word = max(re.findall(r"[A-Za-z]{4,}", title), key=len)
        page.fill("#search-q", word[:4])
        expect(page.locator("#search-suggestions option").first).to_be_attached(timeout=5000)

        # A query the page cannot take: 400 with a Persian message, never a 500.
        response = page.goto(f"{portal_url}/fa/search/?q={'a' * 300}")
        assert response.status == 400
        expect(page.locator(".search-error")).to_be_visible()
    finally:
        page.close()
