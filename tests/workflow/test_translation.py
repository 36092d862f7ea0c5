"""Translation: Persian slugs survive, PO import refuses bad files and changes nothing, translators
cannot publish, translate-with-subpages keeps the tree sound, and the translation status view."""

import polib
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Page, PageLogEntry
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from cms.workflow.localize import unicode_slugify
from plans.models import ExecutiveSummaryPage, PlanPage

pytestmark = pytest.mark.gate  # approvals are given through the workflow, never forced


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def new_plan(demo, slug, number=19):
    """A fresh Persian plan (a copy of the first) with its executive summary, not translated yet."""
    source = PlanPage.objects.get(pk=demo.plans_fa[0].pk)
    copy = source.copy(
        recursive=True,
        update_attrs={"slug": slug, "title": "طرح نو", "plan_number": number},
        keep_live=False,
        log_action=None,
        reset_translation_key=True,
    )
    return PlanPage.objects.get(pk=copy.pk)


def went_live(page):
    """Mark `page` and its subpages live, as the workflow leaves an approved source: translators see and
    translate live Persian pages only (tests/workflow/test_role_access.py)."""
    Page.objects.descendant_of(page, inclusive=True).update(live=True)
    return PlanPage.objects.get(pk=page.pk)


def test_a_persian_slug_survives_translation(demo, users):
    plan = new_plan(demo, "طرح-نو")
    assert unicode_slugify("طرح نو") == "طرح-نو"
    source, _created = TranslationSource.get_or_create_from_instance(plan)
    translation = Translation.objects.create(source=source, target_locale=demo.locale_en)
    translation.save_target(user=users["translator"], publish=False)
    english = plan.get_translation(demo.locale_en)
    # wagtail-localize's own slugify would leave ''; an English page gets a Latin slug (issue 14, item 5:
    # tests/workflow/test_english_slugs.py), never the percent-encoded Persian one.
    assert english.slug == "trh-no"
    assert english.url_path.endswith("/plans/trh-no/")


def test_translate_with_subpages_keeps_the_tree_sound(login, demo):
    plan = went_live(new_plan(demo, "plan-with-summary"))
    response = login("translator").post(
        reverse("wagtail_localize:submit_page_translation", args=[plan.pk]),
        {"locales": [demo.locale_en.pk], "include_subtree": "on"},
    )
    assert response.status_code == 302
    english = plan.get_translation(demo.locale_en)
    assert ExecutiveSummaryPage.objects.child_of(english).count() == 1
    assert Page.find_problems() == ([], [], [], [], [])  # what `manage.py fixtree` looks for
    assert Page.objects.get(pk=english.pk).numchild == plan.get_children().count()
    assert not english.live  # translations go live through the workflow, not on creation


@pytest.fixture
def translation(demo):
    source = TranslationSource.objects.get(object_id=demo.index_fa.translation_key, locale=demo.locale_fa)
    return Translation.objects.get(source=source, target_locale=demo.locale_en)


def upload(client, translation, content, name="en.po"):
    return client.post(
        reverse("wagtail_localize:upload_pofile", args=[translation.pk]),
        {"file": SimpleUploadedFile(name, content), "next": "/admin/"},
        HTTP_ACCEPT_LANGUAGE="fa",
    )


def po_with(translation, change):
    po = translation.export_po()
    for entry in po:
        change(entry)
    return str(po).encode()


def snapshot(translation):
    return sorted(
        StringTranslation.objects.filter(locale=translation.target_locale).values_list(
            "pk", "data", "updated_at"
        )
    )


@pytest.mark.parametrize(
    "case", ["wrong source", "malformed", "html in msgstr", "script in msgstr", "unknown entry", "no file"]
)
def test_a_bad_po_file_is_refused_with_a_message_and_changes_nothing(case, login, translation, demo):
    other = Translation.objects.filter(target_locale=demo.locale_en).exclude(pk=translation.pk).first()
    content = {
        "wrong source": lambda: str(other.export_po()).encode(),
        "malformed": lambda: b'msgid "a\nmsgstr ]]] not a po file \x00',
        "html in msgstr": lambda: po_with(
            translation,
            lambda entry: setattr(entry, "msgstr", entry.msgstr + '<img src=x onerror="alert(1)">'),
        ),
        "script in msgstr": lambda: po_with(
            translation,
            lambda entry: setattr(entry, "msgstr", "<script>alert(document.cookie)</script>" + entry.msgstr),
        ),
        "unknown entry": lambda: po_with(translation, lambda entry: setattr(entry, "msgid", "جعلی")),
        "no file": lambda: None,
    }[case]()
    client = login("translator")
    before = snapshot(translation)
    if content is None:
        response = client.post(
            reverse("wagtail_localize:upload_pofile", args=[translation.pk]),
            {"next": "/admin/"},
            HTTP_ACCEPT_LANGUAGE="fa",
        )
    else:
        response = upload(client, translation, content)
    assert response.status_code == 302
    errors = messages_of(response)
    assert len(errors) == 1 and ("هیچ" in errors[0] or "انتخاب" in errors[0]), errors  # said in Persian
    assert snapshot(translation) == before


def test_a_good_po_file_is_imported_and_logged(login, translation, users):
    content = po_with(
        translation,
        lambda entry: setattr(
            entry, "msgstr", "Transformation plans" if entry.msgctxt == "title" else entry.msgstr
        ),
    )
    response = upload(login("translator"), translation, content)
    assert response.status_code == 302
    assert StringTranslation.objects.filter(
        locale=translation.target_locale, data="Transformation plans"
    ).exists()
    english = translation.get_target_instance()
    assert PageLogEntry.objects.filter(
        page=english, action="revayat.translation_import", user=users["translator"]
    ).exists()


