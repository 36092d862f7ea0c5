"""Autosave and "Save draft" racing on a new page (issue 14, item 6): an answer, never a 500.

The race is reproduced by its interleaving: the second request has validated its form (the slug was
free) when the first one — the autosave — commits the page; only then does the second one create it.
Run as the editor role."""

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.forms import RevayatPageForm
from plans.models import ExecutiveSummaryPage, PlanPage
from tests.workflow.conftest import login, users  # noqa: F401  (fixtures: one user per role)

pytestmark = pytest.mark.django_db


def summary_form(slug):
    return nested_form_data(
        {
            "title": "خلاصهٔ مدیریتی تازه",
            "slug": slug,
            "summary": "",
            "body": streamfield([("paragraph", rich_text("<p>چکیده</p>"))]),
            "comments": inline_formset([]),
            "distribution": streamfield([]),
        }
    )


@pytest.fixture
def plan(demo):
    plan = PlanPage.objects.get(pk=demo.plans_fa[0].pk)
    ExecutiveSummaryPage.objects.child_of(plan).delete()  # one summary per plan: make room for it
    return PlanPage.objects.get(pk=plan.pk)


@pytest.fixture
def autosave_commits_first(monkeypatch, plan):
    """Between the form's validation and the page's creation, the autosave creates the same page."""
    validate = RevayatPageForm.is_valid

    def racing(form):
        valid = validate(form)
        if valid and not ExecutiveSummaryPage.objects.filter(slug=form.cleaned_data["slug"]).exists():
            PlanPage.objects.get(pk=plan.pk).add_child(
                instance=ExecutiveSummaryPage(title="autosaved", slug=form.cleaned_data["slug"], live=False)
            )
        return valid

    monkeypatch.setattr(RevayatPageForm, "is_valid", racing)


@pytest.mark.parametrize("accept", ["text/html", "application/json"])
def test_a_new_page_saved_twice_at_once_gets_an_answer(login, plan, autosave_commits_first, accept):  # noqa: F811
    url = f"/admin/pages/add/plans/executivesummarypage/{plan.pk}/"
    response = login("editor").post(
        url, summary_form("race-summary"), HTTP_ACCEPT=accept, HTTP_ACCEPT_LANGUAGE="fa"
    )
    first = ExecutiveSummaryPage.objects.get(slug="race-summary")  # one page, the autosave's
    if accept == "application/json":
        assert response.status_code == 400
        assert response.json()["error_code"] == "invalid_revision"
        assert "هم‌زمان" in response.json()["error_message"]
    else:
        assert response.status_code == 302 and response["Location"] == f"/admin/pages/{first.pk}/edit/"
    assert ExecutiveSummaryPage.objects.child_of(plan).count() == 1
