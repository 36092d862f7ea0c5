"""One search, shared by the portal page, the API endpoint and autocomplete.

`run(params, language)` checks the query string (400 on anything it cannot take: too long, null
characters, a page or facet value that is not one), searches the passages the public may see
(`cms.visibility`: public pages and documents outside restricted collections; nothing else is ever
counted), and returns results with snippets taken from the original text, facets (plan, content
type, language, year) and, for a query without results, a "did you mean". At most five queries:
three read what the visibility filter depends on (unpublished and restricted page subtrees,
restricted collections; none when the process keeps them under the content version), one statement
finds the hits once (the passages' own index keyed by passage id, `search.passage_index`: SQLite FTS5
or PostgreSQL's GIN-indexed @@, joined to the passages; the door's compiled filters as subqueries)
and returns both the hits grouped by the four facets and the ordered ids of the page of results, and
one reads those ten passages; snippets are made for them only. Nothing is written (no
`Query.add_hit`).
"""

import html
import re
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from wagtail.search.backends import get_search_backend

from cms import visibility
from search import passage_index
from search.models import Passage
from search.normalize import ZWNJ, fold, query_groups, word_matches
from search.passage_index import boolean_terms

MAX_QUERY_CHARS = 200
MAX_PARAMETER_CHARS = 200
PAGE_SIZE = 10
MAX_PAGE = 50
SNIPPET_WORDS = 36
MAX_SNIPPET_SCAN = 50_000  # characters of a long transcript looked at for the snippet
MAX_SUGGESTIONS = 8
LANGUAGES = ("fa", "en")
FACETS = ("language", "plan", "type", "year")
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
    """Passages of public pages and of documents the public may download (both filters compiled once per
    state of what they depend on: `public_page_ids_sql`, `public_document_ids_sql`)."""
    pages = RawSQL(*visibility.public_page_ids_sql())
    documents = RawSQL(*visibility.public_document_ids_sql())
    return Passage.objects.filter(Q(page_id__in=pages) | Q(document_id__in=documents))


def _content_type_key(content_type_id):
    content_type = ContentType.objects.get_for_id(content_type_id)  # cached after the first
    return f"{content_type.app_label}.{content_type.model}", content_type


def _content_type_id(key):
    app_label, model = key.split(".", 1)
    try:
        return ContentType.objects.get_by_natural_key(app_label, model).pk  # cached after the first
    except ContentType.DoesNotExist:
        return 0


def _fts5(query, columns, prefix=False):
    """An FTS5 MATCH expression of the query's key on `columns` (the last group as prefixes when
    `prefix`)."""
    quote = lambda term: '"' + term.replace('"', "") + '"'  # noqa: E731
    return (
        "{"
        + " ".join(columns)
        + "} : ("
        + boolean_terms(query, quote, " AND ", " OR ", last="*" if prefix else "")
        + ")"
    )


def _tsquery(query, prefix=False):
    """A PostgreSQL tsquery (for to_tsquery) of the query's key."""
    quote = lambda term: "'" + term.replace("'", "''") + "'"  # noqa: E731
    return boolean_terms(query, quote, " & ", " | ", last=":*" if prefix else "")


def _match(query, columns=("title", "body"), autocomplete=False):
    """SQL selecting the ids of the passages whose key matches the query in Wagtail's search index
    (autocomplete, and the search itself on databases the passages' own index does not cover), as
    (sql, params) for a subquery: SQLite FTS5's MATCH, PostgreSQL's @@ on its GIN indexes, or
    modelsearch's query on other databases."""
    from modelsearch.conf import get_app_config

    IndexEntry = get_app_config().get_model("IndexEntry")
    content_type = ContentType.objects.get_for_model(Passage).pk
    columns = ("autocomplete",) if autocomplete else columns
    entries = IndexEntry._meta.db_table
    if connection.vendor == "sqlite":
        fts = f"{entries}_fts"  # modelsearch's FTS5 table, kept in step by its triggers
        sql = (
            f'SELECT CAST(object_id AS INTEGER) FROM "{entries}" WHERE content_type_id = %s '
            f'AND id IN (SELECT rowid FROM "{fts}" WHERE "{fts}" MATCH %s)'
        )
        return sql, (content_type, _fts5(query, columns, prefix=autocomplete))
    if connection.vendor == "postgresql":
        backend = get_search_backend()
        config = backend.autocomplete_config if autocomplete else backend.config or "simple"
        vector = " || ".join(f'"{column}"' for column in columns)  # GIN-indexed (search migration 0003)
        sql = (
            f'SELECT CAST(object_id AS INTEGER) FROM "{entries}" WHERE content_type_id = %s '
            f"AND ({vector}) @@ to_tsquery(%s::regconfig, %s)"
        )
        params = (content_type, config, _tsquery(query, prefix=autocomplete))
        return sql, params
    backend = get_search_backend()
    if autocomplete:
        found = backend.autocomplete(query, Passage, order_by_relevance=False)
    else:
        found = backend.search(query, Passage, fields=list(columns), operator="and", order_by_relevance=False)
    sql, params = found.get_queryset().order_by().values("pk").query.sql_with_params()
    return sql, params


