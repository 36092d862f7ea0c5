"""The JSON of every page type in Persian and English: typed values, components, filters, ordering, paging.

Frontends (the organization's portal and apps) consume these shapes; each detail response is also checked
against its page type's schema in /api/schema/, so the document and the data cannot drift apart.
"""

import re

import pytest
from wagtail.models import Page

from cms.visibility import public_pages
from home.models import HomePage
from plans.models import (
    ExecutiveSummaryPage,
    FilmPage,
    InfographicPage,
    PlanIndexPage,
    PlanPage,
    PodcastEpisodePage,
    PodcastSeriesPage,
)

pytestmark = pytest.mark.django_db

PAGE_TYPES = [
    HomePage,
    PlanIndexPage,
    PlanPage,
    ExecutiveSummaryPage,
    InfographicPage,
    PodcastSeriesPage,
    PodcastEpisodePage,
    FilmPage,
]
ONE_PER_LOCALE = (HomePage, PlanIndexPage)
PERSIAN_DIGIT = re.compile("[۰-۹]")


@pytest.mark.parametrize("language", ["fa", "en"])
@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda model: model.__name__)
def test_every_page_type_validates_against_its_schema(api, validate, demo, model, language):
    pages = model.objects.filter(locale__language_code=language)
    page = pages.get() if model in ONE_PER_LOCALE else pages.order_by("path").first()
    status, data, _response = api(f"/api/v2/pages/{page.pk}/")
    assert status == 200
    validate(data, f"Page.{model._meta.label}")
    assert data["meta"]["type"] == model._meta.label
    assert data["meta"]["locale"] == language
    assert data["title"] == page.title
    assert data["summary"] == page.summary


@pytest.mark.parametrize("language", ["fa", "en"])
def test_plan_page_values_are_typed(api, demo, language):
    plan = (demo.plans_fa if language == "fa" else demo.plans_en)[0]
    _status, data, _response = api(f"/api/v2/pages/{plan.pk}/")

    assert data["plan_number"] == plan.plan_number
    start = data["start_date"]
    assert start["iso"] == plan.start_date.isoformat()
    assert re.fullmatch(r"1[34]\d\d-\d\d-\d\d", start["jalali"])  # a Jalali year, ASCII digits
    assert bool(PERSIAN_DIGIT.search(start["display"])) is (language == "fa")
    budget = data["approved_budget_rials"]
    assert budget["amount"] == plan.approved_budget_rials and budget["currency"] == "IRR"
    assert ("ریال" in budget["display"]) is (language == "fa")
    assert data["lead_unit"]["type"] == "plans.OrganizationUnit"
    assert data["lead_unit"]["name"] == plan.lead_unit.name

    hero = data["hero_image"]
    assert hero["id"] == plan.hero_image_id and hero["alt"] == plan.hero_image_alt
    for rendition in hero["renditions"].values():
        assert rendition["url"].startswith("http") and rendition["width"] > 0 and rendition["height"] > 0

    assert [section["number"] for section in data["sections"]] == list(range(1, 9))
    for block in data["lessons"]:
        assert set(block) == {"type", "value", "id"}
    raw_ids = [block.id for block in plan.lessons]
    assert [block["id"] for block in data["lessons"]] == raw_ids
    matrix = next(block["value"] for block in data["lessons"] if block["type"] == "factor_matrix")
    row = matrix["rows"][0]
    assert row["kind"] in {"success", "failure"} and row["kind_display"]
    assert data["kpis"], "the plan's public KPI series"
    for kpi in data["kpis"]:
        assert isinstance(kpi["baseline"]["value"], (int, float, type(None)))
        assert all(isinstance(point["value"], (int, float)) for point in kpi["values"])
    team = data["team"][0]["value"]
    assert team["person"]["type"] == "plans.Person" and team["role_display"]
    assert data["executive_summary"]["type"] == "plans.ExecutiveSummaryPage"
    # The files are built in the background after publication (off in tests): the keys are there, unbuilt.
    assert data["meta"]["deliverables"] == dict.fromkeys(
        [
            "report_pdf",
            "summary_pdf",
            "guide_pdf",
            "epub",
            "pptx",
            "package",
            "qr",
            "qr_svg",
            "source_package",
        ]
    )


def test_rich_text_is_display_html_with_expanded_links(api, demo):
    _status, data, _response = api(f"/api/v2/pages/{demo.home_fa.pk}/")
    assert data["intro"] and "linktype=" not in data["intro"]
    _status, raw, _response = api(f"/api/v2/pages/{demo.home_fa.pk}/?rich_text_format=db_html")
    assert raw["intro"] == demo.home_fa.intro


def test_figure_blocks_carry_image_renditions_and_alt(api, demo):
    plan = demo.plans_fa[0]
    _status, data, _response = api(f"/api/v2/pages/{plan.pk}/")
    figures = [
        block["value"]
        for section in (
            "achievements",
            "implementation",
            "context",
            "appendices",
            "introduction",
            "evaluation",
            "lessons",
        )
        for block in data[section]
        if block["type"] == "figure"
    ]
    assert figures, "the demo plan has a figure"
    for figure in figures:
        assert figure["alt"] and figure["image"]["renditions"]["medium"]["url"].startswith("http")


