"""In Chromium, against real processes: nothing goes live without both approvals, and a scheduled page
goes live by itself.

- A translator translates a live Persian plan that has no English yet ("Translate this page"),
  translates its title only and submits it: refused below 100% until "Publish partially translated"
  is ticked. Nothing is public under /en/ (page, plan list) after the submission nor after the review;
  the reviewer and the approver see the translated share in their approval modals; the English plan
  is public once the sign-off with its written approval is given.
- A superuser's Publish is a force publish: refused without a reason, live with one, kept in the history.
- A plan approved for a go-live a few seconds ahead goes live with `make run`'s processes running
  (db_worker, distribution_relay and two run_scheduler, started after its time has passed: the catch-up),
  once: one scheduled publication in the audit log, also after a scheduler restart.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.demo_server import ROOT, demo_site, start_command
from tests.e2e.conftest import PASSWORD, log_in

TITLE_EN = "Gate journey: the translated plan"

SETUP = """
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Locale
from cms.workflow.demo import ensure_role_users
from cms.workflow.documents import restricted_collection
from plans.models import PlanPage
from django.contrib.auth import get_user_model
ensure_role_users(password={password!r})
get_user_model().objects.create_superuser("root", "root@revayat.local", {password!r})
letter = get_document_model()(title="نامهٔ تأیید ترجمه", collection=restricted_collection())
letter.file.save("letter.pdf", ContentFile(b"%PDF-1.4 signed approval"), save=False)
letter.save()
plan = PlanPage.objects.filter(locale__language_code="fa").order_by("-plan_number").first()
plan.get_translation(Locale.objects.get(language_code="en")).delete()  # live in Persian, no English
print(plan.slug, plan.title, sep="\\n")
"""

SCHEDULE = """
import datetime
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.documents import get_document_model
from plans.models import PlanPage
users = {{user.username: user for user in get_user_model().objects.all()}}
plan = PlanPage.objects.filter(locale__language_code="fa").order_by("plan_number")[1]
plan.unpublish()
plan.go_live_at = timezone.now() + datetime.timedelta(seconds={seconds})
plan.save_revision(user=users["editor"])
plan.get_workflow().start(plan, users["editor"])
plan.refresh_from_db()
plan.current_workflow_task_state.approve(user=users["reviewer"])
plan.refresh_from_db()
state = plan.current_workflow_task_state
state.task.specific.on_action(state, users["approver"], "approve", comment="از ساعت مقرر",
                              approval_document=get_document_model().objects.get(title="نامهٔ تأیید ترجمه").pk)
plan.refresh_from_db()
assert not plan.live and plan.scheduled_revision is not None
print(plan.slug, plan.get_url(), sep="\\n")
"""


def shell(env, code):
    """Run `code` in `manage.py shell` against the demo copy; returns its output."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def status(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


@pytest.fixture(scope="module")
def gate_site():
    """A fresh demo site with the role users and a written approval; (base URL, env, slug, title)."""
    with demo_site() as (base, folder):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "settings.dev",
            "DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{folder}/demo.sqlite3",
            "MEDIA_ROOT": f"{folder}/media",
        }
        slug, title = shell(env, SETUP.format(password=PASSWORD)).splitlines()[-2:]
        yield base, env, folder, slug, title


def open_approve_modal(page, title):
    """The dashboard's "Awaiting your review" row for `title`: its approve-with-comment modal."""
    button = "button[data-workflow-action-url*='/approve/'][data-launch-modal]"
    page.locator("tr", has_text=title).locator(button).evaluate("button => button.click()")
    page.wait_for_selector(".modal textarea[name=comment]")
    return page.locator(".modal")


def nothing_public_in_english(base, slug, titles):
    code, _body = status(f"{base}/en/plans/{slug}/")
    listing = status(f"{base}/en/plans/")[1]
    return code == 404 and not any(title in listing for title in titles)


