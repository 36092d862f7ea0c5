"""The groups, workflow, tasks and restricted collection get their Persian names (earlier: English)."""

from django.db import migrations

from cms.workflow.roles import rename_english_names


def rename(apps, schema_editor):
    rename_english_names(apps)


class Migration(migrations.Migration):
    dependencies = [("workflow", "0002_editorial_roles_and_publication_workflow")]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
