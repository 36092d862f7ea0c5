"""The role × admin-action matrix, in the style of Wagtail's `assertUserPermissionMatrix`.

Each row of `MATRIX` is one admin action (a URL name, its arguments and the method), each column a role,
each cell the outcome the role must get: Y allowed (200, or a redirect onwards for a POST that acted),
N refused (403, or Wagtail's redirect to the dashboard or login with a message), 0 not found (404),
R redirected to the user's own part of the admin (Wagtail's explorer does that instead of refusing).
Adding an action is one line; adding a role is one entry in `ROLES` and one letter per row. The test
runs as each role (demo groups, never a superuser), every POST in a savepoint that is rolled back, and
fails with the list of wrong cells.

Targets: `fa`/`en` a live plan and its translation; `fa_index`/`en_index` the plan indexes; `review`
and `sign_off` plans at each workflow task; `untranslated` a Persian plan without its English page;
`stopped` an English plan whose synced translation was stopped; `open_*`/`restricted_*` an image,
document and audio item in an open and in the restricted collection.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site
from wagtail_localize.models import (
    OverridableSegment,
    SegmentOverride,
    StringSegment,
    Translation,
    TranslationSource,
)

from cms.distribution.models import Channel, DistributionRule, Status
from media_pipeline.models import MediaItem
from plans.models import OrganizationUnit, Person
from tests.distribution.admin_helpers import make_entry
from tests.workflow.conftest import start_review, to_sign_off

ROLES = ("editor", "translator", "reviewer", "approver", "admin")  # "admin": a Site administrators member

# (action, method, URL name, argument targets, expected outcome per role in ROLES order)
MATRIX = [
    # Pages                                                      editor translator reviewer approver admin
    ("explore fa", "get", "wagtailadmin_explore", ["fa_index"], "YRNYY"),
    ("explore en", "get", "wagtailadmin_explore", ["en_index"], "RYNYY"),
    ("add page fa", "get", "wagtailadmin_pages:add", ["plans", "planpage", "fa_index"], "YNNNY"),
    ("add page en", "get", "wagtailadmin_pages:add", ["plans", "planpage", "en_index"], "NYNNY"),
    ("edit fa", "get", "wagtailadmin_pages:edit", ["fa"], "YNNNY"),
    ("edit en (translation editor)", "get", "wagtailadmin_pages:edit", ["en"], "NYNNY"),
    ("delete fa", "get", "wagtailadmin_pages:delete", ["fa"], "NNNNY"),
    ("copy fa", "get", "wagtailadmin_pages:copy", ["fa"], "YNNNY"),
    ("move fa", "get", "wagtailadmin_pages:move", ["fa"], "NNNNY"),
    ("unpublish fa", "get", "wagtailadmin_pages:unpublish", ["fa"], "NNNYY"),
    ("unpublish en", "get", "wagtailadmin_pages:unpublish", ["en"], "NNNYY"),
    ("view a revision fa", "get", "wagtailadmin_pages:revisions_view", ["fa", "fa_revision"], "YNNYY"),
    ("history fa", "get", "wagtailadmin_pages:history", ["fa"], "YNNNY"),
    ("history en", "get", "wagtailadmin_pages:history", ["en"], "NYNNY"),
    ("view draft fa", "get", "wagtailadmin_pages:view_draft", ["fa"], "YNNYY"),
    ("set privacy fa", "get", "wagtailadmin_pages:set_privacy", ["fa"], "NNNYY"),
    ("lock fa", "post", "wagtailadmin_pages:lock", ["fa"], "YNNNY"),
    ("distribution preview fa", "get", "distribution:page_preview", ["fa"], "YNNNY"),
    # Workflow
    (
        "approve review",
        "get",
        "wagtailadmin_pages:workflow_action",
        ["review", "approve", "review_state"],
        "NNYNN",
    ),
    (
        "approve sign-off",
        "get",
        "wagtailadmin_pages:workflow_action",
        ["sign_off", "approve", "sign_off_state"],
        "NNNYN",
    ),
    (
        "reject sign-off",
        "get",
        "wagtailadmin_pages:workflow_action",
        ["sign_off", "reject", "sign_off_state"],
        "NNNYN",
    ),
    ("workflow history", "get", "wagtailadmin_pages:workflow_history", ["review"], "YNYNY"),
    # Snippets
    ("channels", "get", "wagtailsnippets_distribution_channel:list", [], "YNYYY"),
    ("edit channel", "get", "wagtailsnippets_distribution_channel:edit", ["a_channel"], "NNNNY"),
    ("add channel", "get", "wagtailsnippets_distribution_channel:add", [], "NNNNY"),
    ("rules", "get", "wagtailsnippets_distribution_distributionrule:list", [], "YNYYY"),
    ("edit rule", "get", "wagtailsnippets_distribution_distributionrule:edit", ["rule"], "NNNNY"),
    ("units", "get", "wagtailsnippets_plans_organizationunit:list", [], "YYNNY"),
    ("edit unit fa", "get", "wagtailsnippets_plans_organizationunit:edit", ["unit"], "YNNNY"),
    ("add unit", "get", "wagtailsnippets_plans_organizationunit:add", [], "YNNNY"),
    ("people", "get", "wagtailsnippets_plans_person:list", [], "YYNNY"),
    ("edit person fa", "get", "wagtailsnippets_plans_person:edit", ["a_person"], "YNNNY"),
    # Images, documents, audio and video
    ("add image", "get", "wagtailimages:add", [], "YNNNY"),
    ("edit open image", "get", "wagtailimages:edit", ["open_image"], "YNNNY"),
    ("edit restricted image", "get", "wagtailimages:edit", ["restricted_image"], "NNNNY"),
    ("choose open image", "get", "wagtailimages_chooser:chosen", ["open_image"], "YYNNY"),
    ("choose restricted image", "get", "wagtailimages_chooser:chosen", ["restricted_image"], "NNNNY"),
    ("add document", "get", "wagtaildocs:add", [], "YNNYY"),
    ("edit open document", "get", "wagtaildocs:edit", ["open_document"], "YNNNY"),
    ("edit restricted document", "get", "wagtaildocs:edit", ["restricted_document"], "NNNYY"),
    ("choose open document", "get", "wagtaildocs_chooser:chosen", ["open_document"], "YYNNY"),
    ("choose restricted document", "get", "wagtaildocs_chooser:chosen", ["restricted_document"], "NNNYY"),
    ("add audio", "get", "wagtailmedia:add", ["audio"], "YNNNY"),
    ("edit open media", "get", "wagtailmedia:edit", ["open_media"], "YNNNY"),
    ("edit restricted media", "get", "wagtailmedia:edit", ["restricted_media"], "NNNNY"),
    ("choose open media", "get", "wagtailmedia:media_chosen", ["open_media"], "YNNNY"),
    ("choose restricted media", "get", "wagtailmedia:media_chosen", ["restricted_media"], "NNNNY"),
    ("media processing", "get", "media_pipeline:processing", [], "YNNNY"),
    ("subtitles", "get", "subtitles:index", [], "YNNNY"),
    # Reports
    ("locked pages report", "get", "wagtailadmin_reports:locked_pages", [], "NNNNY"),
    ("workflow report", "get", "wagtailadmin_reports:workflow", [], "YYNYY"),
    ("site history report", "get", "wagtailadmin_reports:site_history", [], "YYYYY"),
    ("aging pages report", "get", "wagtailadmin_reports:aging_pages", [], "YYNYY"),
    ("distribution report", "get", "distribution:report", [], "YYYYY"),
    ("retry a failed post", "post", "distribution:retry", ["dead_entry"], "NNNYY"),
    ("deliverables report", "get", "plans_deliverables_status", [], "YYYYY"),
    ("translation status", "get", "revayat_translation_status", [], "YYYYY"),
    # Settings, users and groups
    ("sites", "get", "wagtailsites:index", [], "NNNNY"),
    ("locales", "get", "wagtaillocales:index", [], "NNNNY"),
    ("collections", "get", "wagtailadmin_collections:index", [], "NNNNY"),
    ("workflows", "get", "wagtailadmin_workflows:index", [], "NNNNY"),
    ("redirects", "get", "wagtailredirects:index", [], "NNNNY"),
    ("portal settings", "get", "wagtailsettings:edit", ["home", "portalsettings", "site"], "NNNNY"),
    ("users", "get", "wagtailusers_users:index", [], "NNNNY"),
    ("groups", "get", "wagtailusers_groups:index", [], "NNNNY"),
    # wagtail-localize: every view
    ("translate this page", "get", "wagtail_localize:submit_page_translation", ["untranslated"], "NYNNY"),
    ("translate a draft", "get", "wagtail_localize:submit_page_translation", ["draft"], "N0NNY"),
    (
        "translate a snippet",
        "get",
        "wagtail_localize:submit_snippet_translation",
        ["plans", "person", "untranslated_person"],
        "NYNNY",
    ),
    ("sync translated pages", "get", "wagtail_localize:update_translations", ["source"], "NYNNY"),
    (
        "edit a string translation",
        "delete",
        "wagtail_localize:edit_string_translation",
        ["translation", "segment"],
        "NYNNY",
    ),
    ("edit an override", "delete", "wagtail_localize:edit_override", ["translation", "override"], "NYNNY"),
    ("download PO", "get", "wagtail_localize:download_pofile", ["translation"], "NYNNY"),
    ("upload PO", "post", "wagtail_localize:upload_pofile", ["translation"], "NYNNY"),
    ("machine translate", "post", "wagtail_localize:machine_translate", ["translation"], "00000"),
    ("preview translation", "get", "wagtail_localize:preview_translation", ["translation"], "NYNNY"),
    ("stop translation", "post", "wagtail_localize:stop_translation", ["translation"], "NYNNY"),
    ("restart translation", "post", "wagtailadmin_pages:edit", ["stopped"], "NYNNY"),
    ("convert to alias", "get", "wagtail_localize:convert_to_alias", ["en"], "NYNNY"),
    ("translations report", "get", "wagtail_localize:translations_report", [], "YYYYY"),
    ("translations report results", "get", "wagtail_localize:translations_report_results", [], "YYYYY"),
    ("localize JavaScript catalog", "get", "wagtail_localize:javascript_catalog", [], "YYYYY"),
    (
        "snippet API: channels",
        "get",
        "wagtail_localize:snippets_api_listing",
        ["distribution", "channel"],
        "YNYYY",
    ),
    (
        "snippet API: a channel",
        "get",
        "wagtail_localize:snippets_api_detail",
        ["distribution", "channel", "a_channel"],
        "YNYYY",
    ),
    ("snippet API: people", "get", "wagtail_localize:snippets_api_listing", ["plans", "person"], "YYNNY"),
]
NEXT = "/admin/reports/workflow/"  # where POST actions go back to (not the dashboard: that means refused)
POST_DATA = {  # beyond {"next": NEXT}, by action: a function of the targets
    "restart translation": lambda targets: {"localize-restart-translation": "1"},
    "upload PO": lambda targets: {
        "file": SimpleUploadedFile("en.po", str(targets["translation"].export_po()).encode())
    },
}


def outcome(response, path):
    """The letter of a response: Y, N, 0 or R (see the module docstring)."""
    location = response.get("Location", "")
    if response.status_code == 404 or (
        response.status_code == 302 and location.endswith(path) and location != path
    ):  # a 404 redirected to /fa/…
        return "0"
    if response.status_code == 403 or location.rstrip("/").endswith("/admin") or "/login/" in location:
        return "N"
    if (
        response.status_code == 302
        and "/admin/pages/" in location
        and response.request["REQUEST_METHOD"] == "GET"
    ):
        return "R"
    return "Y" if response.status_code in (200, 302) else f"HTTP {response.status_code}"


@pytest.fixture
def targets(demo, users, written_approval, open_document):
    """The objects the matrix acts on, by the names its rows use."""
    restricted = written_approval.collection
    open_collection = open_document.collection
    image_model = get_image_model()
    open_image = image_model.objects.create(
        title="open", file=get_test_image_file(), collection=open_collection
    )
    restricted_image = image_model.objects.create(
        title="restricted", file=get_test_image_file(), collection=restricted
    )
    open_media, restricted_media = MediaItem.objects.bulk_create(
        [  # bulk: no processing task
            MediaItem(title=title, type="audio", file=f"media_originals/{title}.mp3", collection=collection)
            for title, collection in (("open tone", open_collection), ("restricted tone", restricted))
        ]
    )
    fa, review_page, sign_off_page, untranslated = demo.plans_fa[:4]
    drafted = untranslated.get_children().first().specific
    en = fa.get_translation(demo.locale_en)
    untranslated.get_translation(demo.locale_en).delete()
    drafted.unpublish()
    stopped = sign_off_page.get_translation(demo.locale_en)
    Translation.objects.filter(
        source__object_id=stopped.translation_key, target_locale=demo.locale_en
    ).update(enabled=False)
    translation = Translation.objects.get(source__object_id=fa.translation_key, target_locale=demo.locale_en)
    channel = Channel.objects.first() or Channel.objects.create(name="Telegram", kind="telegram")
    override = OverridableSegment.objects.filter(source=translation.source).first()
    SegmentOverride.objects.create(locale=demo.locale_en, context=override.context, data_json='""')
    return {
        "fa": fa,
        "en": en,
        "fa_index": demo.index_fa,
        "fa_revision": fa.latest_revision,
        "en_index": demo.index_fa.get_translation(demo.locale_en),
        "review": review_page,
        "review_state": start_review(review_page, users["editor"]),
        "sign_off": sign_off_page,
        "sign_off_state": to_sign_off(sign_off_page, users["editor"], users["reviewer"]),
        "untranslated": untranslated,
        "draft": drafted,
        "stopped": stopped,
        "a_channel": channel,
        "rule": DistributionRule.objects.first(),
        "unit": OrganizationUnit.objects.filter(locale=demo.locale_fa).first(),
        "a_person": Person.objects.filter(locale=demo.locale_fa).first(),
        "untranslated_person": Person.objects.create(name="بی‌ترجمه", locale=demo.locale_fa),
        "open_image": open_image,
        "restricted_image": restricted_image,
        "open_document": open_document,
        "restricted_document": written_approval,
        "open_media": open_media,
        "restricted_media": restricted_media,
        "dead_entry": make_entry(channel, fa, Status.DEAD, attempts=1),
        "source": TranslationSource.objects.get_for_instance(fa),
        "translation": translation,
        "segment": StringSegment.objects.filter(source=translation.source).first(),
        "override": override,
        "site": Site.objects.get(is_default_site=True),
    }


def arguments(names, targets):
    return [getattr(targets.get(name, name), "pk", targets.get(name, name)) for name in names]


def test_the_matrix_has_a_cell_per_role_and_no_duplicate_action():
    assert all(len(row[4]) == len(ROLES) and set(row[4]) <= set("YNR0") for row in MATRIX)
    assert len({row[0] for row in MATRIX}) == len(MATRIX)


@pytest.mark.parametrize("role", ROLES)
def test_role_admin_action_matrix(role, login, targets):
    client = login(role)
    column = ROLES.index(role)
    wrong = []
    for action, method, url_name, names, expected in MATRIX:
        url = reverse(url_name, args=arguments(names, targets))
        with transaction.atomic():
            data = {"next": NEXT, **POST_DATA[action](targets)} if action in POST_DATA else {"next": NEXT}
            response = getattr(client, method)(url, data if method == "post" else {})
            transaction.set_rollback(True)
        got = outcome(response, url)
        if got != expected[column]:
            wrong.append(f"{action} ({method.upper()} {url}): got {got}, expected {expected[column]}")
    assert not wrong, f"{role}, {len(wrong)} wrong cell(s):\n" + "\n".join(wrong)