def test_a_translation_is_public_only_after_both_approvals(gate_site, browser, screenshots):
    base, _env, _folder, slug, title_fa = gate_site
    assert status(f"{base}/fa/plans/{slug}/")[0] == 200
    assert nothing_public_in_english(base, slug, [title_fa])

    # The translator translates the live plan ("Translate this page") and its title only.
    translator = log_in(browser, base, "translator")
    translator.goto(f"{base}/admin/revayat/translation-status/")
    with translator.expect_navigation():
        translator.locator("tr", has_text=title_fa).locator("a[href*='/localize/submit/page/']").first.click()
    translator.locator("input[name=locales]").evaluate_all("boxes => boxes.forEach(b => b.checked = true)")
    with translator.expect_navigation():
        translator.locator("main form button[type=submit], main form input[type=submit]").last.click()
    assert nothing_public_in_english(base, slug, [title_fa])  # created as a draft
    translator.goto(f"{base}/admin/revayat/translation-status/")
    with translator.expect_navigation():
        translator.locator("tr", has_text=title_fa).locator("td[data-locale=en] a[href$='/edit/']").click()
    segment = translator.locator("li.incomplete", has_text=title_fa).first
    segment.get_by_role("button").first.click()
    segment.locator("textarea").fill(TITLE_EN)
    segment.get_by_role("button").filter(has_text="ذخیره").first.click()
    translator.wait_for_selector(f"li.complete:has-text('{TITLE_EN}')")

    with translator.expect_navigation():  # below 100%: refused until the box is ticked
        translator.click("button[value=revayat-submit]")
    refusal = translator.locator(".messages").inner_text()
    assert "%" in refusal or "٪" in refusal, refusal
    translator.check("input[name=revayat-partial]")
    translator.screenshot(path=screenshots / "gate-translator-partial.png")
    with translator.expect_navigation():
        translator.click("button[value=revayat-submit]")
    assert "ترجمه برای بازبینی فرستاده شد" in translator.locator(".messages").inner_text()
    translator.context.close()
    assert nothing_public_in_english(base, slug, [title_fa, TITLE_EN])

    # The reviewer sees the share and approves: still nothing public.
    reviewer = log_in(browser, base, "reviewer")
    modal = open_approve_modal(reviewer, TITLE_EN)
    note = modal.locator(".revayat-workflow-note").inner_text()
    assert "٪" in note or "%" in note, note
    modal.locator("textarea[name=comment]").fill("ترجمهٔ عنوان درست است.")
    with reviewer.expect_navigation():
        modal.locator("button[type=submit]").click()
    reviewer.context.close()
    assert nothing_public_in_english(base, slug, [title_fa, TITLE_EN])

    # The approver sees the share, signs off with the written approval: now it is public.
    approver = log_in(browser, base, "approver")
    modal = open_approve_modal(approver, TITLE_EN)
    assert modal.locator(".revayat-workflow-note").inner_text() == note
    approver.screenshot(path=screenshots / "gate-approver-sees-translation-share.png")
    approver.select_option(".modal select[name=approval_document]", label="نامهٔ تأیید ترجمه")
    approver.fill(".modal textarea[name=comment]", "نامهٔ ۱۴/۲ برای انتشار ترجمهٔ ناقص")
    with approver.expect_navigation():
        modal.locator("button[type=submit]").click()
    approver.context.close()
    code, body = status(f"{base}/en/plans/{slug}/")
    assert code == 200 and TITLE_EN in body
    assert TITLE_EN in status(f"{base}/en/plans/")[1]
    anonymous = browser.new_page()
    anonymous.goto(f"{base}/en/plans/{slug}/")
    anonymous.screenshot(path=screenshots / "gate-translation-live.png")
    anonymous.close()


def test_a_superuser_force_publishes_only_with_a_reason(gate_site, browser, screenshots):
    base, _env, _folder, slug, title_fa = gate_site
    summary = "خلاصهٔ فوری، منتشرشده به‌اجبار."
    root = log_in(browser, base, "root")
    root.goto(f"{base}/admin/revayat/translation-status/")
    edit_url = base + root.locator("tr", has_text=title_fa).first.locator("td a").first.get_attribute("href")

    for reason in ("", "اطلاعیهٔ فوری؛ تأیید کتبی پس از انتشار"):
        root.goto(edit_url)
        root.fill("textarea[name=summary]", summary)
        root.locator("footer [data-w-dropdown-target=toggle]").last.click()
        root.fill("input[name=revayat-force-reason]", reason)
        if reason:
            root.screenshot(path=screenshots / "gate-force-publish-reason.png")
        with root.expect_navigation():
            root.locator("button[name=action-publish]").click()
        if not reason:
            assert "دلیل" in root.locator(".messages").inner_text()
            assert summary not in status(f"{base}/fa/plans/{slug}/")[1]
    assert summary in status(f"{base}/fa/plans/{slug}/")[1]
    root.goto(edit_url.replace("/edit/", "/history/"))
    assert "اطلاعیهٔ فوری" in root.locator("main").inner_text()
    root.context.close()


def stop(process):
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def scheduled_publications(database, slug):
    with sqlite3.connect(database, timeout=20) as connection:
        return connection.execute(
            "SELECT COUNT(*) FROM wagtailcore_pagelogentry e JOIN wagtailcore_page p ON p.id = e.page_id "
            "WHERE e.action = 'wagtail.publish.scheduled' AND p.slug = ?",
            (slug,),
        ).fetchone()[0]


def test_a_scheduled_page_goes_live_by_itself_once(gate_site, browser, screenshots):
    base, env, folder, _slug, _title = gate_site
    slug, path = shell(env, SCHEDULE.format(seconds=3)).splitlines()[-2:]
    url = base + path
    assert status(url)[0] == 404
    time.sleep(4)  # its time passes while nothing runs: the schedulers catch up when they start
    assert status(url)[0] == 404
    scheduler = ("run_scheduler", "--interval", "1")
    processes = [
        start_command(env, "db_worker", "--interval", "0.5"),
        start_command(env, "distribution_relay"),
        start_command(env, *scheduler),
        start_command(env, *scheduler),
    ]
    try:
        deadline = time.monotonic() + 60
        while status(url)[0] != 200 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert status(url)[0] == 200
        stop(processes.pop())  # a scheduler restarted: nothing is published again
        processes.append(start_command(env, *scheduler))
        time.sleep(3)
    finally:
        for process in processes:
            stop(process)
    assert scheduled_publications(folder / "demo.sqlite3", slug) == 1
    page = browser.new_page()
    page.goto(url)
    page.screenshot(path=screenshots / "gate-scheduled-live.png")
    page.close()
