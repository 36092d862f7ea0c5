"""The passages' own search index, keyed by passage id (search.passage_index), filled from the passages
already there; and an index holding every column the search statement reads of a hit, so the database
never reads a passage's long text to count, filter or order hits.

SQLite: an FTS5 table whose rowid is the passage id, emptied with the passage by a trigger.
PostgreSQL: a tsvector per passage id with a GIN index, emptied by triggers on DELETE and on TRUNCATE
(no foreign key: Django's flush truncates search_passage alone and would be refused).
"""

from django.db import migrations, models

TABLE = "search_passage_key"

SQLITE = [
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5(title, body)",
    f"CREATE TRIGGER {TABLE}_delete AFTER DELETE ON search_passage "
    f"BEGIN DELETE FROM {TABLE} WHERE rowid = OLD.id; END",
]
POSTGRESQL = [
    f"CREATE TABLE {TABLE} (passage_id bigint PRIMARY KEY, key tsvector NOT NULL)",
    f"CREATE INDEX {TABLE}_gin ON {TABLE} USING gin (key)",
    f"""CREATE FUNCTION {TABLE}_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN DELETE FROM {TABLE} WHERE passage_id IN (SELECT id FROM gone); RETURN NULL; END $$""",
    f"CREATE TRIGGER {TABLE}_delete AFTER DELETE ON search_passage REFERENCING OLD TABLE AS gone "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_delete()",
    f"""CREATE FUNCTION {TABLE}_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN TRUNCATE {TABLE}; RETURN NULL; END $$""",
    f"CREATE TRIGGER {TABLE}_truncate AFTER TRUNCATE ON search_passage "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_truncate()",
]
DROP = {
    "sqlite": [f"DROP TRIGGER IF EXISTS {TABLE}_delete", f"DROP TABLE IF EXISTS {TABLE}"],
    "postgresql": [
        f"DROP TRIGGER IF EXISTS {TABLE}_delete ON search_passage",
        f"DROP TRIGGER IF EXISTS {TABLE}_truncate ON search_passage",
        f"DROP FUNCTION IF EXISTS {TABLE}_delete()",
        f"DROP FUNCTION IF EXISTS {TABLE}_truncate()",
        f"DROP TABLE IF EXISTS {TABLE}",
    ],
}


def create(apps, schema_editor):
    from search import passage_index

    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(vendor)
    if statements is None:
        return
    for statement in statements:
        schema_editor.execute(statement)
    passages = apps.get_model("search", "Passage").objects.only("pk", "title", "text").order_by("pk")
    batch = []
    for passage in passages.iterator(chunk_size=passage_index.BATCH):
        batch.append(passage)
        if len(batch) == passage_index.BATCH:
            passage_index.store(batch, using=schema_editor.connection)
            batch = []
    passage_index.store(batch, using=schema_editor.connection)


def drop(apps, schema_editor):
    for statement in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_index_entry_title_body_gin")]

    operations = [
        migrations.AddIndex(
            model_name="passage",
            index=models.Index(
                fields=["id", "language", "plan", "content_type", "year", "jalali_year", "kind", "page", "document"],
                name="search_passage_hit",
            ),
        ),
        migrations.RunPython(create, drop, elidable=False),
    ]
