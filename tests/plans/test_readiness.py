"""Publish readiness: a plan cannot go live while a section or mandatory element is missing.

Scenarios (each starts from a complete demo plan and removes one thing):
- each of the 8 sections empty → its own checklist item;
- fewer than 5 lessons, no success/failure matrix (or only one kind of factor), no before/after KPI,
  no quote, no reference, no roadmap, no governance, each section-2 field → their own items;
- publishing by any path raises, the admin shows the checklist in Persian instead of a stack trace,
  and saving a draft is always allowed.
"""

import json

import pytest
from django.utils import translation

from cms.publication import PublishBlockedError
from plans.models import PlanPage
from plans.sections import SECTIONS

pytestmark = pytest.mark.django_db


def without_blocks(stream, block_type):
    return json.dumps([b for b in stream.raw_data if b["type"] != block_type])


def keep_lessons(page, count):
    raw = list(page.lessons.raw_data)
    for block in raw:
        if block["type"] == "lessons":
            block["value"]["items"] = block["value"]["items"][:count]
            count = 0
    return json.dumps(raw)


def one_kind_of_factor(page):
    raw = list(page.lessons.raw_data)
    for block in raw:
        if block["type"] == "factor_matrix":
            block["value"]["rows"] = [r for r in block["value"]["rows"] if r["value"]["kind"] == "success"]
    return json.dumps(raw)


def kpis_without_after(page):
    """The plan's KPIs (plans.KPI, in every language) lose their actual values; no field changes."""
    from plans.models import KPIValue

    KPIValue.objects.filter(kpi__plan__translation_key=page.translation_key).delete()
    return {}


def only_team_members(page):
    return json.dumps([dict(m, value={**m["value"], "role": "team_member"}) for m in page.team.raw_data])


def emptied(field):
    return lambda page: {field: "[]"}


BREAKAGES = {
    **{
        f"section-{n}-empty": emptied(name)
        for n, name in [
            (1, "introduction"),
            (3, "context"),
            (4, "implementation"),
            (5, "achievements"),
            (6, "lessons"),
            (7, "evaluation"),
            (8, "appendices"),
        ]
    },
    "plan-number": lambda p: {"plan_number": None},
    "code": lambda p: {"code": ""},
    "full-title": lambda p: {"full_title": ""},
    "dates": lambda p: {"end_date": None},
    "budget": lambda p: {"actual_cost_rials": None},
    "lead-unit": lambda p: {"lead_unit": None},
    "senior-managers": lambda p: {"team": only_team_members(p)},
    "macro-goals": lambda p: {"macro_goals": "[]"},
    "smart-goals": lambda p: {"smart_goals": "[]"},
    "upstream-documents": lambda p: {"upstream_documents": "[]"},
    "roadmap": lambda p: {"implementation": without_blocks(p.implementation, "roadmap")},
    "governance": lambda p: {"implementation": without_blocks(p.implementation, "governance")},
    "kpis": kpis_without_after,
    "lessons": lambda p: {"lessons": keep_lessons(p, 4)},
    "factor-matrix": lambda p: {"lessons": one_kind_of_factor(p)},
    "quotes": lambda p: {"lessons": without_blocks(p.lessons, "quote")},
    "references": lambda p: {"appendices": without_blocks(p.appendices, "reference")},
}


def test_demo_plans_are_complete(demo):
    for plan in demo.plans_fa + demo.plans_en:
        assert plan.missing_for_publication() == []


@pytest.mark.parametrize("code", sorted(BREAKAGES))
def test_each_missing_element_blocks_publication_with_its_message(demo, code):
    plan = PlanPage.objects.get(pk=demo.plans_fa[0].pk)
    for field, value in BREAKAGES[code](plan).items():
        setattr(plan, field, value)
    codes = [item.code for item in plan.missing_for_publication()]
    # An empty section also misses the elements it should hold; anything else misses exactly one thing.
    assert codes[0] == code if code.endswith("-empty") else codes == [code]

    revision = plan.save_revision()  # a draft is always accepted
    with pytest.raises(PublishBlockedError) as raised:
        revision.publish()
    assert [item.code for item in raised.value.missing] == codes
    plan.refresh_from_db()
    assert plan.live_revision_id != revision.id


def test_four_lessons_are_not_enough_but_five_are(demo):
    plan = PlanPage.objects.get(pk=demo.plans_fa[0].pk)
    plan.lessons = keep_lessons(plan, 5)
    assert plan.missing_for_publication() == []


def test_checklist_speaks_the_admins_language_with_persian_digits(demo):
    plan = PlanPage.objects.get(pk=demo.plans_fa[0].pk)
    plan.lessons = keep_lessons(plan, 2)
    with translation.override("fa"):
        (item,) = plan.missing_for_publication()
    assert "۵" in str(item.label) and "۲" in str(item.label)
    assert "درس" in str(item.label)


