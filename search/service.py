"""One search, shared by the portal page, the API endpoint and autocomplete.

`run(params, language)` checks the query string (400 on anything it cannot take: too long, null
characters, a page or facet value that is not one), searches the passages the public may see
(`cms.visibility`: public pages and documents outside restricted collections; nothing else is ever
counted), and returns results with snippets taken from the original text, facets (plan, content
type, language, year) and, for a query without results, a "did you mean". At most five queries:
three read what the visibility filter depends on (unpublished and restricted page subtrees,
restricted collections; none when the process keeps them under the content version), one statement
finds the hits once (the passages' own index keyed by passage id, `search.passage_index`: SQLite FTS5
or PostgreSQL's GIN-indexed @@, joined to the passages; the door's compiled filters as subqueries),
groups them into results (a page with its chapters and cues, a document, a generated PDF) and returns
the results counted by the four facets, the ordered ids of the page of results and their moments, and
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


def _text_matches(query, column):
    """(sql, params) of a condition: the passage whose id is `column` has the query in its own text, not
    only in its title."""
    if passage_index.supported():
        return passage_index.text_matches(query, column)
    sql, params = _match(query, ("body",))
    return f"{column} IN ({sql})", params


def _matching(query, queryset, autocomplete=False):
    """The queryset narrowed to what the key matches, unordered."""
    found = _match(query, autocomplete=True) if autocomplete else _match_ids(query)
    return queryset.filter(pk__in=RawSQL(*found)).order_by()


# The order of kinds on the page: whole pages, then documents, deliverables, chapters and cues.
_KINDS = [Passage.Kind.PAGE, Passage.Kind.DOCUMENT, Passage.Kind.DELIVERABLE, Passage.Kind.CHAPTER]
MAX_MOMENTS = 8  # the other places a result's query was found that it links to (PDF pages, timestamps)


# The columns a row of the statement below leaves empty, typed: PostgreSQL's UNION wants them to match.
NO_NUMBER, NO_TEXT = "CAST(NULL AS INTEGER)", "CAST(NULL AS TEXT)"


def _counted_page(search, year_field):
    """One statement for the facets, the count and the page: the hits, read once into a common table
    expression the database materializes, with what orders them (the query in the title first
    (`in_title` 0), then the kind, then the newest).

    A result is a page, a document or a generated PDF, not each of its passages: a PDF repeats its
    running title on every page and a film its title on every cue, so a plan's name found a page of
    one file after another. The hits are grouped by what they belong to (a page with its chapters and
    cues, a document, a deliverable's file); the first of each group (the page's own passage, else
    the first chapter, cue or PDF page) stands for it, and up to MAX_MOMENTS of the others come back
    as its moments (`#page=N`, `#t=S`).

    The results are counted per value of each facet among those the other facets' choices keep (so a
    choice never hides its alternatives), counted among those every choice keeps, and the page of
    results is ordered and limited in the database. Each facet is grouped on its own: grouped by all
    four at once, a common query sent back hundreds of rows to add up here. The SQL is written here,
    around the door's compiled filters: building it through the ORM was a good part of a search's
    time. Returns (facets, count, ids, {id: [(anchor, label)]})."""
    passages = Passage._meta.db_table
    matched, match_params = _matched(search.query)
    pages, page_params = visibility.public_page_ids_sql()
    documents, document_params = visibility.public_document_ids_sql()
    kind_rank = "CASE kind " + " ".join(f"WHEN %s THEN {rank}" for rank in range(len(_KINDS)))
    kind_rank += f" ELSE {len(_KINDS)} END"
    chosen = {
        "language": None if search.language == "all" else search.language,
        "plan": search.plan or None,
        "type": _content_type_id(search.type) if search.type else None,
        "year": search.year or None,
    }

    # A page's own passage is its result's first hit (a page has one). The other hits (chapters, cues,
    # PDF pages: few) are placed within their result by a window, after their page's own passage.
    is_result = "(kind_rank = 0 OR id IN (SELECT id FROM parts WHERE place = 1))"

    def kept_by(names):
        kept = [(name, chosen[name]) for name in names if chosen[name] is not None]
        condition = " AND ".join([is_result, *(f"{name} = %s" for name, _value in kept)])
        return condition, [value for _n, value in kept]

    selects, select_params = [], []
    for index, name in enumerate(FACETS):
        facet_condition, values = kept_by(other for other in FACETS if other != name)
        selects.append(
            f"SELECT 0, {index}, CAST({name} AS TEXT), {NO_NUMBER}, {NO_NUMBER}, COUNT(*), {NO_TEXT} "
            f"FROM found WHERE {name} IS NOT NULL AND {facet_condition} GROUP BY {name}"
        )
        select_params += values
    chosen_condition, values = kept_by(FACETS)
    selects.append(
        f"SELECT 1, {NO_NUMBER}, {NO_TEXT}, {NO_NUMBER}, {NO_NUMBER}, COUNT(*), {NO_TEXT} "
        f"FROM found WHERE {chosen_condition}"
    )
    select_params += values
    selects.append(f"SELECT 2, {NO_NUMBER}, {NO_TEXT}, in_title, kind_rank, id, {NO_TEXT} FROM page")
    selects.append(
        f"SELECT 3, parts.head, {passages}.anchor, parts.place, {NO_NUMBER}, parts.id, {passages}.label "
        f"FROM parts JOIN page ON parts.head = page.id JOIN {passages} ON {passages}.id = parts.id "
        "WHERE parts.place BETWEEN 2 AND %s AND parts.in_text = 1"
    )
    select_params += [MAX_MOMENTS + 2]  # one more than is shown tells that there are more
    in_text, in_text_params = _text_matches(search.query, "part.id")
    after_deliverables = _KINDS.index(Passage.Kind.DELIVERABLE)  # chapters and cues belong to their page
    statement = (
        "WITH found (id, language, plan, type, year, in_title, kind_rank, page_id, document_id) AS ("
        f"SELECT {passages}.id, language, plan, content_type_id, {year_field}, matched.in_title, "
        f"{kind_rank}, page_id, document_id "
        f"FROM ({matched}) AS matched JOIN {passages} ON {passages}.id = matched.passage_id "
        f"WHERE {passages}.page_id IN ({pages}) OR {passages}.document_id IN ({documents})), "
        "parts AS (SELECT id, in_text, COALESCE(page_head, FIRST_VALUE(id) OVER belongs) AS head, "
        "ROW_NUMBER() OVER belongs + CASE WHEN page_head IS NULL THEN 0 ELSE 1 END AS place "
        "FROM (SELECT part.id, part.kind_rank, part.page_id, part.document_id, "
        f"CASE WHEN own.kind = %s THEN own.source END AS file, CASE WHEN {in_text} THEN 1 ELSE 0 END "
        f"AS in_text, whole.head AS page_head FROM found AS part JOIN {passages} AS own ON own.id = part.id "
        "LEFT JOIN (SELECT page_id, MIN(id) AS head FROM found WHERE kind_rank = 0 AND page_id IN "
        f"(SELECT page_id FROM found WHERE kind_rank > {after_deliverables}) GROUP BY page_id) AS whole "
        f"ON whole.page_id = part.page_id AND part.kind_rank > {after_deliverables} "
        "WHERE part.kind_rank > 0) AS part "
        "WINDOW belongs AS (PARTITION BY page_id, document_id, file ORDER BY in_text DESC, kind_rank, id)), "
        f"page AS (SELECT in_title, kind_rank, id FROM found WHERE {chosen_condition} "
        "ORDER BY in_title, kind_rank, id DESC LIMIT %s OFFSET %s) " + " UNION ALL ".join(selects)
    )
    params = (
        *(str(kind) for kind in _KINDS),
        *match_params,
        *page_params,
        *document_params,
        str(Passage.Kind.DELIVERABLE),
        *in_text_params,
        *values,
        PAGE_SIZE,
        (search.page - 1) * PAGE_SIZE,
        *select_params,
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        rows = cursor.fetchall()
    counts = {name: {} for name in FACETS}
    for _tag, index, value, *_order, count, _label in (row for row in rows if row[0] == 0):
        name = FACETS[index]
        if name == "type":
            value = _content_type_key(int(value))[0]
        elif name != "language":
            value = int(value)
        counts[name][value] = counts[name].get(value, 0) + count
    total = next(row[5] for row in rows if row[0] == 1)
    page = sorted((row[3], row[4], -row[5]) for row in rows if row[0] == 2)
    moments = {}
    for _tag, head, anchor, *_place, label in sorted((row for row in rows if row[0] == 3), key=_by_place):
        if anchor and anchor not in (kept := moments.setdefault(head, {})):  # a chapter and a cue at one time
            kept[anchor] = label
    moments = {head: sorted(kept.items(), key=_by_position) for head, kept in moments.items()}
    return counts, total, [-pk for *_order, pk in page], moments


def _by_place(row):
    return row[1], row[3]  # the result it belongs to, its place among that result's hits


def _by_position(moment):
    """A moment's page number or second ("#page=3", "#t=90"): moments are shown in reading order."""
    return int(moment[0].rpartition("=")[2] or 0)


