"""In Chromium, in the Persian admin (issue 14, items 4–5):

- the reviewer approves the plan from the dashboard's dialog with a comment;
- the approver opens the sign-off dialog from the dashboard, sees what is approved, is refused without
  the written approval, uploads it in the dialog, approves the plan together with its summary and its
  English translation in one action, and gets a confirmation; each page goes live;
- a translator translates a new plan into English in the translation editor: sees the segment count,
  filters the untranslated segments, sets the page's English address (a transliteration is offered),
  translates the title and submits; the English page under review carries the English slug.

The pages are put in review (or made translatable) with `manage.py shell`, as the editor would leave them;
every step that the issue asks for happens in the browser, as the role, and every screen passed shows no
Latin word and no ASCII digit (tests/e2e/persian.py; screenshots as `journey-<role>-*.png`).
"""

import json
import re
import subprocess
import sys

import pytest

from tests.demo_server import ROOT, manage
from tests.e2e.conftest import PASSWORD, log_in, site_env
from tests.e2e.persian import ROLE_USERNAMES, screen_problems

LETTER = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

AT_SIGN_OFF = """
import json
from django.contrib.auth import get_user_model
from wagtail.models import Locale, Page
from plans.models import ExecutiveSummaryPage, PlanPage

users = {user.username: user for user in get_user_model().objects.all()}
fa, en = Locale.objects.get(language_code="fa"), Locale.objects.get(language_code="en")
plan = PlanPage.objects.filter(locale=fa).order_by("plan_number")[2]
summary = ExecutiveSummaryPage.objects.child_of(plan).first()
english = Page.objects.get(translation_key=plan.translation_key, locale=en).specific
pages = []
for page, suffix in ((plan, " (بستهٔ آزمون)"), (summary, " (بستهٔ آزمون)"), (english, " (bundle test)")):
    page.title = title = page.title + suffix
    page.save_revision(user=users["editor"])
    page.get_workflow().start(page, users["editor"])
    page.refresh_from_db()
    if page.pk != plan.pk:  # the plan's review happens in the browser
        page.current_workflow_task_state.approve(user=users["reviewer"])
    pages.append({"pk": page.pk, "title": title, "url": page.url})  # the row keeps the live title
print(json.dumps(pages))
"""

NEW_PLAN = """
import json
from wagtail.models import Locale, Page
from plans.models import PlanPage

fa = Locale.objects.get(language_code="fa")
source = PlanPage.objects.filter(locale=fa).order_by("plan_number")[0]
copy = source.copy(
    recursive=True,
    update_attrs={"slug": "طرح-نو-مرورگر", "title": "طرح نو مرورگر", "plan_number": 19},
    keep_live=False,
    log_action=None,
    reset_translation_key=True,
)
Page.objects.descendant_of(copy, inclusive=True).update(live=True)
print(json.dumps({"pk": copy.pk}))
"""

ENGLISH_OF = """
import json
from wagtail.models import Locale, Page

page = Page.objects.get(pk={pk})
english = page.get_translation(Locale.objects.get(language_code="en"))
latest = english.get_latest_revision()
print(json.dumps({{"pk": english.pk, "slug": english.slug, "revision_slug": latest.content["slug"],
                  "in_review": english.workflow_in_progress}}))
"""


@pytest.fixture(scope="module")
def site(portal_site):
    """The session's demo site with one user per role added; (base URL, environment)."""
    base, folder = portal_site
    env = site_env(folder)
    manage(
        "shell",
        "-c",
        f"from cms.workflow.demo import ensure_role_users; ensure_role_users(password={PASSWORD!r})",
        env=env,
    )
    return base, env


