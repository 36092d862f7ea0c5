"""A GIN index on the search index's `title || body` vector (PostgreSQL only): the portal search matches
the key in title and body together (search.service._match), and modelsearch indexes each column alone."""

from django.db import migrations

INDEX = "search_indexentry_title_body_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON modelsearch_indexentry USING gin ((title || body))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_passage_deliverables"), ("modelsearch", "0004_rename_modelsear_autocom_476c89_gin_modelsearch_autocom_ea8581_gin_and_more")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
