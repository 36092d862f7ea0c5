"""In Chromium: a plan goes through the workflow in Persian, then its English translation does too.

The editor submits a change, the reviewer approves, the approver uploads the written approval to the
confidential collection and approves with it (first trying without it), and the change is live. A
translator then syncs the English page, translates the new segment in the translation editor (whose
fields carry the right dir/lang), submits it, and the English page goes through the same workflow.
"""

import os
import re

import pytest

from tests.demo_server import manage
from tests.e2e.conftest import PASSWORD, log_in

SUMMARY_FA = "خلاصهٔ بازبینی‌شده برای آزمون گردش کار."
SUMMARY_EN = "Revised summary (for the workflow test)."


@pytest.fixture(scope="module")
def site(portal_site):
    """The session's demo site with one user per role added; (base URL, folder).

    This module runs after the other browser tests (it publishes changes to the first plan).
    """
    base, folder = portal_site
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "settings.dev",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{folder}/demo.sqlite3",
        "MEDIA_ROOT": f"{folder}/media",
    }
    manage(
        "shell",
        "-c",
        f"from cms.workflow.demo import ensure_role_users; ensure_role_users(password={PASSWORD!r})",
        env=env,
    )
    return base, folder


def click_hidden(page, selector):
    """Press a button of the editor's action dropdown (present in the form, shown on hover)."""
    page.evaluate("selector => document.querySelector(selector).click()", selector)


def approve_from_dashboard(browser, base, username, title):
    page = log_in(browser, base, username)
    row = page.locator("tr", has_text=title)
    with page.expect_navigation():  # the dashboard's "Awaiting your review" row, in its action dropdown
        row.locator("button[data-workflow-action-url*='/approve/']:not([data-launch-modal])").evaluate(
            "button => button.click()"
        )
    page.context.close()


def sign_off(page, screenshots, name):
    """In the open modal: refused without the written approval, then approved with it."""
    page.wait_for_selector(".modal select[name=approval_document]")
    page.click(".modal button[type=submit]")
    page.wait_for_selector(".modal .error-message, .modal .w-field__errors")
    assert "تأییدیهٔ کتبی را پیوست کنید" in page.locator(".modal").inner_text()
    page.screenshot(path=screenshots / f"workflow-{name}-sign-off-refused.png")
    page.select_option(".modal select[name=approval_document]", label="نامهٔ تأیید طرح ۱۲")
    page.fill(".modal textarea[name=comment]", "نامهٔ ۱۲/۳ مورخ ۱۴۰۵/۰۹/۰۱")
    with page.expect_navigation():
        page.click(".modal button[type=submit]")


def test_a_plan_and_its_translation_go_through_the_workflow(site, browser, screenshots, tmp_path):
    base, _folder = site
    anonymous = browser.new_page()
    anonymous.goto(f"{base}/fa/plans/")
    anonymous.locator(".plan-card a").first.click()
    plan_url = anonymous.url

    # The editor changes the summary and submits it for review.
    editor = log_in(browser, base, "editor")
    editor.goto(f"{base}/admin/revayat/translation-status/")
    edit_url = editor.locator("tr", has_text="چشم‌انداز").first.locator("td a").first.get_attribute("href")
    editor.goto(base + edit_url)
    editor.fill("textarea[name=summary]", SUMMARY_FA)
    with editor.expect_navigation():
        click_hidden(editor, "button[name=action-submit]")
    editor.context.close()
    anonymous.goto(plan_url)
    assert SUMMARY_FA not in anonymous.content()

    approve_from_dashboard(browser, base, "reviewer", "چشم‌انداز")

    # The approver uploads the written approval to the confidential collection, then signs off.
    approver = log_in(browser, base, "approver")
    letter = tmp_path / "approval.pdf"
    letter.write_bytes(b"%PDF-1.4\n% signed approval letter\n")
    approver.goto(f"{base}/admin/documents/add/")
    approver.fill("input[name=title]", "نامهٔ تأیید طرح ۱۲")
    approver.set_input_files("input[name=file]", str(letter))
    with approver.expect_navigation():
        approver.locator("input[name=file]").evaluate("field => field.form.requestSubmit()")
    approver.goto(base + edit_url)
    click_hidden(approver, "button[data-workflow-action-name=approve]")
    sign_off(approver, screenshots, "fa")
    approver.context.close()
    anonymous.goto(plan_url)
    assert SUMMARY_FA in anonymous.content()

    # The translator syncs the English page from the translation status view and translates it.
    translator = log_in(browser, base, "translator")
    translator.goto(f"{base}/admin/revayat/translation-status/")
    with translator.expect_navigation():
        translator.locator('td[data-state="out_of_date"] a[href*="/localize/update/"]').first.click()
    with translator.expect_navigation():
        translator.locator("main form button[type=submit], main form input[type=submit]").last.click()
    translator.goto(f"{base}/admin/revayat/translation-status/")
    row = translator.locator("tr", has_text="چشم‌انداز").first
    with translator.expect_navigation():
        row.locator("td[data-locale=en] a[href$='/edit/']").click()
    segment = translator.locator("li.incomplete", has_text=SUMMARY_FA)
    segment.get_by_role("button").click()
    field = segment.locator("textarea")
    field.fill(SUMMARY_EN)
    assert field.evaluate("el => [el.lang, el.dir, getComputedStyle(el).direction]") == ["en", "ltr", "ltr"]
    source = segment.locator("> p")
    assert source.evaluate("el => [el.lang, el.dir, getComputedStyle(el).direction]") == ["fa", "rtl", "rtl"]
    translator.screenshot(path=screenshots / "workflow-translation-editor.png")
    segment.get_by_role("button").filter(has_text=re.compile("Save|ذخیره")).first.click()
    translator.wait_for_selector(f"li.complete:has-text('{SUMMARY_EN}')")
    with translator.expect_navigation():
        translator.click("button[value=revayat-submit]")
    assert "ترجمه برای بازبینی فرستاده شد" in translator.locator(".messages").inner_text()
    translator.context.close()
    english_url = plan_url.replace("/fa/", "/en/")
    anonymous.goto(english_url)
    assert SUMMARY_EN not in anonymous.content()

    # The English page goes through the same workflow.
    approve_from_dashboard(browser, base, "reviewer", "Vision")
    approver = log_in(browser, base, "approver")
    row = approver.locator("tr", has_text="Vision")
    row.locator("button[data-workflow-action-url*='/approve/'][data-launch-modal]").evaluate(
        "button => button.click()"
    )
    sign_off(approver, screenshots, "en")
    approver.context.close()
    anonymous.goto(english_url)
    assert SUMMARY_EN in anonymous.content()
    anonymous.screenshot(path=screenshots / "workflow-english-live.png")
