"""Distribution's and the workflow's models move from the `cms` app to their own apps (labels
`distribution` and `workflow`) without touching their rows.

The tables are renamed to the new apps' names and the models leave `cms`'s state only; the new apps'
first migrations take them into their state without creating anything. Their content types are relabelled
in place, so permissions, group permissions, log entries and workflow tasks (Wagtail's Task finds its
specific class through its content type) stay attached.
"""

from django.db import migrations

MOVED = {
    "distribution": ("channel", "distributionrule", "outboxentry", "attempt", "remotepost"),
    "workflow": ("writtenapprovaltask", "writtenapprovaltaskstate"),
}


def relabel(apps, schema_editor, backwards=False):
    """Give the moved models' content types the other app label. A row already under the target label
    (made by a `migrate` after this migration was reversed) holds only its automatic permissions: it
    gives way to the original, which keeps every reference."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for app_label, models in MOVED.items():
        source, target = (app_label, "cms") if backwards else ("cms", app_label)
        for model in models:
            original = ContentType.objects.filter(app_label=source, model=model)
            if not original.exists():
                continue
            Permission.objects.filter(content_type__app_label=target, content_type__model=model).delete()
            schema_editor.execute("DELETE FROM django_content_type WHERE app_label = %s AND model = %s",
                                  [target, model])
            original.update(app_label=target)
    ContentType.objects.clear_cache()


def forwards(apps, schema_editor):
    relabel(apps, schema_editor)


def backwards(apps, schema_editor):
    relabel(apps, schema_editor, backwards=True)


class Migration(migrations.Migration):

    dependencies = [
        ("cms", "0003_distribution_outbox"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name=model, table=f"{app_label}_{model}")
                for app_label, models in MOVED.items() for model in models
            ],
            state_operations=[
                migrations.DeleteModel(name=name) for name in (
                    "Attempt", "RemotePost", "OutboxEntry", "DistributionRule", "Channel",
                    "WrittenApprovalTaskState", "WrittenApprovalTask",
                )
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
