"""A site you can walk (issue 15, item 4): the header menu and search box on every page, the plan page
as a hub, the media and dashboard indexes, breadcrumbs, the human sitemap, the menu in the navigation
API, robots.txt and the icons, and the portal's 404 and 500 pages (with DEBUG too).

The browser journey over the same parts is tests/e2e/test_site_walk.py; what the new listings must not
show is the privacy matrix's (tests/privacy/test_matrix.py, `portal_listings`).
"""

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site

from cms import visibility
from cms.templatetags.revayat import menu_items
from cms.views import server_error
from plans.models import FilmPage, InfographicPage, PodcastEpisodePage, PodcastSeriesPage

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
LANGUAGES = ["fa", "en"]


class Links(HTMLParser):
    """The hrefs of <a> elements and the attributes of <form>, <input> and <label> elements."""

    def __init__(self):
        super().__init__()
        self.hrefs, self.forms, self.inputs, self.labels = [], [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        elif tag == "form":
            self.forms.append(attrs)
        elif tag == "input":
            self.inputs.append(attrs)
        elif tag == "label":
            self.labels.append(attrs)


def parse(response):
    links = Links()
    links.feed(response.content.decode())
    return links


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response


def paths(hrefs):
    return {urlsplit(href).path for href in hrefs}


def public(model, language):
    return list(visibility.public_pages(model.objects.filter(locale__language_code=language)))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_has_the_menu_and_a_search_box_in_its_language(client, demo, language):
    menu_labels = {
        "fa": ["طرح‌ها", "داشبوردها", "رسانه‌ها", "درباره"],
        "en": ["Plans", "Dashboards", "Media", "About"],
    }
    pages = Page.objects.filter(locale__language_code=language, depth__gte=2)
    urls = [page.url for page in visibility.public_pages(pages)]
    urls += [f"/{language}/plans/media/", f"/{language}/sitemap/", f"/{language}/about/"]
    for url in urls:
        response = get(client, url)
        content = response.content.decode()
        assert 'class="site-menu"' in content, url
        for label in menu_labels[language]:
            assert f">{label}</a>" in content, (url, label)
        links = parse(response)
        (form,) = [form for form in links.forms if form.get("role") == "search"]
        assert form["action"] == f"/{language}/search/" and form["method"] == "get"
        (box,) = [field for field in links.inputs if field.get("id") == "site-search-q"]
        assert box["name"] == "q" and box["type"] == "search"
        assert any(label.get("for") == "site-search-q" for label in links.labels)
        label = {"fa": "جست‌وجو در درگاه", "en": "Search the portal"}[language]
        assert f'<label class="visually-hidden" for="site-search-q">{label}</label>' in content
        assert 'aria-controls="site-menu-panel"' in content and 'aria-expanded="false"' in content


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_menu_links_lead_to_pages_that_answer(client, demo, language):
    links = parse(get(client, f"/{language}/"))
    menu = [href for href in links.hrefs if href.startswith(f"/{language}/")]
    for path in [
        f"/{language}/plans/",
        f"/{language}/plans/dashboards/",
        f"/{language}/plans/media/",
        f"/{language}/about/",
        f"/{language}/sitemap/",
    ]:
        assert path in menu, path
        get(client, path)


def test_the_menu_is_worked_out_once_and_follows_a_privacy_change(client, demo):
    """The menu is cached (every page shows it); a view restriction retires it at once."""

    def request(path):  # with its site, which serving a page finds first (Wagtail keeps it on the request)
        request = RequestFactory().get(path)
        Site.find_for_request(request)
        return request

    first_request, second_request = request("/fa/"), request("/fa/about/")
    with CaptureQueriesContext(connection) as first:
        items = menu_items(first_request, "fa")
    with CaptureQueriesContext(connection) as second:
        assert menu_items(second_request, "fa") == items
    assert len(first) and not len(second)
    assert "/fa/plans/" in parse(get(client, "/fa/")).hrefs
    PageViewRestriction.objects.create(page=demo.index_fa, restriction_type=PageViewRestriction.LOGIN)
    assert "/fa/plans/" not in parse(get(client, "/fa/")).hrefs


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_plan_page_is_a_hub_for_its_summary_media_deliverables_and_dashboard(client, demo, language):
    plans = demo.plans_fa if language == "fa" else demo.plans_en
    for plan in plans:
        hrefs = paths(parse(get(client, plan.url)).hrefs)
        children = visibility.public_pages(Page.objects.child_of(plan))
        assert children.exists()
        for child in children:
            assert child.url in hrefs, (plan.url, child.url)
        assert "#dashboard" in parse(get(client, plan.url)).hrefs


def test_the_hub_leaves_out_what_is_not_public(client, demo):
    plan = demo.plans_fa[0]
    infographic = InfographicPage.objects.child_of(plan).get()
    film = FilmPage.objects.child_of(plan).get()
    film.unpublish()
    PageViewRestriction.objects.create(page=infographic, restriction_type="password", password="x")
    hrefs = paths(parse(get(client, plan.url)).hrefs)
    assert infographic.url not in hrefs and film.url not in hrefs
    assert PodcastSeriesPage.objects.child_of(plan).get().url in hrefs


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("kind", "models"),
    [
        ("podcasts", [PodcastSeriesPage, PodcastEpisodePage]),
        ("films", [FilmPage]),
        ("infographics", [InfographicPage]),
    ],
)
def test_each_media_index_lists_every_public_page_of_its_kind(client, demo, language, kind, models):
    hrefs = paths(parse(get(client, f"/{language}/plans/media/{kind}/")).hrefs)
    hub = paths(parse(get(client, f"/{language}/plans/media/")).hrefs)
    for model in models:
        pages = public(model, language)
        assert pages, model
        for page in pages:
            assert page.url in hrefs and page.url in hub, page.url
    others = {FilmPage, InfographicPage, PodcastSeriesPage, PodcastEpisodePage} - set(models)
    for model in others:
        assert not {page.url for page in public(model, language)} & hrefs, model