def shell(env, code):
    """Run `code` in `manage.py shell` against the served site's database; its printed JSON."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def approve_button(page_id):
    """The dashboard's "Approve" of a page's current task (its "Awaiting your review" row)."""
    return f"button[data-workflow-action-url*='/workflow/action/{page_id}/approve/'][data-launch-modal]"


def test_the_reviewer_approves_and_the_approver_signs_off_the_plan_bundle_in_the_dialog(
    site, browser, screenshots, tmp_path
):
    base, env = site
    plan, summary, english = shell(env, AT_SIGN_OFF)
    letter = tmp_path / "نامهٔ تأیید.pdf"
    letter.write_bytes(LETTER)
    content = (english["title"], *ROLE_USERNAMES)
    leaks = []  # every screen of the journey is Persian (Latin words, ASCII digits), reported at the end

    reviewer = log_in(browser, base, "reviewer")
    reviewer.set_default_timeout(120_000)
    reviewer.set_default_navigation_timeout(120_000)
    leaks += screen_problems(reviewer, "journey-reviewer-dashboard", screenshots, content=content)
    reviewer.locator(approve_button(plan["pk"])).evaluate("button => button.click()")
    reviewer.wait_for_selector(".modal textarea[name=comment]")
    reviewer.fill(".modal textarea[name=comment]", "بازبینی شد؛ جدول ۳ درست است.")
    leaks += screen_problems(reviewer, "journey-reviewer-approve-dialog", screenshots, content=content)
    with reviewer.expect_navigation():
        reviewer.locator(".modal button[type=submit]").click()
    leaks += screen_problems(reviewer, "journey-reviewer-approved", screenshots, content=content)
    reviewer.context.close()

    approver = log_in(browser, base, "approver")
    approver.set_default_timeout(120_000)
    approver.set_default_navigation_timeout(120_000)
    leaks += screen_problems(approver, "journey-approver-dashboard", screenshots, content=content)
    approver.locator(approve_button(plan["pk"])).evaluate("button => button.click()")
    dialog = approver.locator(".modal")
    approver.wait_for_selector(".modal input[name=approval_file]")
    what = dialog.locator(".revayat-approval__summary").inner_text()
    assert "آنچه تأیید می‌کنید" in what and "مقایسه با آخرین نسخهٔ تأییدشده" in what
    assert "گزارش (PDF)" in what  # the deliverables the publication builds
    bundle = dialog.locator("input[name=bundle]")
    assert bundle.count() == 2
    assert summary["title"] in dialog.inner_text() and english["title"] in dialog.inner_text()

    dialog.locator("button[type=submit]").click()  # without the written approval: refused in place
    dialog.get_by_text(re.compile("تأییدیهٔ کتبی را پیوست کنید")).first.wait_for()

    approver.set_input_files(".modal input[name=approval_file]", str(letter))
    approver.fill(".modal textarea[name=comment]", "نامهٔ ۱۶/۲ مورخ ۱۴۰۵/۰۹/۱۵")
    for index in range(bundle.count()):
        dialog.locator("input[name=bundle]").nth(index).check()
    leaks += screen_problems(approver, "journey-approver-dialog", screenshots, content=content)
    with approver.expect_navigation():
        dialog.locator("button[type=submit]").click()
    confirmation = approver.locator(".messages").inner_text()
    assert f"«{plan['title']}» تأیید شد" in confirmation and "۲ صفحهٔ دیگر" in confirmation
    leaks += screen_problems(approver, "journey-approver-confirmed", screenshots, content=content)
    approver.context.close()

    anonymous = browser.new_page()
    for page in (plan, summary, english):
        response = anonymous.goto(base + page["url"])
        assert response.ok and page["title"] in anonymous.content(), page
    anonymous.close()
    assert not leaks, "\n".join(leaks)


def test_the_translator_translates_with_an_english_slug_and_submits(site, browser, screenshots):
    base, env = site
    source = shell(env, NEW_PLAN)
    translator = log_in(browser, base, "translator")
    translator.set_default_timeout(180_000)  # translating a plan with its subpages takes a while
    translator.set_default_navigation_timeout(180_000)
    leaks, translated = [], "A new plan (browser test)"
    content = (translated, *ROLE_USERNAMES)  # the English title, once translated, is content
    translator.goto(f"{base}/admin/localize/submit/page/{source['pk']}/")
    leaks += screen_problems(translator, "journey-translator-translate", screenshots)
    for box in translator.locator("input[name=locales]").all():
        box.check()
    with translator.expect_navigation():
        translator.locator("main form [type=submit]").last.click()
    english = shell(env, ENGLISH_OF.format(pk=source["pk"]))
    assert english["slug"] == "trh-no-mrorgr" and english["slug"].isascii()  # never the Persian slug

    translator.goto(f"{base}/admin/pages/{english['pk']}/edit/")
    slug = translator.locator("input[name=revayat-slug]")
    slug.wait_for()
    assert slug.input_value() == "trh-no-mrorgr"  # the transliteration, offered
    progress = translator.locator("[data-revayat-progress]").inner_text()
    assert "بخش ترجمه شده است" in progress and "۰ از" in progress
    translator.check("input[data-revayat-missing-only]")
    segment = translator.locator("li.incomplete", has_text="طرح نو مرورگر").first
    segment.get_by_role("button").first.click()
    segment.locator("textarea").fill(translated)
    segment.get_by_role("button").filter(has_text=re.compile("Save|ذخیره")).first.click()
    translator.wait_for_selector("li.complete", state="attached")
    assert translator.locator("li.complete").first.is_hidden()  # the filter hides translated segments
    translator.wait_for_function(  # the count follows the saved segment
        "() => document.querySelector('[data-revayat-progress]').textContent.startsWith('۱ از')"
    )
    slug.fill("new-plan-browser-test")
    translator.check("input[name=revayat-partial]")
    leaks += screen_problems(translator, "journey-translator-editor", screenshots, content=content)
    with translator.expect_navigation():
        translator.click("button[value=revayat-submit]")
    assert "ترجمه برای بازبینی فرستاده شد" in translator.locator(".messages").inner_text()
    leaks += screen_problems(translator, "journey-translator-submitted", screenshots, content=content)
    translator.context.close()
    assert not leaks, "\n".join(leaks)

    english = shell(env, ENGLISH_OF.format(pk=source["pk"]))
    assert english["in_review"] and english["revision_slug"] == "new-plan-browser-test"