def test_admin_publish_shows_the_missing_items_instead_of_an_error(admin_client, demo):
    """The editor presses Publish on an incomplete plan and reads what is missing, in Persian."""
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    plan = PlanPage.objects.get(pk=demo.plans_fa[0].pk)
    plan.lessons = keep_lessons(plan, 1)
    plan.save_revision()
    page = PlanPage.objects.get(pk=plan.pk)
    assert page.missing_for_publication() == []  # the live page is untouched

    # The checklist panel on the edit view reflects the saved draft.
    response = admin_client.get(f"/admin/pages/{plan.pk}/edit/", HTTP_ACCEPT_LANGUAGE="fa")
    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-code="lessons"' in content
    assert "revayat-readiness__item--missing" in content

    # Publishing through the admin with the lessons section emptied is refused with the checklist.
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "summary": page.summary,
            "plan_number": page.plan_number,
            "code": page.code,
            "full_title": page.full_title,
            "start_date": page.start_date.isoformat(),
            "end_date": page.end_date.isoformat(),
            "approved_budget_rials": page.approved_budget_rials,
            "actual_cost_rials": page.actual_cost_rials,
            "illustrative_notice": page.illustrative_notice,
            "lead_unit": page.lead_unit_id,
            "partner_units": streamfield([]),
            "team": streamfield([]),
            "macro_goals": streamfield([]),
            "smart_goals": streamfield([]),
            "upstream_documents": streamfield([]),
            "introduction": streamfield([]),
            "context": streamfield([]),
            "implementation": streamfield([]),
            "achievements": streamfield([]),
            "lessons": streamfield([]),
            "evaluation": streamfield([]),
            "appendices": streamfield([]),
            "comments": inline_formset([]),
            "distribution": streamfield([]),
        }
    )
    data["action-publish"] = "action-publish"
    data["revayat-force-reason"] = "آزمون"  # a superuser's publish is a force publish, with a reason
    response = admin_client.post(f"/admin/pages/{plan.pk}/edit/", data, HTTP_ACCEPT_LANGUAGE="fa")
    assert response.status_code == 200  # the form again, not a redirect, not a 500
    content = response.content.decode()
    assert "این صفحه هنوز قابل انتشار نیست" in content
    assert "بخش ۶" in content  # the lessons section, named in Persian with Persian digits
    page.refresh_from_db()
    assert page.live and page.missing_for_publication() == []

    # The same data saved as a draft is accepted.
    del data["action-publish"]
    response = admin_client.post(f"/admin/pages/{plan.pk}/edit/", data, HTTP_ACCEPT_LANGUAGE="fa")
    assert response.status_code == 302


def test_an_incomplete_block_is_a_checklist_item_and_its_message_is_at_the_block(client, demo):
    """ "Save draft" keeps a lesson without its title (Wagtail defers required blocks on a draft); Submit
    would refuse it, so the checklist names the section, the gate refuses it, and the editor opening the
    draft reads the block's Persian message at the block itself."""
    from cms.workflow.demo import ensure_role_users

    plan = PlanPage.objects.get(pk=demo.plans_fa[0].pk)
    raw = list(plan.lessons.raw_data)
    lessons = next(block for block in raw if block["type"] == "lessons")
    lessons["value"]["items"][0]["value"]["title"] = ""
    plan.lessons = json.dumps(raw)
    revision = plan.save_revision()  # a draft is always accepted

    with translation.override("fa"):
        (item,) = plan.missing_for_publication()
        assert item.code == "incomplete-lessons"
        assert str(SECTIONS[5].title) in str(item.label)  # section 6, named as its tab shows it
        assert "بلوک" in str(item.label)
        assert item in plan.readiness_checklist()  # the list the edit screen shows
    with pytest.raises(PublishBlockedError) as raised:
        revision.publish()
    assert [missing.code for missing in raised.value.missing] == ["incomplete-lessons"]

    ensure_role_users(password="pw")
    client.force_login(django_user("editor"))
    response = client.get(f"/admin/pages/{plan.pk}/edit/", HTTP_ACCEPT_LANGUAGE="fa")
    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-code="incomplete-lessons"' in content
    required = json.dumps("این فیلد لازم است.")[1:-1]  # Django's Persian "This field is required."
    assert content.count(required) == 1, "the message is at the lesson's title, and only there"

    # The complete plan opens without any block message.
    plan.lessons = json.dumps([dict(block) for block in PlanPage.objects.get(pk=plan.pk).lessons.raw_data])
    plan.save_revision()
    content = client.get(f"/admin/pages/{plan.pk}/edit/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert required not in content and 'data-code="incomplete-' not in content


def django_user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)