def test_media_indexes_leave_out_what_is_not_public(client, demo):
    restricted, unpublished = InfographicPage.objects.filter(locale=demo.locale_fa).order_by("path")[:2]
    PageViewRestriction.objects.create(
        page=restricted.get_parent(), restriction_type="password", password="x"
    )
    unpublished.unpublish()
    for url in ["/fa/plans/media/infographics/", "/fa/plans/media/", "/fa/sitemap/"]:
        content = get(client, url).content.decode()
        assert restricted.url not in content and unpublished.url not in content, url
        assert restricted.title not in content and unpublished.title not in content, url


def test_the_dashboard_index_links_each_plans_dashboard(client, demo):
    hrefs = parse(get(client, "/fa/plans/dashboards/")).hrefs
    assert demo.plans_fa[0].get_parent().specific.dashboard_url in hrefs
    assert sorted(
        href for href in hrefs if href.endswith("/dashboard/") and "/plans/dashboard/" not in href
    ) == sorted(plan.dashboard_url for plan in demo.plans_fa)


def test_route_pages_have_their_own_canonical_alternates_and_language_switch(client, demo):
    content = get(client, "/fa/plans/media/films/").content.decode()
    assert re.search(r'<link rel="canonical" href="[^"]*/fa/plans/media/films/">', content)
    assert re.search(r'<link rel="alternate" hreflang="en" href="[^"]*/en/plans/media/films/">', content)
    assert 'href="/en/plans/media/films/" hreflang="en"' in content
    assert "<title>فیلم‌ها و موشن‌گرافی‌ها ·" in content


