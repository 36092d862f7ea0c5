"""On a database the passages' own index does not cover (neither SQLite nor PostgreSQL), the search
matches through Wagtail's index instead (`service._matched`): the same hits, facets and order."""

import pytest
from django.http import QueryDict

from search import passage_index, service

pytestmark = pytest.mark.django_db


def search(query, **choices):
    params = QueryDict(mutable=True)
    params.update({"q": query, **choices})
    found = service.run(params, "fa")
    return found.count, found.facets, [hit["url"] for hit in found.results]


@pytest.mark.parametrize("query, choices", [("طرح", {}), ("طرح", {"plan": "14"}), ("TETA", {"lang": "all"})])
def test_wagtails_index_finds_what_the_passage_index_finds(demo, monkeypatch, query, choices):
    with_passage_index = search(query, **choices)
    assert with_passage_index[0] > 0
    monkeypatch.setattr(passage_index, "supported", lambda using=None: False)
    assert search(query, **choices) == with_passage_index
