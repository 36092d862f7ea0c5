"""The facets and the count of a search, against the same passages counted one by one.

Scenarios: with no choice, with a plan, a plan and a type, a year, and every language, each facet counts
the results the other facets' choices keep (a choice never hides its alternatives), the count is of the
results every choice keeps, and the page shows only those. A result is what the hits belong to: a page
(with its chapters and cues), a document, a generated PDF.
"""

import pytest
from django.http import QueryDict

from search import service
from search.models import Passage

pytestmark = pytest.mark.django_db

QUERY = "طرح"


def search(language="fa", **choices):
    params = QueryDict(mutable=True)
    params.update({"q": QUERY, **{key: str(value) for key, value in choices.items()}})
    return service.run(params, language)


def expected(language, choices):
    """(facets, count) counted passage by passage, each result once, as the search page explains its
    facets."""
    year = "jalali_year" if language == "fa" else "year"
    hits = service._matching(QUERY, service.visible_passages())
    results = {}
    for *facets, page, document, kind, source in hits.values_list(
        "language", "plan", "content_type", year, "page", "document", "kind", "source"
    ):
        belongs = (page, document, source if kind == Passage.Kind.DELIVERABLE else None)
        results[belongs] = dict(zip(service.FACETS, facets, strict=True))
    rows = [row | {"type": service._content_type_key(row["type"])[0]} for row in results.values()]
    chosen = {"language": language if choices.get("lang") != "all" else None}
    chosen |= {"plan": choices.get("plan"), "type": choices.get("type"), "year": choices.get("year")}
    facets = {name: {} for name in service.FACETS}
    for row in rows:
        for name in service.FACETS:
            others = all(row[o] == chosen[o] for o in service.FACETS if o != name and chosen[o] is not None)
            if others and row[name] is not None:
                facets[name][row[name]] = facets[name].get(row[name], 0) + 1
    count = sum(all(row[n] == chosen[n] for n in service.FACETS if chosen[n] is not None) for row in rows)
    return facets, count


def test_the_demo_has_hits_across_facets(demo):
    facets, count = expected("fa", {})
    assert count > 10 and len(facets["plan"]) >= 3 and len(facets["type"]) >= 2


@pytest.mark.parametrize(
    "choices",
    [
        {},
        {"plan": 14},
        {"plan": 14, "type": "plans.planpage"},
        {"lang": "all"},
        {"lang": "all", "plan": 12},
    ],
)
def test_each_facet_counts_what_the_other_choices_keep(demo, choices):
    found = search(**choices)
    facets, count = expected("fa", choices)
    assert found.facets == facets and found.count == count
    for hit in found.results:
        assert choices.get("plan") in (None, hit["plan"])
        assert choices.get("type") in (None, hit["type"])


def test_a_chosen_year_keeps_its_alternatives(demo):
    years = expected("fa", {})[0]["year"]
    year = max(years, key=years.get)
    found = search(year=year)
    facets, count = expected("fa", {"year": year})
    assert found.facets == facets and found.count == count == years[year]
    assert set(found.facets["year"]) == set(years)
    assert Passage.objects.filter(jalali_year=year).exists()
