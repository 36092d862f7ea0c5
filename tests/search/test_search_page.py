"""The search doors: documents by page, chapters and cues by timestamp, restricted things never counted,
bad query strings answered 400 (never 500), nothing written, few queries, Persian digits on fa."""

import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model

from cms.workflow.documents import restricted_collection
from search import passage_index, service
from search.models import Passage

# Two pages of Helvetica text: "quarterly ledger", then "zanzibar pensions" (pdftotext rebuilds the xref).
PDF = (
    b"%PDF-1.4\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type/Pages/Kids[3 0 R 6 0 R]/Count 2>> endobj\n"
    b"3 0 obj <</Type/Page/Parent 2 0 R/MediaBox[0 0 300 144]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>> endobj\n"
    b"4 0 obj <</Length 46>> stream\nBT /F1 18 Tf 10 100 Td (quarterly ledger) Tj ET\nendstream endobj\n"
    b"5 0 obj <</Type/Font/Subtype/Type1/BaseFont/Helvetica>> endobj\n"
    b"6 0 obj <</Type/Page/Parent 2 0 R/MediaBox[0 0 300 144]/Contents 7 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>> endobj\n"
    b"7 0 obj <</Length 45>> stream\nBT /F1 18 Tf 10 100 Td (zanzibar pensions) Tj ET\nendstream endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n"
)


def api(client, **params):
    response = client.get("/api/v2/search/", params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.django_db
def test_pdf_text_is_found_and_links_to_its_page(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the reading task (run at once in tests)
        document = get_document_model().objects.create(
            title="Annual ledger", file=ContentFile(PDF, name="ledger.pdf")
        )
    body = api(client, q="zanzibar pension", lang="all")
    hits = [hit for hit in body["results"] if hit["title"] == "Annual ledger"]
    assert len(hits) == 1, body
    assert hits[0]["url"] == document.url + "#page=2"
    assert "<mark>zanzibar</mark> <mark>pensions</mark>" in hits[0]["snippet_html"]


@pytest.mark.django_db
def test_restricted_documents_are_never_found_nor_counted(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        get_document_model().objects.create(
            title="Signed approval",
            collection=restricted_collection(),
            file=ContentFile(PDF, name="secret.pdf"),
        )
    assert Passage.objects.filter(document__title="Signed approval").exists()  # indexed, and hidden
    body = api(client, q="zanzibar", lang="all")
    assert body["count"] == 0 and body["results"] == [] and all(not v for v in body["facets"].values())
    html = client.get("/fa/search/", {"q": "zanzibar", "lang": "all"}).content.decode()
    assert "Signed approval" not in html and "secret.pdf" not in html


@pytest.mark.django_db
def test_chapters_and_cues_link_to_their_timestamp(client):
    chapter = Passage.objects.filter(kind=Passage.Kind.CHAPTER).exclude(text="").first()
    assert chapter is not None, "the demo's podcasts and films have chapters"
    urls, number, pages = [], 1, 1
    while number <= pages:
        body = api(client, q=chapter.text, lang=chapter.language, page=number)
        urls += [hit["url"] for hit in body["results"] if hit["kind"] == "chapter"]
        urls += [moment["url"] for hit in body["results"] for moment in hit["moments"]]
        number, pages = number + 1, body["pages"]
    assert any(url.endswith(chapter.anchor) and re.search(r"#t=\d+$", url) for url in urls), urls


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"q": "a" * 201},
        {"q": "بیمه\x00"},
        {"q": "بیمه", "page": "x"},
        {"q": "بیمه", "page": "0"},
        {"q": "بیمه", "page": "9" * 30},
        {"q": "بیمه", "plan": "-1"},
        {"q": "بیمه", "year": "۱۴۰۴"},
        {"q": "بیمه", "lang": "de"},
        {"q": "بیمه", "type": "x; DROP TABLE"},
    ],
)
def test_bad_query_strings_get_400(client, params):
    assert client.get("/fa/search/", params).status_code == 400
    assert client.get("/api/v2/search/", params).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ['"', '"abc', "a' OR 1=1 --", "NEAR(a b)", "*", "^", "(((", "{title}:x", "-", "AND OR NOT", "ـ"]
)
def test_any_query_gets_results_or_an_empty_page(client, query):
    assert client.get("/fa/search/", {"q": query}).status_code == 200
    assert client.get("/en/search/suggest/", {"q": query}).status_code == 200
    assert client.get("/api/v2/search/", {"q": query}).status_code == 200


