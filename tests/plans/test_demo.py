"""`load_demo` is idempotent and builds real wagtail-localize translations of valid content."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page, Revision
from wagtail_localize.models import Translation

from plans.models import OrganizationUnit, Person, UpstreamDocument

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def snapshot():
    return {
        "pages": list(Page.objects.order_by("pk").values_list("pk", "title", "live", "path")),
        "revisions": Revision.objects.count(),
        "snippets": [m.objects.count() for m in (OrganizationUnit, Person, UpstreamDocument)],
        "images": get_image_model().objects.count(),
        "translations": Translation.objects.count(),
    }


def test_loading_twice_changes_nothing(demo):
    before = snapshot()
    call_command("load_demo", "--no-admin", verbosity=0)
    assert snapshot() == before


def test_english_pages_are_complete_synced_translations(demo):
    for translation in Translation.objects.filter(target_locale=demo.locale_en):
        progress = translation.get_progress()
        assert progress[0] == progress[1], f"{translation} is not fully translated: {progress}"
    for plan_fa, plan_en in zip(demo.plans_fa, demo.plans_en, strict=True):
        assert plan_en.translation_key == plan_fa.translation_key
        assert plan_en.plan_number == plan_fa.plan_number and plan_en.slug == plan_fa.slug
        assert plan_en.lead_unit.locale == demo.locale_en  # snippets are translated too
        assert plan_en.title != plan_fa.title


def test_demo_content_files_pass_the_structural_checker():
    result = subprocess.run([sys.executable, "plans/demo/check_content.py"], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s)" in result.stdout


def test_the_demo_admin_uses_the_admin_in_persian(demo, django_user_model):
    from wagtail.users.models import UserProfile

    call_command("load_demo", verbosity=0)
    admin = django_user_model.objects.get(username="admin")
    assert admin.is_superuser
    assert UserProfile.get_for_user(admin).preferred_language == "fa"
