"""The editorial roles, the restricted collection and the publication workflow (idempotent)."""

from django.db import migrations

from cms.workflow.roles import ensure_permissions_exist, sync_roles


def create_roles(apps, schema_editor):
    ensure_permissions_exist(apps)
    sync_roles(apps)


class Migration(migrations.Migration):

    dependencies = [
        ("workflow", "0001_models_moved_from_cms"),
        ("distribution", "0001_models_moved_from_cms"),  # Approvers act on the outbox
        ("cms", "0002_editorial_roles_and_publication_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
