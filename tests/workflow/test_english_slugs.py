"""Translators' work (issue 14, item 5): English pages get English slugs (a Latin transliteration is
offered; the translator sets or confirms one, and a later sync keeps it), the PO download is named after
the page in English, and the translation editor gets the segment count. Requests run as the translator."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import Page
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from cms.workflow.slugs import transliterate
from plans.models import PlanPage
from tests.workflow.test_translation import new_plan, went_live

pytestmark = pytest.mark.gate


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def translate(login, demo, plan):
    """The translator's "Translate this page" (with its subpages) into English."""
    response = login("translator").post(
        reverse("wagtail_localize:submit_page_translation", args=[plan.pk]),
        {"locales": [demo.locale_en.pk], "include_subtree": "on"},
    )
    assert response.status_code == 302
    english = plan.get_translation(demo.locale_en)
    return english, Translation.objects.get(
        source__object_id=plan.translation_key, source__locale=demo.locale_fa, target_locale=demo.locale_en
    )


def test_the_transliteration_is_latin():
    assert transliterate("طرح نو") == "trh no"
    assert transliterate("طرح ۱۲") == "trh 12"
    assert transliterate("می\u200cشود") == "mishod"


def test_an_english_translation_gets_an_english_slug_not_the_persian_one(login, demo):
    plan = went_live(new_plan(demo, "طرح-نو"))
    english, _translation = translate(login, demo, plan)
    assert english.slug == "trh-no"  # the Persian title transliterated (its title is not translated yet)
    assert english.url_path.endswith("/trh-no/") and english.url_path.isascii()
    for child in english.get_children():
        assert child.slug.isascii(), child.slug  # its summary too


def test_the_translator_sets_the_slug_on_submit_and_a_sync_keeps_it(login, demo, users):
    plan = went_live(new_plan(demo, "طرح-نو-۲"))
    english, translation = translate(login, demo, plan)
    client = login("translator")
    edit_url = reverse("wagtailadmin_pages:edit", args=[english.pk])
    submit = {"action": "revayat-submit", "revayat-partial": "1"}

    response = client.post(edit_url, {**submit, "revayat-slug": "طرح-نو"}, HTTP_ACCEPT_LANGUAGE="fa")
    assert response.status_code == 302 and not Page.objects.get(pk=english.pk).workflow_in_progress
    assert any("حروف لاتین" in message for message in messages_of(response)), messages_of(response)

    response = client.post(edit_url, {**submit, "revayat-slug": "new-pensions-plan"})
    assert response.status_code == 302
    english = Page.objects.get(pk=english.pk).specific
    assert english.workflow_in_progress
    assert english.get_latest_revision().content["slug"] == "new-pensions-plan"  # what the workflow publishes
    assert english.slug == "new-pensions-plan"  # not live yet: its row too
    english.current_workflow_state.cancel(user=users["translator"])

    source = TranslationSource.objects.get(object_id=plan.translation_key, locale=demo.locale_fa)
    source.update_from_db()
    translation.save_target(user=users["translator"], publish=False)  # "Sync translated pages"
    english = Page.objects.get(pk=english.pk)
    assert english.slug == "new-pensions-plan"
    assert english.get_latest_revision().content["slug"] == "new-pensions-plan"


def test_the_po_download_is_named_after_the_page_in_english(login, demo):
    plan = went_live(new_plan(demo, "طرح-نو-۳"))
    english, translation = translate(login, demo, plan)
    response = login("translator").get(reverse("wagtail_localize:download_pofile", args=[translation.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{english.slug}-en.po"'
    assert english.slug and english.slug.isascii()


def test_the_editor_header_gets_the_slug_suggestion_and_the_segment_count(login, demo, users):
    plan = went_live(new_plan(demo, "طرح-نو-۴"))
    _english, translation = translate(login, demo, plan)
    segment = translation.source.stringsegment_set.get(context__path="title")
    StringTranslation.objects.create(
        translation_of=segment.string, locale=demo.locale_en, context=segment.context, data="A new plan"
    )
    url = reverse("revayat_translation_slug", args=[translation.pk])
    data = login("translator").get(url, HTTP_ACCEPT_LANGUAGE="fa").json()
    assert data["latin"] and data["slug"] == "trh-no" and data["transliteration"] == "trh-no"
    total = translation.source.stringsegment_set.count()
    assert data["progress"]["done"] == 1 and data["progress"]["total"] == total > 1
    assert "۱" in data["progress"]["text"]  # Persian digits on the Persian admin
    assert login("anonymous").get(url).status_code in (302, 403)
    assert PlanPage.objects.filter(pk=plan.pk).exists()