def test_po_export_is_valid_po(login, translation):
    response = login("translator").get(reverse("wagtail_localize:download_pofile", args=[translation.pk]))
    po = polib.pofile(response.content.decode())
    assert po.metadata["X-WagtailLocalize-TranslationID"] == str(translation.uuid)
    assert any(entry.msgctxt == "title" for entry in po)


@pytest.mark.parametrize("data", [{"action": "publish"}, {"action-publish": "1"}])
def test_a_translators_crafted_publish_is_refused_with_a_message(data, login, translation, demo):
    english = translation.get_target_instance()
    english.title = "draft title"
    english.save_revision()
    live_before = Page.objects.get(pk=english.pk).live_revision_id
    response = login("translator").post(
        reverse("wagtailadmin_pages:edit", args=[english.pk]), data, HTTP_ACCEPT_LANGUAGE="fa"
    )
    assert response.status_code == 302
    assert any("انتشار" in message for message in messages_of(response))
    assert Page.objects.get(pk=english.pk).live_revision_id == live_before


def test_a_translator_submits_a_translation_for_review(login, translation, users, client):
    english = translation.get_target_instance()
    live_title = english.title
    segment = translation.source.stringsegment_set.get(context__path="title")
    StringTranslation.objects.update_or_create(
        translation_of=segment.string,
        locale=translation.target_locale,
        context=segment.context,
        defaults={"data": "Plans awaiting approval"},
    )
    client = login("translator")
    content = client.get(reverse("wagtailadmin_pages:edit", args=[english.pk])).content.decode()
    assert "revayat-translation-editor" in content and "translation_editor.js" in content
    edit_url = reverse("wagtailadmin_pages:edit", args=[english.pk])
    response = client.post(edit_url, {"action": "revayat-submit"})
    assert response.status_code == 302
    english.refresh_from_db()
    assert english.workflow_in_progress
    assert english.current_workflow_state.requested_by == users["translator"]
    # The draft waits in its revision: the live English page is unchanged until the workflow ends.
    assert english.title == live_title and english.has_unpublished_changes
    assert english.get_latest_revision_as_object().title == "Plans awaiting approval"
    client.logout()
    assert "Plans awaiting approval" not in client.get(english.url).content.decode()


def test_a_translator_cannot_edit_a_persian_snippet(login, demo):
    from plans.models import Person

    person = Person.objects.filter(locale=demo.locale_fa).first()
    url = reverse("wagtailsnippets_plans_person:edit", args=[person.pk])
    response = login("translator").get(url, HTTP_ACCEPT_LANGUAGE="fa")
    assert response.status_code == 302 and messages_of(response)
    english = person.get_translation(demo.locale_en)
    assert (
        login("translator").get(reverse("wagtailsnippets_plans_person:edit", args=[english.pk])).status_code
        == 200
    )
    assert login("editor").get(url).status_code == 200


def status_cells(client):
    response = client.get(reverse("revayat_translation_status"), HTTP_ACCEPT_LANGUAGE="fa")
    assert response.status_code == 200
    return response, response.content.decode()


def test_translation_status_shows_each_state(login, demo, django_assert_max_num_queries):
    client = login("translator")
    response, content = status_cells(client)
    rows = response.context["object_list"]
    persian_pages = Page.objects.filter(depth__gt=1, locale=demo.locale_fa).count()
    assert len(rows) == persian_pages
    assert all(cell["state"] == "live" for row in rows for cell in row["cells"])

    plan = PlanPage.objects.get(pk=demo.plans_fa[0].pk)
    plan.title = "عنوان تازه"
    plan.save_revision()  # the source changed: its English is out of date
    fresh = went_live(new_plan(demo, "plan-new"))  # no English at all
    english = PlanPage.objects.get(pk=demo.plans_en[1].pk)
    english.unpublish()  # in progress: exists but not live

    response, content = status_cells(client)
    states = {row["page"].pk: row["cells"][0]["state"] for row in response.context["object_list"]}
    assert states[plan.pk] == "out_of_date"
    assert states[fresh.pk] == "missing"
    assert states[demo.plans_fa[1].pk] == "in_progress"
    assert reverse("wagtail_localize:submit_page_translation", args=[fresh.pk]) in content
    assert 'data-state="out_of_date"' in content

    with django_assert_max_num_queries(40) as queries:  # constant, whatever the number of pages
        status_cells(client)
    for number in range(3):
        new_plan(demo, f"more-{number}", number=1 + number)
    with django_assert_max_num_queries(len(queries.captured_queries)):
        status_cells(client)


def test_translation_status_is_paginated_by_wagtail_and_has_no_spreadsheet_export(login, demo):
    client = login("translator")
    response = client.get(reverse("revayat_translation_status"), {"export": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    results = client.get(reverse("revayat_translation_status_results"))
    assert results.status_code == 200 and 'data-state="live"' in results.content.decode()


def test_the_dashboards_awaiting_review_panel_shows_the_translation_share(login, translation, settings):
    """The reviewer's dashboard lists the submitted translation with its translated share, as the approve
    dialog does (the Persian admin in Persian digits)."""
    from django.utils import translation as language

    from cms.workflow.policy import PARTIAL_FIELD, translation_note

    english = translation.get_target_instance()
    client = login("translator")
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[english.pk]),
        {"action": "revayat-submit", PARTIAL_FIELD: "on"},
    )
    assert response.status_code == 302
    english = Page.objects.get(pk=english.pk)
    assert english.workflow_in_progress
    reviewer = login("reviewer")
    html = reviewer.get(reverse("wagtailadmin_home")).content.decode()
    assert "awaiting-review" in html
    with language.override(settings.LANGUAGE_CODE):
        note = translation_note(english)
    assert note and "revayat-workflow-note" in html
    panel = html[html.index("awaiting-review") :]
    assert note in panel
