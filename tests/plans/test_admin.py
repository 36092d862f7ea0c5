"""Editors work in the Persian admin: edit views render; plans and summaries can be created."""

import datetime

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from plans.models import ExecutiveSummaryPage, PlanPage

pytestmark = pytest.mark.django_db

EMPTY_STREAMS = (
    "partner_units",
    "team",
    "macro_goals",
    "smart_goals",
    "upstream_documents",
    "introduction",
    "context",
    "implementation",
    "achievements",
    "lessons",
    "evaluation",
    "appendices",
)


def test_edit_views_render_in_persian_for_every_page_type(admin_client, demo):
    pages = [demo.home_fa, demo.index_fa, demo.plans_fa[0], demo.plans_fa[0].get_children().first()]
    for page in pages:
        response = admin_client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, page
        assert '<html lang="fa" dir="rtl"' in response.content.decode()


def test_editor_creates_a_draft_plan_that_is_not_public(admin_client, client, demo):
    data = nested_form_data(
        {
            "title": "طرح آزمایشی شماره ۱۹",
            "slug": "plan-19",
            "summary": "خلاصه",
            "plan_number": 19,
            "code": "TP-19",
            **{name: streamfield([]) for name in EMPTY_STREAMS},
            "introduction": streamfield(
                [("paragraph", rich_text("<p>متن <script>alert(1)</script>مقدمه</p>"))]
            ),
            "comments": inline_formset([]),
            "distribution": streamfield([]),
        }
    )
    response = admin_client.post(f"/admin/pages/add/plans/planpage/{demo.index_fa.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = PlanPage.objects.get(slug="plan-19")
    assert not page.live
    assert client.get("/fa/plans/plan-19/").status_code == 404
    stored = page.get_latest_revision_as_object().introduction.raw_data[0]["value"]
    assert "<script" not in stored and "مقدمه" in stored  # the element is gone, the Persian text kept


def test_editor_adds_an_executive_summary_under_a_plan(admin_client, demo):
    plan = PlanPage.objects.get(pk=demo.plans_fa[0].pk)
    plan.get_children().delete()
    data = nested_form_data(
        {
            "title": "خلاصهٔ مدیریتی",
            "slug": "summary-2",
            "summary": "",
            "body": streamfield([("paragraph", rich_text("<p>چکیده</p>"))]),
            "comments": inline_formset([]),
            "distribution": streamfield([]),
            "action-publish": "action-publish",
            "revayat-force-reason": "آزمون",  # a superuser's publish is a force publish, with a reason
        }
    )
    response = admin_client.post(f"/admin/pages/add/plans/executivesummarypage/{plan.pk}/", data)
    assert response.status_code == 302
    summary = ExecutiveSummaryPage.objects.get(slug="summary-2")
    assert summary.live and summary.get_parent().pk == plan.pk


def test_editor_types_jalali_dates_and_persian_amounts(admin_client, demo):
    data = nested_form_data(
        {
            "title": "طرح با تاریخ شمسی",
            "slug": "plan-20",
            "summary": "",
            "plan_number": "۲۰",
            "start_date": "۱۴۰۲/۰۸/۰۱",
            "end_date": "1404-12-29",
            "approved_budget_rials": "۳۲۰٬۰۰۰٬۰۰۰٬۰۰۰",
            **{name: streamfield([]) for name in EMPTY_STREAMS},
            "comments": inline_formset([]),
            "distribution": streamfield([]),
        }
    )
    response = admin_client.post(f"/admin/pages/add/plans/planpage/{demo.index_fa.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    page = PlanPage.objects.get(slug="plan-20").get_latest_revision_as_object()
    assert page.plan_number == 20
    assert page.start_date == datetime.date(2023, 10, 23)
    assert page.end_date == datetime.date(2026, 3, 20)
    assert page.approved_budget_rials == 320_000_000_000

    content = admin_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert 'value="۱۴۰۲/۰۸/۰۱"' in content  # shown back in the Jalali calendar


def test_an_impossible_jalali_date_is_refused_with_a_message_and_nothing_is_saved(admin_client, demo):
    data = nested_form_data(
        {
            "title": "طرح",
            "slug": "plan-bad-date",
            "summary": "",
            "start_date": "۱۴۰۳/۱۳/۰۱",
            **{name: streamfield([]) for name in EMPTY_STREAMS},
            "comments": inline_formset([]),
            "distribution": streamfield([]),
        }
    )
    response = admin_client.post(f"/admin/pages/add/plans/planpage/{demo.index_fa.pk}/", data)
    assert response.status_code == 200
    assert "1403/01/15" in response.content.decode() or "۱۴۰۳/۰۱/۱۵" in response.content.decode()
    assert not PlanPage.objects.filter(slug="plan-bad-date").exists()