def run(params, language, request=None):
    """Search the passages the public may see; see the module's docstring. With the `request`, the hits'
    page URLs read the site root paths once (Wagtail remembers them on it), not once per hit."""
    search = parse(params, language)
    if not query_groups(search.query):
        return search
    year_field = "jalali_year" if language == "fa" else "year"
    search.facets, search.count, ids, moments = _counted_page(search, year_field)
    if not search.count:
        search.did_you_mean = did_you_mean(search.query, search.language, visible_passages())
        return search
    passages = page_passages(ids)
    highlighter = Highlighter(query_groups(search.query))
    search.results = [result(passages[pk], highlighter, request, moments.get(pk, ())) for pk in ids]
    return search


def page_passages(ids):
    """{id: passage} of the page of results, with what `result` reads of their page (its URL path) and
    document (its file), not the rest of their rows."""
    own = [field.attname for field in Passage._meta.concrete_fields]
    related = Passage.objects.select_related("page", "document")
    return related.only(*own, "page__url_path", "document__file").in_bulk(ids)


def result(passage, groups, request=None, moments=()):
    """One result as the page and the API show it (`groups`: the query's, or a Highlighter of them;
    `moments`: (anchor, label) of the other places it was found, each linked on the same file or page)."""
    highlight = groups if isinstance(groups, Highlighter) else Highlighter(groups)
    if passage.kind == Passage.Kind.DELIVERABLE:
        base = default_storage.url(passage.source)
    elif passage.page_id:
        base = passage.page.get_url(request) or ""
    else:
        base = passage.document.url
    url = base + passage.anchor if base else ""
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
        "moments": [{"label": label, "url": base + anchor} for anchor, label in moments[:MAX_MOMENTS]]
        if base
        else [],
        "more_moments": len(moments) > MAX_MOMENTS,
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
