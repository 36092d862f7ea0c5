"""Formerly created the editorial roles and the publication workflow; the workflow app does that now
(`workflow` 0002, and after every migrate). Kept so the migrations after it still find their parent."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("cms", "0001_written_approval_task"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = []
