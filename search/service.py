"""One search, shared by the portal page, the API endpoint and autocomplete.

`run(params, language)` checks the query string (400 on anything it cannot take: too long, null
characters, a page or facet value that is not one), searches the passages the public may see
(`cms.visibility`: public pages and documents outside restricted collections; nothing else is ever
counted), and returns results with snippets taken from the original text, facets (plan, content
type, language, year) and, for a query without results, a "did you mean". Six queries on the
common path (two for the visibility of pages, one for restricted collections, one for the hits with
their facet values, one for the hits in a title, one for the page of results); nothing is written
(no `Query.add_hit`).
"""

import html
import re
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from wagtail.search.backends import get_search_backend

from cms import visibility
from search.models import Passage
from search.normalize import ZWNJ, fold, query_alternatives, query_groups, word_matches

MAX_QUERY_CHARS = 200
MAX_PARAMETER_CHARS = 200
PAGE_SIZE = 10
MAX_PAGE = 50
SNIPPET_WORDS = 36
MAX_SNIPPET_SCAN = 50_000  # characters of a long transcript looked at for the snippet
MAX_SUGGESTIONS = 8
LANGUAGES = ("fa", "en")
_WORD = re.compile(rf"[\w{ZWNJ}\u064b-\u065f\u0670\u0640]+")

# The Persian standard keyboard (ISIRI 9147) over QWERTY: a query typed with the wrong layout.
_QWERTY = "qwertyuiop[]asdfghjkl;'zxcvbnm,"
_PERSIAN = "ضصثقفغعهخحجچشسیبلاتنمکگظطزرذدپو"
_TO_PERSIAN = str.maketrans(_QWERTY, _PERSIAN)
_TO_QWERTY = str.maketrans(_PERSIAN, _QWERTY)


class BadQuery(ValueError):
    """A query string the search cannot take: the view answers 400 with this message."""