@pytest.mark.parametrize(
    ("url", "trail"),
    [
        ("/fa/plans/", ["/fa/"]),
        ("/fa/plans/media/", ["/fa/", "/fa/plans/"]),
        ("/fa/plans/media/podcasts/", ["/fa/", "/fa/plans/", "/fa/plans/media/"]),
        ("/en/plans/dashboards/", ["/en/", "/en/plans/"]),
        ("/fa/sitemap/", ["/fa/"]),
    ],
)
def test_breadcrumbs_lead_back_up(client, demo, url, trail):
    content = get(client, url).content.decode()
    crumbs = re.search(r'<nav class="breadcrumbs container"[^>]*>(.*?)</nav>', content, re.S).group(1)
    assert re.findall(r'href="([^"]+)"', crumbs) == trail
    assert crumbs.count('aria-current="page"') == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_human_sitemap_links_every_page_of_the_xml_sitemap_in_its_language(client, demo, language):
    root = ET.fromstring(get(client, "/sitemap.xml").content)
    expected = {
        urlsplit(url.find("s:loc", NS).text).path
        for url in root.findall("s:url", NS)
        if urlsplit(url.find("s:loc", NS).text).path.startswith(f"/{language}/")
    }
    assert len(expected) == 29  # 26 plan pages, the two co-creation calls and the results
    response = get(client, f"/{language}/sitemap/")
    hrefs = paths(parse(response).hrefs)
    assert expected <= hrefs
    assert {f"/{language}/plans/media/{kind}/" for kind in ("podcasts", "films", "infographics")} <= hrefs
    assert "/sitemap.xml" in hrefs
    footer = get(client, f"/{language}/").content.decode().split('class="site-footer"')[1]
    assert f'href="/{language}/sitemap/"' in footer and 'href="/sitemap.xml"' not in footer


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_navigation_api_carries_the_menu(client, demo, language):
    data = get(client, f"/api/v2/navigation/?locale={language}&depth=4").json()
    menu = {item["key"]: item for item in data["menu"]}
    assert list(menu) == ["plans", "dashboards", "media", "search", "about"]
    assert urlsplit(menu["search"]["html_url"]).path == f"/{language}/search/"
    assert [urlsplit(child["html_url"]).path for child in menu["media"]["children"]] == [
        f"/{language}/plans/media/{kind}/" for kind in ("podcasts", "films", "infographics")
    ]
    for key in ("plans", "dashboards", "media", "about"):
        get(client, urlsplit(menu[key]["html_url"]).path)
    # and the media pages are in the tree, under their plans
    ids = set()

    def walk(items):
        for item in items:
            ids.add(item["id"])
            walk(item["children"])

    walk(data["items"])
    for model in (InfographicPage, FilmPage, PodcastSeriesPage, PodcastEpisodePage):
        assert {page.pk for page in public(model, language)} <= ids, model


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_admin_and_search(client):
    response = get(client, "/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines and "Disallow: /admin/" in lines
    assert "Disallow: /fa/search/" in lines and "Disallow: /en/search/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /" not in lines


def test_favicon_and_touch_icons(client, demo):
    response = get(client, "/favicon.ico", status=302)
    assert response["Location"] == "/static/icons/favicon.ico"
    content = get(client, "/fa/").content.decode()
    for href in re.findall(r'<link rel="(?:icon|apple-touch-icon|manifest)" href="([^"]+)"', content):
        if href.startswith("/static/"):
            from django.contrib.staticfiles import finders

            assert finders.find(href.removeprefix("/static/")), href
    assert 'rel="apple-touch-icon"' in content


@pytest.mark.parametrize(
    ("url", "language", "heading"),
    [("/fa/no-such-page/", "fa", "صفحه یافت نشد"), ("/en/nothing/", "en", "Page not found")],
)
def test_404_looks_like_the_portal_in_the_language_of_the_url(client, demo, url, language, heading):
    response = get(client, url, status=404)
    content = response.content.decode()
    assert f'<html lang="{language}"' in content
    assert f"<h1>{heading}</h1>" in content
    assert 'class="site-menu"' in content and 'class="site-footer"' in content


def test_500_looks_like_the_portal_without_the_database():
    request = RequestFactory().get("/fa/plans/")
    with CaptureQueriesContext(connection) as queries:
        response = server_error(request)
    assert len(queries) == 0
    content = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="fa" dir="rtl">' in content and "/static/css/portal.css" in content
    assert "<h1>خطایی در سرور رخ داد</h1>" in content
    english = server_error(RequestFactory().get("/en/plans/")).content.decode()
    assert '<html lang="en" dir="ltr">' in english and "Something went wrong on the server" in english


@override_settings(DEBUG=True, DEBUG_PORTAL_ERRORS=True)
def test_with_debug_the_portal_error_pages_are_shown_too(client, demo, monkeypatch):
    response = get(client, "/fa/no-such-page/", status=404)
    assert "<h1>صفحه یافت نشد</h1>" in response.content.decode()

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(PodcastSeriesPage, "get_context", broken)
    client.raise_request_exception = False
    series = public(PodcastSeriesPage, "fa")[0]
    response = get(client, series.url, status=500)
    assert "<h1>خطایی در سرور رخ داد</h1>" in response.content.decode()


@override_settings(DEBUG=True, DEBUG_PORTAL_ERRORS=False)
def test_with_debug_portal_errors_off_django_shows_its_technical_404(client, demo):
    response = get(client, "/fa/no-such-page/", status=404)
    assert "صفحه یافت نشد" not in response.content.decode()