def _match_ids(query):
    """(sql, params) of the ids of the passages whose key matches the query in their title or text:
    the passages' own index (search.passage_index) where there is one."""
    if passage_index.supported():
        return passage_index.match(query)
    return _match(query)


def _matched(query):
    """(sql, params) of a subquery of the passages matching the query, as (passage_id, in_title): the
    passages' own index where there is one (`search.passage_index.matched`), Wagtail's index as sets
    of ids elsewhere."""
    if passage_index.supported():
        return passage_index.matched(query)
    sql, params = _match(query)
    title_sql, title_params = _match(query, ("title",))
    table = Passage._meta.db_table
    return (
        f"SELECT id AS passage_id, CASE WHEN id IN ({title_sql}) THEN 0 ELSE 1 END AS in_title "
        f"FROM {table} WHERE id IN ({sql})",
        (*title_params, *params),
    )


def _matching(query, queryset, autocomplete=False):
    """The queryset narrowed to what the key matches, unordered."""
    found = _match(query, autocomplete=True) if autocomplete else _match_ids(query)
    return queryset.filter(pk__in=RawSQL(*found)).order_by()


# The order of kinds on the page: whole pages, then documents, deliverables, chapters and cues.
_KINDS = [Passage.Kind.PAGE, Passage.Kind.DOCUMENT, Passage.Kind.DELIVERABLE, Passage.Kind.CHAPTER]


# The columns a row of the statement below leaves empty, typed: PostgreSQL's UNION wants them to match.
NO_NUMBER, NO_TEXT = "CAST(NULL AS INTEGER)", "CAST(NULL AS TEXT)"