@pytest.mark.django_db
def test_a_search_writes_nothing_and_makes_few_queries(client):
    params = QueryDict(mutable=True)
    params.update({"q": "بيمه"})
    service.run(params, "fa")  # caches (content types, sites) warm
    with CaptureQueriesContext(connection) as captured:
        found = service.run(params, "fa")
    assert found.count and found.results
    assert len(captured.captured_queries) <= 6, [q["sql"][:90] for q in captured.captured_queries]
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/fa/search/", {"q": "بيمه", "page": "2"}).status_code == 200
        assert client.get("/api/v2/search/", {"q": "بيمه"}).status_code == 200
    writes = [q["sql"] for q in captured.captured_queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"])]
    assert writes == []


@pytest.mark.django_db
def test_persian_page_uses_persian_digits_and_did_you_mean(client):
    html = client.get("/fa/search/", {"q": "بیمه"}).content.decode()
    count = re.search(r'<p id="search-count"[^>]*>(.*?)</p>', html, re.S)[1]
    assert re.search("[۰-۹]", count) and not re.search("[0-9]", count)
    facets = re.search(r'<aside class="search-facets".*?</aside>', html, re.S)[0]
    labels = re.findall(r"<a [^>]*>([^<]*)</a>", facets)
    assert any(re.search("[۰-۹]", label) for label in labels)
    assert not [label for label in labels if re.search("[0-9]", label)]  # «طرح ۱۸», «۱۴۰۵»
    assert 'dir="rtl"' in html and "<mark>" in html
    html = client.get("/fa/search/", {"q": "fdli"}).content.decode()  # بیمه typed on a QWERTY layout
    assert "search-did-you-mean" in html and "بیمه" in html
    body = client.get("/api/v2/search/", {"q": "fdli"}).json()
    assert body["did_you_mean"] == "بیمه"


@pytest.mark.django_db
def test_autocomplete_offers_public_page_titles(client):
    passage = Passage.objects.filter(kind=Passage.Kind.PAGE, language="en").first()
    word = max(re.findall(r"[A-Za-z]{5,}", passage.title), key=len)
    found = client.get("/en/search/suggest/", {"q": word[:4]}).json()["suggestions"]
    assert found and all(set(item) == {"title", "url"} for item in found)


@pytest.mark.django_db
def test_the_passages_index_follows_renames_and_deletes(client, django_capture_on_commit_callbacks):
    """The passages' own index (search.passage_index) is rewritten when a document is renamed and loses
    the rows of a deleted one, on SQLite and PostgreSQL alike."""
    with django_capture_on_commit_callbacks(execute=True):
        document = get_document_model().objects.create(
            title="Quokka ledger", file=ContentFile(PDF, name="quokka.pdf")
        )
    assert api(client, q="quokka", lang="all")["count"] == 1  # the document, once for its two pages
    with django_capture_on_commit_callbacks(execute=True):
        document.title = "Wombat ledger"
        document.save()
    assert api(client, q="quokka", lang="all")["count"] == 0
    assert api(client, q="wombat ledger", lang="all")["count"] == 1
    ids = list(Passage.objects.filter(document=document).values_list("pk", flat=True))
    column = "rowid" if connection.vendor == "sqlite" else "passage_id"
    count = f"SELECT COUNT(*) FROM {passage_index.TABLE} WHERE {column} IN ({', '.join(['%s'] * len(ids))})"
    with connection.cursor() as cursor:
        cursor.execute(count, ids)
        assert cursor.fetchone()[0] == 2
        document.delete()
        cursor.execute(count, ids)
        assert cursor.fetchone()[0] == 0


@pytest.mark.django_db
def test_a_hit_of_every_kind_links_without_another_query(demo, django_capture_on_commit_callbacks):
    """The page of results reads only what a hit shows of its page or document: none costs a query."""
    with django_capture_on_commit_callbacks(execute=True):  # the reading task (run at once in tests)
        get_document_model().objects.create(title="Annual ledger", file=ContentFile(PDF, name="ledger.pdf"))
    page = Passage.objects.filter(kind=Passage.Kind.PAGE, language="fa").first()
    Passage.objects.create(  # as the deliverables' task writes them (search.indexing)
        page_id=page.page_id,
        kind=Passage.Kind.DELIVERABLE,
        language="fa",
        content_type_id=page.content_type_id,
        title="گزارش",
        text="متن",
        source="deliverables/report.pdf",
        anchor="#page=1",
    )
    visible = service.visible_passages()
    ids = [visible.filter(kind=kind).values_list("pk", flat=True).first() for kind in Passage.Kind]
    assert all(ids), dict(zip(Passage.Kind, ids, strict=True))
    passages = service.page_passages(ids)
    [service.result(passage, [["x"]]) for passage in passages.values()]  # caches warm (site paths, types)
    passages = service.page_passages(ids)
    with CaptureQueriesContext(connection) as captured:
        hits = [service.result(passages[pk], [["x"]]) for pk in ids]
    assert not captured.captured_queries, [q["sql"][:90] for q in captured.captured_queries]
    assert all(hit["url"] for hit in hits)


@pytest.mark.django_db
def test_english_content_types_start_with_a_capital(client, demo):
    """Verbose names are lower case ("plan report"); a label on the page starts a line or a list item."""
    html = client.get("/en/search/", {"q": "vision"}).content.decode()
    assert ">Plan report</a>" in html and '<p class="search-result__meta">Plan report ·' in html
    assert ">plan report<" not in html


def pdf_of_pages(texts):
    """A PDF with one line of Helvetica text per page (pdftotext rebuilds the xref)."""
    pages = len(texts)
    kids = " ".join(f"{4 + 2 * number} 0 R" for number in range(pages))
    objects = [
        "<</Type/Catalog/Pages 2 0 R>>",
        f"<</Type/Pages/Kids[{kids}]/Count {pages}>>",
        "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    for number, text in enumerate(texts):
        stream = f"BT /F1 18 Tf 10 100 Td ({text}) Tj ET"
        objects.append(
            f"<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 144]/Contents {5 + 2 * number} 0 R"
            "/Resources<</Font<</F1 3 0 R>>>>>>"
        )
        objects.append(f"<</Length {len(stream)}>> stream\n{stream}\nendstream")
    body = "".join(f"{number} 0 obj {item} endobj\n" for number, item in enumerate(objects, 1))
    return f"%PDF-1.4\n{body}trailer <</Root 1 0 R>>\n%%EOF\n".encode()


@pytest.mark.django_db
def test_a_file_is_one_result_linking_the_other_pages_it_was_found_on(
    client, django_capture_on_commit_callbacks
):
    """A PDF repeats its running title on every page: the title's words find the file once, at its first
    page, with the next eight pages as its moments and a sign that there are more. Words of one page find
    that page. Words only in the document's title find the file, and no page as a moment."""
    words = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven"]
    with django_capture_on_commit_callbacks(execute=True):  # the reading task (run at once in tests)
        document = get_document_model().objects.create(
            title="Zebra almanac",
            file=ContentFile(pdf_of_pages([f"ledger {w}" for w in words]), name="z.pdf"),
        )
    body = api(client, q="ledger", lang="all")
    hits = [hit for hit in body["results"] if hit["title"] == "Zebra almanac"]
    assert [hit["url"] for hit in hits] == [document.url + "#page=1"], body
    moments = hits[0]["moments"]
    assert [moment["label"] for moment in moments] == [str(number) for number in range(2, 10)]
    assert [moment["url"] for moment in moments] == [f"{document.url}#page={n}" for n in range(2, 10)]
    assert hits[0]["more_moments"] is True
    assert body["count"] == len({hit["url"] for hit in body["results"]})

    eleventh = api(client, q="ledger eleven", lang="all")
    assert [(hit["url"], hit["moments"]) for hit in eleventh["results"]] == [(document.url + "#page=11", [])]
    titled = api(client, q="zebra almanac", lang="all")
    assert [(hit["url"], hit["moments"]) for hit in titled["results"]] == [(document.url + "#page=1", [])]

    html = client.get("/fa/search/", {"q": "ledger", "lang": "all"}).content.decode()
    shown = re.search(r'<p class="search-result__moments">(.*?)</p>', html, re.S)[1]
    assert shown.startswith("همچنین در صفحه‌های") and shown.endswith("و جاهای دیگر")
    assert f'<a href="{document.url}#page=2" aria-label="صفحهٔ ۲"><bdi>۲</bdi></a> <a ' in shown


@pytest.mark.django_db
def test_a_films_title_does_not_list_its_cues(client):
    """Every chapter and cue of a film carries the film's title: a query for the title finds the film,
    and lists no moment, since no cue says it."""
    cue = Passage.objects.filter(kind=Passage.Kind.CUE, language="fa").select_related("page").first()
    assert cue is not None, "the demo's films have subtitles"
    assert Passage.objects.filter(page=cue.page, kind__in=["cue", "chapter"]).count() > 1
    body = api(client, q=cue.page.title, lang="fa")
    film = [hit for hit in body["results"] if hit["title"] == cue.page.title]
    assert [(hit["kind"], hit["moments"]) for hit in film] == [("page", [])], body
