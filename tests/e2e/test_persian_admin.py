"""In Chromium: the main Persian admin screens, as each role sees them, show no English and no ASCII digits.

Editor, translator, reviewer, approver and site administrator (never a superuser) each log in and open
the screens they own (each screen once): dashboard, page explorer, a plan's editor and history, workflow
and task screens, reports, images, documents, media, translation status, account settings, the
distribution screens and the site settings. The journeys check the screens they pass themselves. On each,
every visible text node (and title, aria-label, placeholder, alt) is collected (tests/e2e/persian.py) and
any Latin word outside the allow-list fails the test, naming the word and where it was. A plan is in the
workflow at the review task meanwhile, so the reviewer's dashboard and the task reports have rows.

Content is not interface: English page titles (the translator's tree) and usernames are passed as
`content` and stripped before the check (the demo's images and media carry Persian titles). A
screenshot of every screen goes to the screenshots folder (test-artifacts/screenshots, git-ignored; CI
keeps it).
"""

import json
import re
import subprocess
import sys

import pytest

from tests.demo_server import ROOT
from tests.e2e.conftest import PASSWORD, log_in, site_env
from tests.e2e.persian import ascii_digits, latin_words, visible_texts

SETUP = """
import json
from django.contrib.auth import get_user_model
from wagtail.models import Page
from cms.workflow.demo import ensure_role_users
from plans.models import PlanIndexPage, PlanPage

ensure_role_users(password={password!r})
users = get_user_model().objects
plans = PlanPage.objects.filter(locale__language_code="fa").order_by("path")
plan = plans.last()  # the other browser modules work on the first plans
state = plan.get_workflow().start(plan, users.get(username="editor"))
titles = Page.objects.filter(locale__language_code="en").values_list("title", flat=True)
print(json.dumps({{
    "plan": plan.pk,
    "state": state.pk,
    "index_fa": PlanIndexPage.objects.get(locale__language_code="fa").pk,
    "index_en": PlanIndexPage.objects.get(locale__language_code="en").pk,
    "english_titles": sorted(set(titles)),
    "usernames": sorted(users.values_list("username", flat=True)),
}}))
"""

TEARDOWN = """
from wagtail.models import WorkflowState
from django.contrib.auth import get_user_model
WorkflowState.objects.get(pk={state}).cancel(user=get_user_model().objects.get(username="siteadmin"))
"""

CREDENTIAL_KEYS = ("token", "password", "secret")  # the JSON keys an administrator has to set, as codes


def shell(env, code):
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def site(portal_site):
    """(base URL, facts from the demo) with the role users added and the last plan at the review task."""
    base, folder = portal_site
    env = site_env(folder)
    facts = json.loads(shell(env, SETUP.format(password=PASSWORD)).strip().splitlines()[-1])
    yield base, facts
    shell(env, TEARDOWN.format(state=facts["state"]))  # the plan leaves the workflow for the next modules