@dataclass
class Search:
    query: str = ""
    language: str = "fa"
    page: int = 1
    plan: int | None = None
    type: str = ""
    year: int | None = None
    count: int = 0
    results: list = field(default_factory=list)
    facets: dict = field(default_factory=dict)
    did_you_mean: str = ""

    @property
    def pages(self):
        return min(MAX_PAGE, max(1, -(-self.count // PAGE_SIZE)))


def _integer(params, name, low=1, high=10_000):
    value = params.get(name, "")
    if value == "":
        return None
    if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
        raise BadQuery(f"{name} must be a whole number from {low} to {high}")
    return int(value)


def parse(params, language):
    """The Search a query string asks for (BadQuery when it cannot be taken)."""
    for key, values in params.lists():
        if len(key) > MAX_PARAMETER_CHARS or any("\x00" in value or "\x00" in key for value in values):
            raise BadQuery("null characters are not allowed in the query string")
        if any(len(value) > MAX_QUERY_CHARS for value in values):
            raise BadQuery(f"{key} is longer than {MAX_QUERY_CHARS} characters")
    query = (params.get("q") or params.get("search") or "").strip()
    lang = params.get("lang", "") or language
    if lang not in (*LANGUAGES, "all"):
        raise BadQuery("lang must be fa, en or all")
    kind = params.get("type", "")
    if kind and not re.fullmatch(r"[a-z_]+\.[a-z_]+", kind):
        raise BadQuery("type must be a content type such as plans.filmpage")
    return Search(
        query=query,
        language=lang,
        page=_integer(params, "page", high=MAX_PAGE) or 1,
        plan=_integer(params, "plan", high=999),
        type=kind,
        year=_integer(params, "year", low=1000, high=3000),
    )


def visible_passages():
    """Passages of public pages and of documents the public may download (three queries)."""
    pages = visibility.public_pages().values("pk")
    documents = visibility.public_documents().values("pk")
    return Passage.objects.filter(Q(page_id__in=pages) | Q(document_id__in=documents))


def _content_type_key(content_type_id):
    content_type = ContentType.objects.get_for_id(content_type_id)  # cached after the first
    return f"{content_type.app_label}.{content_type.model}", content_type


def _fts5(query, columns, prefix=False):
    """An FTS5 MATCH expression of the query's key: readings ORed, groups ANDed, alternatives ORed
    (every term is word characters only, quoted)."""
    readings = []
    for groups in query_alternatives(query):
        ands = []
        for number, group in enumerate(groups):
            star = "*" if prefix and number == len(groups) - 1 else ""
            ands.append("(" + " OR ".join(f'"{term}"{star}' for term in group) + ")")
        readings.append("(" + " AND ".join(ands) + ")")
    return "{" + " ".join(columns) + "} : (" + " OR ".join(readings) + ")"


def _matching(query, queryset, fields=None, autocomplete=False):
    """The queryset narrowed to what the key matches, unordered.

    On SQLite the FTS5 table is asked first, in a subquery of its own: modelsearch's join makes SQLite
    run the MATCH once per index entry (seconds over 10,000 passages). Elsewhere modelsearch's query is
    used, without relevance (it computes it with a subquery per row); `_ranked` orders the hits."""
    if connection.vendor == "sqlite":
        from modelsearch.backends.database.sqlite.sqlite import IndexEntry, SQLiteFTSIndexEntry

        columns = ["autocomplete"] if autocomplete else fields or ["title", "body"]
        match = _fts5(query, columns, prefix=autocomplete)
        fts, entries = SQLiteFTSIndexEntry._meta.db_table, IndexEntry._meta.db_table
        sql = (
            f'SELECT CAST(object_id AS INTEGER) FROM "{entries}" WHERE content_type_id = %s '
            f'AND id IN (SELECT rowid FROM "{fts}" WHERE "{fts}" MATCH %s)'
        )
        content_type = ContentType.objects.get_for_model(queryset.model)
        return queryset.filter(pk__in=RawSQL(sql, (content_type.pk, match))).order_by()
    backend = get_search_backend()
    if autocomplete:
        return backend.autocomplete(query, queryset, order_by_relevance=False).get_queryset().order_by()
    results = backend.search(query, queryset, fields=fields, operator="and", order_by_relevance=False)
    return results.get_queryset().order_by()


def _ranked(hits, title_hits):
    """Hits in the order the page shows them: the query in the title first, whole pages before their
    chapters and cues, then the newest."""
    kinds = {Passage.Kind.PAGE: 0, Passage.Kind.DOCUMENT: 1, Passage.Kind.CHAPTER: 2, Passage.Kind.CUE: 3}
    return sorted(hits, key=lambda hit: (hit["pk"] not in title_hits, kinds.get(hit["kind"], 4), -hit["pk"]))


def _facets(search, rows, year_field):
    """Counts per value of each facet, from one grouped query; each facet counts the hits matching the
    other facets' choices (so a choice never hides its alternatives)."""
    chosen = {"language": search.language, "plan": search.plan, "type": search.type, "year": search.year}
    facets = {name: {} for name in chosen}
    for row in rows:
        values = {
            "language": row["language"],
            "plan": row["plan"],
            "type": _content_type_key(row["content_type"])[0],
            "year": row[year_field],
        }
        for name in facets:
            others = all(
                chosen[other] in (None, "", "all") or values[other] == chosen[other]
                for other in chosen
                if other != name
            )
            if others and values[name] is not None:
                facets[name][values[name]] = facets[name].get(values[name], 0) + row["n"]
    total = sum(
        row["n"]
        for row in rows
        if all(
            chosen[name] in (None, "", "all")
            or {
                "language": row["language"],
                "plan": row["plan"],
                "type": _content_type_key(row["content_type"])[0],
                "year": row[year_field],
            }[name]
            == chosen[name]
            for name in chosen
        )
    )
    return facets, total


def run(params, language):
    """Search the passages the public may see; see the module's docstring."""
    search = parse(params, language)
    if not query_groups(search.query):
        return search
    year_field = "jalali_year" if language == "fa" else "year"
    fields = ("pk", "kind", "language", "plan", "content_type", year_field)
    hits = [
        dict(zip(fields, row, strict=True))
        for row in _matching(search.query, visible_passages()).values_list(*fields)
    ]
    rows = {}
    for hit in hits:
        key = tuple(hit[name] for name in fields[2:])
        rows[key] = rows.get(key, 0) + 1
    rows = [dict(zip(fields[2:], key, strict=True), n=n) for key, n in rows.items()]
    search.facets, search.count = _facets(search, rows, year_field)
    if not search.count:
        search.did_you_mean = did_you_mean(search.query, search.language)
        return search
    chosen = [hit for hit in hits if _chosen(search, hit, year_field)]
    title_hits = set(
        _matching(search.query, Passage.objects.all(), fields=["title"]).values_list("pk", flat=True)
    )
    start = (search.page - 1) * PAGE_SIZE
    ids = [hit["pk"] for hit in _ranked(chosen, title_hits)[start : start + PAGE_SIZE]]
    passages = Passage.objects.select_related("page", "document").in_bulk(ids)
    groups = query_groups(search.query)
    search.results = [result(passages[pk], groups) for pk in ids]
    return search


def _chosen(search, hit, year_field):
    return (
        (search.language == "all" or hit["language"] == search.language)
        and (not search.plan or hit["plan"] == search.plan)
        and (not search.year or hit[year_field] == search.year)
        and (not search.type or _content_type_key(hit["content_type"])[0] == search.type)
    )


def result(passage, groups):
    """One hit as the page and the API show it."""
    if passage.page_id:
        url = passage.page.url + passage.anchor if passage.page.url else ""
    else:
        url = passage.document.url + passage.anchor
    text = passage.text or passage.title
    snippet = highlight(text, groups)
    _key, content_type = _content_type_key(passage.content_type_id)
    return {
        "title": passage.title,
        "title_html": highlight(passage.title, groups, whole=True),
        "url": url,
        "kind": passage.kind,
        "label": passage.label,
        "language": passage.language,
        "type": _key,
        "type_label": str(content_type.model_class()._meta.verbose_name)
        if content_type.model_class()
        else content_type.model,
        "plan": passage.plan,
        "year": passage.year,
        "jalali_year": passage.jalali_year,
        "snippet_html": snippet,
        "snippet": html.unescape(re.sub(r"</?mark>", "", snippet)),
    }


def highlight(text, groups, whole=False):
    """Escaped original text around the first words the query found, those words in <mark>."""
    words = list(_WORD.finditer(text[:MAX_SNIPPET_SCAN]))
    known = {}  # a transcript repeats its words: each distinct word is keyed once
    for match in words:
        if match[0] not in known:
            known[match[0]] = word_matches(match[0], groups)
    found = [i for i, match in enumerate(words) if known[match[0]]]
    if whole or not words:
        start, stop = 0, len(text)
    else:
        first = found[0] if found else 0
        begin = max(0, first - SNIPPET_WORDS // 3)
        end = min(len(words), begin + SNIPPET_WORDS)
        start, stop = words[begin].start(), words[end - 1].end()
    out, at = [], start
    for i in found:
        match = words[i]
        if match.start() < start or match.end() > stop:
            continue
        out += [html.escape(text[at : match.start()]), f"<mark>{html.escape(match[0])}</mark>"]
        at = match.end()
    out.append(html.escape(text[at:stop]))
    snippet = "".join(out).strip()
    return ("… " if start > 0 else "") + snippet + (" …" if stop < len(text) else "")


def _has_hits(query, language):
    queryset = visible_passages()
    if language != "all":
        queryset = queryset.filter(language=language)
    return bool(query_groups(query)) and _matching(query, queryset).exists()


def did_you_mean(query, language):
    """A query that finds something, for one that finds nothing: typed with the other keyboard layout,
    or without the words nothing contains (a few queries, only when there was no result)."""
    folded = fold(query)
    if re.fullmatch(r"[a-z\[\];',\s]+", folded):
        swapped = folded.translate(_TO_PERSIAN)
    else:
        swapped = folded.translate(_TO_QWERTY) if re.fullmatch(rf"[{_PERSIAN}\s]+", folded) else ""
    if swapped and swapped != folded and _has_hits(swapped, language):
        return swapped
    words = query.split()
    if 1 < len(words) <= 6:
        kept = [word for word in words if _has_hits(word, language)]
        if kept and len(kept) < len(words):
            return " ".join(kept)
    return ""


def suggestions(params, language):
    """Page titles completing what was typed (autocomplete): [{"title", "url"}]."""
    search = parse(params, language)
    if not query_groups(search.query):
        return []
    queryset = visible_passages().filter(kind=Passage.Kind.PAGE).select_related("page")
    if search.language != "all":
        queryset = queryset.filter(language=search.language)
    found = _matching(search.query, queryset, autocomplete=True).order_by("-pk")[:MAX_SUGGESTIONS]
    return [{"title": passage.title, "url": passage.page.url} for passage in found if passage.page.url]