def test_translations_round_trip(api, demo):
    for plan in demo.plans_fa:
        _status, fa, _response = api(f"/api/v2/pages/{plan.pk}/")
        (english,) = fa["meta"]["translations"]
        assert english["locale"] == "en"
        _status, en, _response = api(english["api_url"].split("testserver")[-1].split("8000")[-1])
        assert en["id"] == english["id"] and en["meta"]["locale"] == "en"
        (back,) = en["meta"]["translations"]
        assert back["id"] == plan.pk and back["locale"] == "fa"
        assert back["html_url"] == fa["meta"]["html_url"]


def test_breadcrumbs_lead_from_home_to_the_page(api, demo):
    summary = ExecutiveSummaryPage.objects.filter(locale=demo.locale_en).first()
    _status, data, _response = api(f"/api/v2/pages/{summary.pk}/")
    crumbs = data["meta"]["breadcrumbs"]
    assert [crumb["type"] for crumb in crumbs] == [
        "home.HomePage",
        "plans.PlanIndexPage",
        "plans.PlanPage",
        "plans.ExecutiveSummaryPage",
    ]
    assert crumbs[0]["id"] == demo.home_en.pk and crumbs[-1]["id"] == summary.pk


@pytest.mark.parametrize("language", ["fa", "en"])
def test_navigation_is_the_locale_tree_to_the_requested_depth(api, validate, openapi, demo, language):
    status, data, _response = api(f"/api/v2/navigation/?locale={language}&depth=2")
    assert status == 200
    home = demo.home_fa if language == "fa" else demo.home_en
    assert data["home"]["id"] == home.pk
    (index,) = data["items"]
    assert index["type"] == "plans.PlanIndexPage"
    plans = demo.plans_fa if language == "fa" else demo.plans_en
    assert sorted(child["id"] for child in index["children"]) == sorted(plan.pk for plan in plans)
    assert all(child["children"] == [] for child in index["children"])  # depth 2 stops at the plans
    _status, deeper, _response = api(f"/api/v2/navigation/?locale={language}&depth=3")
    for child in deeper["items"][0]["children"]:  # each plan's public children: summary and media pages
        children = public_pages(Page.objects.child_of(Page.objects.get(pk=child["id"])))
        assert sorted(grandchild["id"] for grandchild in child["children"]) == sorted(
            children.values_list("pk", flat=True)
        )
    for item in deeper["items"]:
        validate(item, "NavigationItem")


def test_filters_locale_type_child_of_descendant_of_and_plan_number(api, demo):
    _status, data, _response = api("/api/v2/pages/?locale=en&type=plans.PlanPage&limit=50")
    assert {item["id"] for item in data["items"]} == {plan.pk for plan in demo.plans_en}
    assert data["meta"]["total_count"] == len(demo.plans_en)

    _status, data, _response = api(f"/api/v2/pages/?child_of={demo.index_fa.pk}")
    assert {item["id"] for item in data["items"]} == {plan.pk for plan in demo.plans_fa}

    summaries = f"/api/v2/pages/?descendant_of={demo.index_fa.pk}&type=plans.ExecutiveSummaryPage"
    _status, data, _response = api(summaries)
    assert data["meta"]["total_count"] == len(demo.plans_fa)

    number = demo.plans_fa[1].plan_number
    _status, data, _response = api(
        f"/api/v2/pages/?type=plans.PlanPage&plan_number={number}&fields=plan_number"
    )
    assert sorted(item["meta"]["locale"] for item in data["items"]) == ["en", "fa"]
    assert {item["plan_number"] for item in data["items"]} == {number}


def test_ordering_and_pagination_with_totals(api, demo):
    _status, data, _response = api(
        "/api/v2/pages/?type=plans.PlanPage&locale=fa&order=-plan_number&fields=plan_number"
    )
    numbers = [item["plan_number"] for item in data["items"]]
    assert numbers == sorted((plan.plan_number for plan in demo.plans_fa), reverse=True)

    _status, first, _response = api("/api/v2/pages/?limit=3&offset=0")
    _status, second, _response = api("/api/v2/pages/?limit=3&offset=3")
    assert first["meta"]["total_count"] == second["meta"]["total_count"] > 6
    assert not {item["id"] for item in first["items"]} & {item["id"] for item in second["items"]}
    assert len(first["items"]) == len(second["items"]) == 3


def test_search_finds_public_pages(api, demo):
    plan = demo.plans_en[0]
    word = plan.title.split()[-1]
    _status, data, _response = api(f"/api/v2/pages/?search={word}&locale=en")
    assert plan.pk in {item["id"] for item in data["items"]}


def test_images_and_documents_endpoints(api, validate, demo):
    status, data, _response = api("/api/v2/images/")
    assert status == 200 and data["meta"]["total_count"] >= 1
    validate(data["items"][0], "images.item")
    image_id = demo.plans_fa[0].hero_image_id
    status, image, _response = api(f"/api/v2/images/{image_id}/")
    validate(image, "images.detail")
    assert set(image["meta"]["renditions"]) == {"thumbnail", "medium", "large"}
    status, data, _response = api("/api/v2/documents/")
    assert status == 200 and data["meta"]["total_count"] == 0
