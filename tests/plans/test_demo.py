"""`load_demo` is idempotent and builds real wagtail-localize translations of valid content."""

import pytest
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page, Revision
from wagtail_localize.models import Translation

from cms.models import BasePage
from plans.models import ExecutiveSummaryPage, OrganizationUnit, Person, PlanPage, UpstreamDocument

pytestmark = pytest.mark.django_db


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


def test_every_demo_page_meets_its_own_publish_checklist(demo):
    """The page models' readiness check is the one definition of complete content, in both languages."""
    pages = [page for page in Page.objects.live().specific() if isinstance(page, BasePage)]
    assert {PlanPage, ExecutiveSummaryPage} <= {type(page) for page in pages}
    assert len([page for page in pages if isinstance(page, PlanPage)]) == 2 * len(demo.plans_fa)
    missing = {page.url_path: [item.code for item in page.missing_for_publication()] for page in pages}
    assert {path: codes for path, codes in missing.items() if codes} == {}


def test_the_demo_admin_uses_the_admin_in_persian(demo, django_user_model):
    from wagtail.users.models import UserProfile

    call_command("load_demo", verbosity=0)
    admin = django_user_model.objects.get(username="admin")
    assert admin.is_superuser
    assert UserProfile.get_for_user(admin).preferred_language == "fa"