def screens(facts):
    """{role: [(name, admin path)]}: the screens each role owns, each screen once (a second role only where
    it sees other content). The plan's editor is opened once, by the reviewer. The journeys check their
    own screens (tests/e2e/test_jalali_admin.py,
    test_sign_off_journeys.py: a new plan's editor, status panel, schedule dialog, history and image upload;
    the reviewer's and approver's dashboards and dialogs; the translation editor and its submission)."""
    plan = facts["plan"]
    return {
        "editor": [
            ("dashboard", "/admin/"),
            ("explorer", f"/admin/pages/{facts['index_fa']}/"),
            ("plan-history", f"/admin/pages/{plan}/history/"),
            ("search", "/admin/pages/search/?q=%D8%B7%D8%B1%D8%AD"),  # طرح
            ("site-history", "/admin/reports/site-history/"),
            ("aging-pages", "/admin/reports/aging-pages/"),
            ("locked-pages", "/admin/reports/locked/"),
            ("images", "/admin/images/"),
            ("documents", "/admin/documents/"),
            ("media", "/admin/media/"),
            ("account", "/admin/account/"),
            ("distribution-report", "/admin/distribution/"),
            ("rules", "/admin/snippets/distribution/distributionrule/"),
            ("distribution-preview", f"/admin/distribution/page/{plan}/preview/"),
        ],
        "translator": [
            ("dashboard", "/admin/"),  # translations to do
            ("explorer-en", f"/admin/pages/{facts['index_en']}/"),
            ("translation-status", "/admin/revayat/translation-status/"),
        ],
        "reviewer": [
            # The demo plan's full editor (every block filled), with the review task's actions; the
            # editor's own editor is the jalali journey's.
            ("review-editor", f"/admin/pages/{plan}/edit/"),
            ("workflow-history", f"/admin/pages/{plan}/workflow_history/"),
            ("workflow-report", "/admin/reports/workflow/"),
            ("task-report", "/admin/reports/workflow_tasks/"),
        ],
        "approver": [
            ("documents", "/admin/documents/"),  # with the restricted collection of written approvals
        ],
        "siteadmin": [
            ("workflows", "/admin/workflows/list/"),
            ("tasks", "/admin/workflows/tasks/index/"),
            ("groups", "/admin/groups/"),
            ("users", "/admin/users/"),
            ("collections", "/admin/collections/"),
            ("sites", "/admin/sites/"),
            ("locales", "/admin/locales/"),
            ("page-types", "/admin/reports/page-types-usage/"),
            ("channels", "/admin/snippets/distribution/channel/"),  # with the credentials' keys
        ],
    }


PROBE = """() => {
  const probe = document.createElement('p');
  probe.id = 'persian-probe';
  probe.textContent = 'Leftover و 42 ردیف';
  document.body.append(probe);
}"""


def assert_the_checks_work(page):
    """On a live screen: the digits script converts a number added now, and the collector sees English."""
    page.evaluate(PROBE)
    page.wait_for_function("() => document.getElementById('persian-probe').textContent.includes('۴۲')")
    texts = [item for item in visible_texts(page) if item["where"] == "p#persian-probe"]
    assert [word for word, *_ in latin_words(texts)] == ["Leftover"]
    assert ascii_digits([{"text": "Leftover و 42 ردیف", "where": "p"}]) != []
    page.evaluate("() => document.getElementById('persian-probe').remove()")


def check_screen(page, base, path, content, allow):
    """[problem lines] of the screen at `path`: Latin words and ASCII digits."""
    response = page.goto(base + path)
    assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(150)  # the digits script handles what React and Stimulus add on load
    texts = visible_texts(page)
    persian = [item for item in texts if re.search("[\u0600-\u06ff]", item["text"])]
    assert len(persian) >= 5, f"{path}: hardly any Persian text was collected ({len(texts)} texts)"
    found = latin_words(texts, allow, content)
    problems = [f"  Latin {word!r} in {text!r} ({where})" for word, text, where in found]
    problems += [f"  ASCII digits in {text!r} ({where})" for text, where in ascii_digits(texts, content)]
    return problems


@pytest.mark.parametrize("role", ["editor", "translator", "reviewer", "approver", "siteadmin"])
def test_the_persian_admin_shows_no_english(site, browser, screenshots, role):
    base, facts = site
    content = [*facts["english_titles"], *facts["usernames"]]
    allow = CREDENTIAL_KEYS
    page = log_in(browser, base, role)
    page.set_default_timeout(120_000)  # the editor's first render is slow on a busy two-core CI machine
    failures = []
    try:
        assert_the_checks_work(page)
        for name, path in screens(facts)[role]:
            problems = check_screen(page, base, path, content, allow)
            page.screenshot(path=screenshots / f"persian-admin-{role}-{name}.png", full_page=True)
            if problems:
                failures.append(f"{role} / {name} ({path}):\n" + "\n".join(dict.fromkeys(problems)))
    finally:
        page.context.close()
    assert not failures, "\n".join(failures)
