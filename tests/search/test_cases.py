"""The public Persian search cases (/work/shared/persian_search_cases.json, copied to
tests/search/persian_search_cases.json) through the portal page and the API, on the demo site.

Every text of the file becomes a published page in its language (fa, or en for the English cases)
under the home page; a case passes when each `must_match` page is found and no `must_not_match`
page is (AND semantics, ranking ignored), through /<lang>/search/ (all result pages) and
/api/v2/search/. Run with DATABASE_URL=postgres://… for PostgreSQL.
"""

import json
import re
from html import unescape
from pathlib import Path

import pytest
from wagtail.models import Locale, Page

from cms import publication

CASES = json.loads((Path(__file__).parent / "persian_search_cases.json").read_text(encoding="utf-8"))


def language_of(case):
    return "en" if case["query"].isascii() and any(c.isalpha() for c in case["query"]) else "fa"


@pytest.fixture(scope="module")
def case_pages(django_db_setup, django_db_blocker):
    """One published page per text of the cases, titled with the text; rolled back at the end."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic(), publication.forced("search cases"):
        texts = {}
        for case in CASES:
            for text in case["must_match"] + case["must_not_match"]:
                texts.setdefault(text, language_of(case))
        for number, (text, language) in enumerate(texts.items()):
            home = Page.objects.get(depth=2, locale=Locale.objects.get(language_code=language))
            page = Page(title=text, slug=f"search-case-{number}")
            home.add_child(instance=page)
            page.save_revision().publish()
        yield texts
        transaction.set_rollback(True)


def found_on_page(client, query, language):
    titles, number = set(), 1
    while True:
        response = client.get(f"/{language}/search/", {"q": query, "page": number})
        assert response.status_code == 200, response.status_code
        html = response.content.decode()
        titles |= {
            unescape(re.sub(r"<[^>]+>", "", title)).strip()
            for title in re.findall(r'<h2><a href="[^"]*">(.*?)</a></h2>', html)
        }
        if 'rel="next"' not in html:
            return titles
        number += 1


def found_in_api(client, query, language):
    titles, number = set(), 1
    while True:
        response = client.get("/api/v2/search/", {"q": query, "lang": language, "page": number})
        assert response.status_code == 200, response.content
        body = response.json()
        titles |= {result["title"] for result in body["results"]}
        if number >= body["pages"]:
            return titles
        number += 1


@pytest.mark.parametrize("door", ["page", "api"])
@pytest.mark.parametrize("case", CASES, ids=[f"{i}-{case['query']}" for i, case in enumerate(CASES)])
def test_case(case, door, case_pages, client):
    search = found_on_page if door == "page" else found_in_api
    titles = search(client, case["query"], language_of(case))
    assert set(case["must_match"]) <= titles, case["why"]
    assert not set(case["must_not_match"]) & titles, case["why"]
