"""The secretariat group, and the worksheet's first domains (named in plan 12's call: economy,
investment, health care, insurance …); the secretariat edits them as snippets afterwards."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DOMAINS = [
    ("اقتصاد", "Economy"),
    ("سرمایه‌گذاری", "Investment"),
    ("درمان و سلامت", "Health care"),
    ("بیمه و تعهدات", "Insurance and benefits"),
    ("جمعیت و اجتماع", "Population and society"),
    ("فناوری و تحول دیجیتال", "Technology and digital transformation"),
    ("حکمرانی و قانون", "Governance and law"),
    ("بازار کار", "Labour market"),
]


def forwards(apps, schema_editor):
    from cocreation.roles import sync

    app_config = apps.get_app_config("cocreation")  # permission rows now, not after the migration
    app_config.models_module = True  # historical app configs have none
    try:
        create_permissions(app_config, apps=apps, verbosity=0)
    finally:
        app_config.models_module = None
    sync(apps)
    Domain = apps.get_model("cocreation", "Domain")
    if not Domain.objects.exists():
        Domain.objects.bulk_create(
            Domain(name_fa=fa, name_en=en, sort_order=order) for order, (fa, en) in enumerate(DOMAINS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cocreation", "0001_calls_rounds_invitations_worksheets"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
