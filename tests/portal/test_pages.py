"""Every page type renders in Persian (RTL) and English, with one h1 and the 8 section anchors."""

import re

import pytest
from django.utils.html import escape
from wagtail.models import Page

from cms.i18n import format_date, format_money
from plans.models import ExecutiveSummaryPage, PlanIndexPage, PlanPage

pytestmark = pytest.mark.django_db

PAGE_TYPES = [
    ("home", lambda: Page.objects.filter(depth=2)),
    ("index", lambda: PlanIndexPage.objects.all()),
    ("plan", lambda: PlanPage.objects.all()),
    ("summary", lambda: ExecutiveSummaryPage.objects.all()),
]


def html_attrs(content):
    match = re.search(r"<html lang=\"(\w+)\" dir=\"(\w+)\">", content)
    return match.groups() if match else None


@pytest.mark.parametrize(("kind", "pages"), PAGE_TYPES)
@pytest.mark.parametrize(("language", "direction"), [("fa", "rtl"), ("en", "ltr")])
def test_every_page_type_renders_in_both_languages(client, demo, kind, pages, language, direction):
    found = pages().filter(locale__language_code=language)
    assert found.exists(), f"no {kind} page in {language}"
    for page in found:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        content = response.content.decode()
        assert html_attrs(content) == (language, direction)
        assert content.count("<h1") == 1
        assert f"<h1>{page.title}</h1>" in content or f">{page.title}</h1>" in content


@pytest.mark.parametrize("language", ["fa", "en"])
def test_plan_page_shows_contents_and_all_eight_sections(client, demo, language):
    plans = demo.plans_fa if language == "fa" else demo.plans_en
    assert len(plans) == 4
    for plan in plans:
        content = client.get(plan.url).content.decode()
        for number in range(1, 9):
            assert f'id="section-{number}"' in content
            assert f'href="#section-{number}"' in content
        positions = [content.index(f'id="section-{number}"') for number in range(1, 9)]
        assert positions == sorted(positions), "sections are out of order"


def test_fa_plan_page_shows_jalali_dates_persian_digits_and_rials(client, demo):
    plan = demo.plans_fa[0]
    content = client.get(plan.url).content.decode()
    assert format_date(plan.start_date, "fa") in content
    assert format_money(plan.approved_budget_rials, "rial", "fa") in content


def test_en_plan_page_shows_gregorian_dates(client, demo):
    plan = demo.plans_en[0]
    content = client.get(plan.url).content.decode()
    assert format_date(plan.start_date, "en") in content
    main = re.sub(r"<[^>]+>", " ", content.split("<main", 1)[1])
    assert not re.search("[۰-۹]", main), "Persian digits on the English page"


def test_illustrative_figures_are_labelled_on_the_page(client, demo):
    for plan in demo.plans_fa + demo.plans_en:
        content = client.get(plan.url).content.decode()
        assert "note--illustrative" in content
        assert escape(plan.illustrative_notice) in content


def test_root_redirects_by_accept_language(client, demo):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").url == "/en/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fa-IR,fa;q=0.9").url == "/fa/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="de").url == "/fa/"  # Persian is the default


@pytest.mark.parametrize("path", ["/de/", "/xx/plans/", "/fa/no-such-page/", "/en/plans/nope/"])
def test_unknown_locales_and_pages_get_a_404_page_not_a_500(client, demo, path):
    response = client.get(path, follow=True)
    assert response.status_code == 404
    content = response.content.decode()
    assert 'href="/fa/"' in content and 'href="/en/"' in content


def test_drafts_and_private_pages_are_not_served(client, demo):
    from wagtail.models import PageViewRestriction

    plan = demo.plans_fa[0]
    PageViewRestriction.objects.create(page=plan, restriction_type="login")
    assert client.get(plan.url).status_code == 302  # to the login page
    other = demo.plans_fa[1]
    other.unpublish()
    assert client.get(other.url).status_code == 404
    listing = client.get(demo.index_fa.url).content.decode()
    assert plan.title not in listing and other.title not in listing


def test_amounts_follow_the_portal_setting_for_rials_or_tomans(client, demo):
    from wagtail.models import Site

    from home.models import PortalSettings

    plan = demo.plans_fa[0]
    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    settings.money_unit = "toman"
    settings.save()
    content = client.get(plan.url).content.decode()
    assert format_money(plan.approved_budget_rials, "toman", "fa") in content
    assert "تومان" in content


def test_cached_listings_drop_a_plan_as_soon_as_it_is_restricted(client, demo):
    from wagtail.models import PageViewRestriction

    plan = demo.plans_fa[0]
    link = f'href="{plan.url}"'
    for url in (demo.home_fa.url, demo.index_fa.url):
        assert link in client.get(url).content.decode()  # now cached
    restriction = PageViewRestriction.objects.create(page=plan, restriction_type="login")
    for url in (demo.home_fa.url, demo.index_fa.url):
        assert link not in client.get(url).content.decode()
    restriction.delete()
    assert link in client.get(demo.index_fa.url).content.decode()


@pytest.mark.parametrize(("language", "og_locale"), [("fa", "fa_IR"), ("en", "en_US")])
def test_plan_pages_carry_link_preview_metadata(client, demo, language, og_locale):
    plan = (demo.plans_fa if language == "fa" else demo.plans_en)[0]
    content = client.get(plan.url).content.decode()
    assert f'<meta property="og:locale" content="{og_locale}">' in content
    assert f'<meta property="og:title" content="{escape(plan.title)}">' in content
    assert re.search(r'<meta property="og:image" content="https?://[^"]+fill-1200x630[^"]*\.jpg">', content)
    assert f'<link rel="canonical" href="{plan.get_full_url()}">' in content
