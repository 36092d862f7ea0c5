"""What each role may read and use in the admin, tried as that role.

Scenarios:
- a translator reads nothing of the distribution channels and rules (lists, edit views, history, and
  wagtail-localize's snippet API), where an editor reads them;
- a translator sees neither a Persian draft nor a restricted page (nor its English translation) in the
  page chooser, its search or the rich-text link chooser, cannot browse into them, and cannot open
  "Translate this page" or "Sync translated pages" for them; the translation status lists neither;
  an editor still sees both in the chooser;
- an editor uploads audio and video in an open collection, finds them in the media chooser (the one the
  podcast episode and film editors open) and chooses them; a translator cannot.
"""

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction
from wagtail_localize.models import TranslationSource

from cms.distribution.models import Channel, DistributionRule
from media_pipeline import generate
from media_pipeline.models import MediaItem
from plans.demo.media import PLACEHOLDER_TITLES, media_key
from plans.models import FilmPage, PodcastEpisodePage
from tests.media.conftest import upload

DRAFT_WORD, RESTRICTED_WORD = "زیکزاک", "ققنوس"


def not_found(client, url):
    """404 (the admin's 404 first redirects to the language-prefixed URL, which then answers 404)."""
    return client.get(url, follow=True).status_code == 404


def refused(response):
    """403, or Wagtail's redirect to the dashboard with a "no permission" message."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"].rstrip("/").endswith("/admin")
    )


@pytest.fixture
def secrets(demo):
    """A Persian draft and a login-restricted Persian page (with its English translation), each with a
    word in its title that appears nowhere else."""
    draft = demo.plans_fa[0]
    draft.title = draft.draft_title = f"طرح {DRAFT_WORD} پیش‌نویس"
    draft.live = False
    draft.save(clean=False)
    restricted = demo.plans_fa[1]
    restricted.title = restricted.draft_title = f"طرح {RESTRICTED_WORD} محرمانه"
    restricted.save(clean=False)
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    translation = restricted.get_translation(demo.locale_en)
    translation.title = translation.draft_title = f"Plan {RESTRICTED_WORD} confidential"
    translation.save(clean=False)
    return draft, restricted, translation


def test_translators_do_not_read_the_channel_configuration(login):
    channel = Channel.objects.first()
    rule = DistributionRule.objects.first()
    urls = [
        reverse("wagtailsnippets_distribution_channel:list"),
        reverse("wagtailsnippets_distribution_distributionrule:list"),
        reverse("wagtailsnippets_distribution_channel:edit", args=[channel.pk]),
        reverse("wagtailsnippets_distribution_channel:history", args=[channel.pk]),
        reverse("wagtailsnippets_distribution_distributionrule:edit", args=[rule.pk]),
        reverse("wagtail_localize:snippets_api_listing", args=["distribution", "channel"]),
        reverse("wagtail_localize:snippets_api_detail", args=["distribution", "channel", channel.pk]),
        reverse("wagtail_localize:snippets_api_listing", args=["distribution", "distributionrule"]),
    ]
    translator = login("translator")
    for url in urls:
        response = translator.get(url)
        assert refused(response), (url, response.status_code)
    assert (
        "/admin/snippets/distribution/channel/"
        not in translator.get(reverse("wagtailadmin_home")).content.decode()
    )
    editor = login("editor")
    assert channel.name in editor.get(urls[0]).content.decode()
    assert editor.get(urls[5]).status_code == 200


def chooser_html(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, (url, response.status_code)
    if response["Content-Type"].startswith("application/json"):  # a modal step: its HTML in JSON
        return response.json()["html"]
    return response.content.decode()


def test_translators_see_no_draft_or_restricted_title_in_choosers(login, demo, secrets):
    draft, restricted, translation = secrets
    link_chooser = {
        "allow_external_link": "true",
        "allow_email_link": "true",
        "allow_phone_link": "true",
        "allow_anchor_link": "true",
    }
    views = [
        (reverse("wagtailadmin_choose_page_child", args=[demo.index_fa.pk]), {}),
        (reverse("wagtailadmin_choose_page_child", args=[demo.index_fa.pk]), link_chooser),
        (reverse("wagtailadmin_choose_page_child", args=[translation.get_parent().pk]), {}),
        (reverse("wagtailadmin_choose_page_search"), {"q": "طرح"}),
        (reverse("wagtailadmin_choose_page_search"), {"q": "Plan"}),
        (reverse("revayat_translation_status"), {}),
    ]
    translator = login("translator")
    for url, params in views:
        html = chooser_html(translator, url, params)
        assert DRAFT_WORD not in html and RESTRICTED_WORD not in html, (url, params)
    for page in (draft, restricted, translation):
        assert not_found(translator, reverse("wagtailadmin_choose_page_child", args=[page.pk]))
    visible = demo.plans_fa[2].title
    assert visible in chooser_html(translator, views[0][0])  # the public Persian pages are still listed
    editor = login("editor")
    html = chooser_html(editor, *views[0]) + chooser_html(editor, *views[3])
    assert DRAFT_WORD in html and RESTRICTED_WORD in html


def test_translators_cannot_translate_or_sync_hidden_pages(login, demo, secrets):
    draft, restricted, _translation = secrets
    translator = login("translator")
    for page in (draft, restricted):
        assert not_found(translator, reverse("wagtail_localize:submit_page_translation", args=[page.pk]))
    source = TranslationSource.objects.get_for_instance(restricted)
    assert not_found(translator, reverse("wagtail_localize:update_translations", args=[source.pk]))
    public = demo.plans_fa[2]
    public_source = TranslationSource.objects.get_for_instance(public)
    assert (
        translator.get(reverse("wagtail_localize:update_translations", args=[public_source.pk])).status_code
        == 200
    )
    assert translator.get(
        reverse("wagtail_localize:submit_page_translation", args=[public.pk])
    ).status_code in (200, 404)  # 404 only because every locale has it already; never refused


@pytest.fixture(scope="module")
def audio_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("media") / "tone.wav"
    generate.audio(path, seconds=1.0)
    return path


def test_editors_upload_and_choose_audio_and_video(
    login, demo, audio_file, written_approval, django_capture_on_commit_callbacks
):
    open_collection = MediaItem.objects.get(key=media_key("audio")).collection
    editor = login("editor")
    assert editor.get(reverse("wagtailmedia:add", args=["video"])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            reverse("wagtailmedia:add", args=["audio"]),
            {"title": "Editor tone", "file": upload(audio_file), "collection": open_collection.pk},
        )
    assert response.status_code == 302, response.context["form"].errors
    uploaded = MediaItem.objects.get(title="Editor tone")
    assert uploaded.collection == open_collection
    with django_capture_on_commit_callbacks(execute=True):  # the restricted collection is not offered
        editor.post(
            reverse("wagtailmedia:add", args=["audio"]),
            {
                "title": "Secret tone",
                "file": upload(audio_file),
                "collection": written_approval.collection_id,
            },
        )
    assert not MediaItem.objects.filter(title="Secret tone", collection=written_approval.collection).exists()
    for page_model, kind, title in (
        (PodcastEpisodePage, "audio", PLACEHOLDER_TITLES["audio"]),
        (FilmPage, "video", PLACEHOLDER_TITLES["video"]),
    ):
        page = page_model.objects.filter(locale=demo.locale_fa).first()
        edit = editor.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert edit.status_code == 200
        chooser = reverse("wagtailmedia:chooser_typed", args=[kind])
        assert chooser in edit.content.decode()  # the page editor's media chooser opens this view
        html = editor.get(chooser).json()["html"]  # JSON escapes Persian letters
        assert title in html and "upload" in html.lower()
    assert "Editor tone" in editor.get(reverse("wagtailmedia:chooser_typed", args=["audio"])).content.decode()
    item = MediaItem.objects.get(key=media_key("video"))
    assert editor.get(reverse("wagtailmedia:media_chosen", args=[item.pk])).status_code == 200
    assert editor.get(reverse("wagtailmedia:edit", args=[uploaded.pk])).status_code == 200
    translator = login("translator")
    assert refused(translator.get(reverse("wagtailmedia:add", args=["audio"])))
    assert translator.get(reverse("wagtailmedia:media_chosen", args=[item.pk])).status_code in (302, 403)


def test_editors_edit_subtitle_tracks(login):
    assert login("editor").get(reverse("subtitles:add")).status_code == 200
    assert refused(login("translator").get(reverse("subtitles:add")))


def test_wagtail_localize_snippet_api_asks_the_model_permission(login):
    """Any snippet model, not only channels: the API answers only those who may see the model."""
    reviewer = login("reviewer")
    assert (
        reviewer.get(
            reverse("wagtail_localize:snippets_api_listing", args=["distribution", "channel"])
        ).status_code
        == 200
    )
    response = reviewer.get(reverse("wagtail_localize:snippets_api_listing", args=["plans", "person"]))
    assert refused(response), response.status_code


def test_hidden_pages_are_hidden_only_from_translators(users, secrets):
    from cms.workflow.access import hidden_page_ids

    draft, restricted, translation = secrets
    assert {draft.pk, restricted.pk, translation.pk} <= hidden_page_ids(users["translator"])
    for role in ("editor", "reviewer", "approver", "admin"):
        assert hidden_page_ids(users[role]) == set()


def _copy_group(source_name, new_name):
    """A group with another name holding exactly the permissions of the role `source_name`."""
    from django.contrib.auth.models import Group
    from wagtail.models import GroupCollectionPermission, GroupPagePermission

    source = Group.objects.get(name=source_name)
    copy = Group.objects.create(name=new_name)
    copy.permissions.set(source.permissions.all())
    for grant in GroupPagePermission.objects.filter(group=source):
        GroupPagePermission.objects.create(group=copy, page=grant.page, permission=grant.permission)
    for grant in GroupCollectionPermission.objects.filter(group=source):
        GroupCollectionPermission.objects.create(
            group=copy, collection=grant.collection, permission=grant.permission
        )
    return copy


def test_translator_only_is_decided_by_permissions_not_group_names(users, secrets):
    """A renamed translators' group still hides the secrets; a translator who also holds an editor's
    permissions (through a group of another name) is not "translator only"."""
    from django.contrib.auth import get_user_model

    from cms.workflow import roles
    from cms.workflow.access import hidden_page_ids

    draft, restricted, translation = secrets
    translators = _copy_group(roles.TRANSLATORS, "Übersetzer")
    writer = get_user_model().objects.create_user("writer", password="pw")
    writer.groups.add(translators)
    assert roles.is_translator_only(writer)
    assert roles.is_translator_only(users["translator"])
    assert not roles.is_translator_only(users["editor"])
    assert {draft.pk, restricted.pk, translation.pk} <= hidden_page_ids(writer)

    authors = _copy_group(roles.EDITORS, "Auteurs")
    both = get_user_model().objects.get(username="translator")
    both.groups.add(authors)
    both = get_user_model().objects.get(pk=both.pk)  # no cached permissions
    assert not roles.is_translator_only(both)


def test_translators_see_live_titles_not_draft_titles_in_choosers(login, demo):
    """A live Persian page with an unpublished title change: the translator's choosers (browsing,
    search) show its live title; the editor's show the draft title, as Wagtail does."""
    page = demo.plans_fa[2]
    live_title = page.title
    page.title = f"طرح {DRAFT_WORD} تازه"
    page.save_revision()
    page.refresh_from_db()
    assert page.live and DRAFT_WORD in page.draft_title and page.title == live_title
    browse = reverse("wagtailadmin_choose_page_child", args=[demo.index_fa.pk])
    search = reverse("wagtailadmin_choose_page_search")
    query = {"q": live_title.split()[-1]}
    translator = login("translator")
    for url, params in ((browse, {}), (search, query)):
        html = chooser_html(translator, url, params)
        assert DRAFT_WORD not in html, url
        assert live_title in html, url
    into = reverse("wagtailadmin_choose_page_child", args=[page.pk])  # the page as the browsed parent
    html = chooser_html(translator, into)
    assert DRAFT_WORD not in html and live_title in html
    chosen = translator.get(reverse("wagtailadmin_choose_page_chosen_multiple"), {"id": page.pk})
    assert chosen.status_code == 200
    assert [item["adminTitle"] for item in chosen.json()["result"]] == [live_title]
    editor = login("editor")
    assert DRAFT_WORD in chooser_html(editor, browse)
    assert DRAFT_WORD in chooser_html(editor, into)


def test_translators_explorer_leaves_out_translations_of_restricted_pages(login, demo, secrets):
    _draft, _restricted, translation = secrets
    parent = translation.get_parent()
    explore = reverse("wagtailadmin_explore", args=[parent.pk])
    menu = reverse("wagtailadmin_api:pages:listing")
    menu_params = {"child_of": parent.pk, "for_explorer": 1}
    translator = login("translator")
    html = translator.get(explore).content.decode()
    assert parent.title in html and RESTRICTED_WORD not in html
    assert (
        RESTRICTED_WORD
        not in translator.get(
            reverse("wagtailadmin_explore", args=[parent.pk]), {"q": "Plan"}
        ).content.decode()
    )
    listing = translator.get(menu, menu_params)
    assert listing.status_code == 200 and listing.json()["items"]
    assert RESTRICTED_WORD not in listing.content.decode()
    assert not_found(translator, reverse("wagtailadmin_explore", args=[translation.pk]))
    admin = login("admin")
    assert RESTRICTED_WORD in admin.get(explore).content.decode()