def _counted_page(search, year_field):
    """One statement for the facets, the count and the page: the hits, read once into a common table
    expression the database materializes, with what orders them (the query in the title first
    (`in_title` 0), then the kind, then the newest); counted per value of each facet among the hits the
    other facets' choices keep (so a choice never hides its alternatives), counted among those every
    choice keeps, and the ids of the page of results, ordered and limited in the database. Each facet
    is grouped on its own: grouped by all four at once, a common query sent back hundreds of rows to
    add up here. The SQL is written here, around the door's compiled filters: building it through the
    ORM was a good part of a search's time. Returns (facets, count, ids)."""
    passages = Passage._meta.db_table
    matched, match_params = _matched(search.query)
    pages, page_params = visibility.public_page_ids_sql()
    documents, document_params = visibility.public_document_ids_sql()
    ranks = " ".join(f"WHEN %s THEN {rank}" for rank in range(len(_KINDS)))
    chosen = {
        "language": None if search.language == "all" else search.language,
        "plan": search.plan or None,
        "type": _content_type_id(search.type) if search.type else None,
        "year": search.year or None,
    }

    def kept_by(names):
        kept = [(name, chosen[name]) for name in names if chosen[name] is not None]
        return " AND ".join(f"{name} = %s" for name, _value in kept) or "1 = 1", [value for _n, value in kept]

    selects, select_params = [], []
    for index, name in enumerate(FACETS):
        facet_condition, values = kept_by(other for other in FACETS if other != name)
        selects.append(
            f"SELECT 0, {index}, CAST({name} AS TEXT), {NO_NUMBER}, {NO_NUMBER}, COUNT(*) FROM hits "
            f"WHERE {name} IS NOT NULL AND {facet_condition} GROUP BY {name}"
        )
        select_params += values
    chosen_condition, values = kept_by(FACETS)
    selects.append(
        f"SELECT 1, {NO_NUMBER}, {NO_TEXT}, {NO_NUMBER}, {NO_NUMBER}, COUNT(*) FROM hits "
        f"WHERE {chosen_condition}"
    )
    selects.append(
        f"SELECT * FROM (SELECT 2, {NO_NUMBER}, {NO_TEXT}, in_title, kind_rank, id FROM hits "
        f"WHERE {chosen_condition} ORDER BY in_title, kind_rank, id DESC LIMIT %s OFFSET %s) AS page"
    )
    select_params += [*values, *values, PAGE_SIZE, (search.page - 1) * PAGE_SIZE]
    statement = (
        "WITH hits (id, language, plan, type, year, in_title, kind_rank) AS ("
        f"SELECT {passages}.id, language, plan, content_type_id, {year_field}, matched.in_title, "
        f"CASE kind {ranks} ELSE {len(_KINDS)} END "
        f"FROM ({matched}) AS matched JOIN {passages} ON {passages}.id = matched.passage_id "
        f"WHERE {passages}.page_id IN ({pages}) OR {passages}.document_id IN ({documents})) "
        + " UNION ALL ".join(selects)
    )
    params = (
        *(str(kind) for kind in _KINDS),
        *match_params,
        *page_params,
        *document_params,
        *select_params,
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        rows = cursor.fetchall()
    counts = {name: {} for name in FACETS}
    for _tag, index, value, *_order, count in (row for row in rows if row[0] == 0):
        name = FACETS[index]
        if name == "type":
            value = _content_type_key(int(value))[0]
        elif name != "language":
            value = int(value)
        counts[name][value] = counts[name].get(value, 0) + count
    total = next(row[5] for row in rows if row[0] == 1)
    page = sorted((row[3], row[4], -row[5]) for row in rows if row[0] == 2)
    return counts, total, [-pk for *_order, pk in page]


def run(params, language, request=None):
    """Search the passages the public may see; see the module's docstring. With the `request`, the hits'
    page URLs read the site root paths once (Wagtail remembers them on it), not once per hit."""
    search = parse(params, language)
    if not query_groups(search.query):
        return search
    year_field = "jalali_year" if language == "fa" else "year"
    search.facets, search.count, ids = _counted_page(search, year_field)
    if not search.count:
        search.did_you_mean = did_you_mean(search.query, search.language, visible_passages())
        return search
    passages = page_passages(ids)
    highlighter = Highlighter(query_groups(search.query))
    search.results = [result(passages[pk], highlighter, request) for pk in ids]
    return search


def page_passages(ids):
    """{id: passage} of the page of results, with what `result` reads of their page (its URL path) and
    document (its file), not the rest of their rows."""
    own = [field.attname for field in Passage._meta.concrete_fields]
    related = Passage.objects.select_related("page", "document")
    return related.only(*own, "page__url_path", "document__file").in_bulk(ids)


def result(passage, groups, request=None):
    """One hit as the page and the API show it (`groups`: the query's, or a Highlighter of them)."""
    highlight = groups if isinstance(groups, Highlighter) else Highlighter(groups)
    if passage.kind == Passage.Kind.DELIVERABLE:
        url = default_storage.url(passage.source) + passage.anchor
    elif passage.page_id:
        page_url = passage.page.get_url(request)
        url = page_url + passage.anchor if page_url else ""
    else:
        url = passage.document.url + passage.anchor
    text = passage.text or passage.title
    snippet = highlight(text)
    _key, content_type = _content_type_key(passage.content_type_id)
    return {
        "title": passage.title,
        "title_html": highlight(passage.title, whole=True),
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


class Highlighter:
    """Marks the words of an original text that the query's key found. A word is keyed once per search
    (a page of results repeats its words), and only the words of the snippet's window are looked at
    after the first hit (a transcript is long)."""

    def __init__(self, groups):
        self.groups, self.known = groups, {}

    def matches(self, word):
        found = self.known.get(word)
        if found is None:
            found = self.known[word] = word_matches(word, self.groups)
        return found

    def __call__(self, text, whole=False):
        """Escaped original text around the first words the query found, those words in <mark>."""
        words = list(_WORD.finditer(text[:MAX_SNIPPET_SCAN]))
        if whole or not words:
            start, stop, window = 0, len(text), words
        else:
            first = next((i for i, match in enumerate(words) if self.matches(match[0])), 0)
            begin = max(0, first - SNIPPET_WORDS // 3)
            window = words[begin : begin + SNIPPET_WORDS]
            start, stop = window[0].start(), window[-1].end()
        out, at = [], start
        for match in window:
            if self.matches(match[0]):
                out += [html.escape(text[at : match.start()]), f"<mark>{html.escape(match[0])}</mark>"]
                at = match.end()
        out.append(html.escape(text[at:stop]))
        snippet = "".join(out).strip()
        return ("… " if start > 0 else "") + snippet + (" …" if stop < len(text) else "")


def _has_hits(query, language, visible):
    queryset = visible
    if language != "all":
        queryset = queryset.filter(language=language)
    return bool(query_groups(query)) and _matching(query, queryset).exists()


def did_you_mean(query, language, visible):
    """A query that finds something, for one that finds nothing: typed with the other keyboard layout,
    or without the words nothing contains (a few queries, only when there was no result)."""
    folded = fold(query)
    if re.fullmatch(r"[a-z\[\];',\s]+", folded):
        swapped = folded.translate(_TO_PERSIAN)
    else:
        swapped = folded.translate(_TO_QWERTY) if re.fullmatch(rf"[{_PERSIAN}\s]+", folded) else ""
    if swapped and swapped != folded and _has_hits(swapped, language, visible):
        return swapped
    words = query.split()
    if 1 < len(words) <= 6:
        kept = [word for word in words if _has_hits(word, language, visible)]
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
