"""The search index of the passages, keyed by passage id (table `search_passage_key`, migration 0004).

The portal search matched the key in Wagtail's own index table, whose rows name their object by a
content type and a text `object_id`: every search mapped thousands of index rows to passage ids
(a CAST and a join on PostgreSQL, a second B-tree lookup per hit on SQLite). Here the row *is* the
passage: an FTS5 table whose rowid is the passage id (SQLite), or a `tsvector` keyed by `passage_id`
with a GIN index (PostgreSQL; the title weighted A, so "the query in the title" is the same index).
It holds the same Persian key as Wagtail's entry (`index_key` of the title and of the text), written
by the search backend whenever it indexes passages (`store`), and it loses a passage's row with the
passage (a trigger on SQLite, ON DELETE CASCADE on PostgreSQL). Wagtail's entries stay for the
admin and autocomplete. Other databases keep modelsearch's query (`supported()` is False).
"""

from django.db import connection

from search.normalize import index_key, query_alternatives

TABLE = "search_passage_key"
VENDORS = ("sqlite", "postgresql")
BATCH = 500


def supported(using=connection):
    return using.vendor in VENDORS


def _config():
    from wagtail.search.backends import get_search_backend

    return getattr(get_search_backend(), "config", None) or "simple"


def store(passages, using=connection):
    """Write (or replace) the keyed rows of these saved passages."""
    if not supported(using):
        return
    rows = [(passage.pk, index_key(passage.title), index_key(passage.text)) for passage in passages]
    with using.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            if using.vendor == "sqlite":
                marks = ", ".join("(%s, %s, %s)" for _row in batch)
                cursor.execute(
                    f"DELETE FROM {TABLE} WHERE rowid IN ({', '.join('%s' for _ in batch)})",
                    [r[0] for r in batch],
                )
                cursor.execute(
                    f"INSERT INTO {TABLE} (rowid, title, body) VALUES {marks}", [v for r in batch for v in r]
                )
            else:
                config = _config()
                vector = (
                    "setweight(to_tsvector(%s::regconfig, %s), 'A') "
                    "|| setweight(to_tsvector(%s::regconfig, %s), 'B')"
                )
                marks = ", ".join(f"(%s, {vector})" for _row in batch)
                params = [v for pk, title, body in batch for v in (pk, config, title, config, body)]
                cursor.execute(
                    f"INSERT INTO {TABLE} (passage_id, key) VALUES {marks} "
                    "ON CONFLICT (passage_id) DO UPDATE SET key = EXCLUDED.key",
                    params,
                )


def boolean_terms(query, quote, conjunction, disjunction, suffix="", last=""):
    """The query's key as one boolean expression: readings ORed, groups ANDed, alternatives ORed; every
    term quoted (they are word characters only), followed by `suffix` (a weight), the last group's
    by `last` (a prefix mark, for autocomplete)."""
    readings = []
    for groups in query_alternatives(query):
        ands = []
        for number, group in enumerate(groups):
            end = suffix + (last if number == len(groups) - 1 else "")
            ands.append("(" + disjunction.join(quote(term) + end for term in group) + ")")
        readings.append("(" + conjunction.join(ands) + ")")
    return disjunction.join(readings)


def matched(query):
    """(sql, params) of a subquery of the passages whose key matches the query: (passage_id, in_title),
    `in_title` 0 where the query is in the passage's title and 1 elsewhere. Joined to the passages by
    id, it lets the database walk the index's matches and read each passage once; `id IN (<match>)`
    would first build the set of ids, then probe it. On SQLite the title matches are a second, small
    set (FTS5 finds them at once); on PostgreSQL the key itself tells, its title terms being weighted
    A, and `OFFSET 0` keeps the subquery whole, so that only the two columns, not the keys, are
    carried into the join."""
    if connection.vendor == "sqlite":
        titled = f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s"
        sql = (
            f"SELECT rowid AS passage_id, CASE WHEN rowid IN ({titled}) THEN 0 ELSE 1 END AS in_title "
            f"FROM {TABLE} WHERE {TABLE} MATCH %s"
        )
        return sql, (_fts5(query, "{title}"), _fts5(query, "{title body}"))
    sql = (
        "SELECT passage_id, CASE WHEN key @@ to_tsquery(%s::regconfig, %s) THEN 0 ELSE 1 END AS in_title "
        f"FROM {TABLE} WHERE key @@ to_tsquery(%s::regconfig, %s) OFFSET 0"
    )
    return sql, (_config(), _tsquery(query, weight=":A"), _config(), _tsquery(query))


def match(query):
    """(sql, params) selecting the ids of the passages whose key matches the query in their title or
    text, for use as a subquery the database evaluates once, as a set."""
    if connection.vendor == "sqlite":
        return f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", (_fts5(query, "{title body}"),)
    return f"SELECT passage_id FROM {TABLE} WHERE key @@ to_tsquery(%s::regconfig, %s)", (
        _config(),
        _tsquery(query),
    )


def text_matches(query, column):
    """(sql, params) of a condition: the passage whose id is `column` has the query in its own text, not
    only in its title (a chapter, cue or PDF page carries its page's or file's title). SQLite builds the
    set of such passages once, when a row first asks; PostgreSQL checks the row's own key, its text's
    terms weighted B (the set would mean reading every matching key again)."""
    if connection.vendor == "sqlite":
        return f"{column} IN (SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s)", (_fts5(query, "{body}"),)
    return (
        f"EXISTS (SELECT 1 FROM {TABLE} WHERE passage_id = {column} "
        "AND key @@ to_tsquery(%s::regconfig, %s))",
        (_config(), _tsquery(query, weight=":B")),
    )


def _fts5(query, columns):
    terms = boolean_terms(query, lambda term: '"' + term.replace('"', "") + '"', " AND ", " OR ")
    return f"{columns} : ({terms})"


def _tsquery(query, weight=""):
    return boolean_terms(query, lambda term: "'" + term.replace("'", "''") + "'", " & ", " | ", suffix=weight)
