"""Nothing that is not public leaves through the API.

Scenarios (each page's title carries a secret word, so a leak anywhere is found by text):
- a draft that was never published, and the unpublished newer draft of a live page;
- a page in moderation (submitted to a workflow, not yet approved);
- a private page (password) and a page only logged-in users may see, with a live child;
- a live page whose expiry date has passed, and a live page under an unpublished parent;
- an image and a document in a restricted collection, used by a public page;
- a processed video in a restricted collection (used by a public film) and a video not yet processed.
Hidden pages are 404 and restricted images and documents null in the JSON of public pages; the newer
draft never shows; search works beside restricted collections; hidden media is invisible; the private
original of a media item appears in no API response at all. (Every API door against every secret state,
for anonymous visitors and a role: tests/privacy/test_matrix.py.)
"""

import datetime
import json

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupApprovalTask,
    Page,
    PageViewRestriction,
    Workflow,
    WorkflowTask,
)
from wagtail.search import index as search_index

from media_pipeline.models import MediaItem, Status
from plans.demo.media import media_key
from plans.models import ExecutiveSummaryPage, FilmPage, PlanPage

pytestmark = pytest.mark.django_db

SECRET = "zanzibarsecret"


def add_plan(parent, slug, live=True, **fields):
    page = PlanPage(title=f"{SECRET} {slug}", slug=slug, locale=parent.locale, live=live, **fields)
    if live:
        page.first_published_at = page.last_published_at = timezone.now()
    parent.add_child(instance=page)
    page.save_revision()
    return page


@pytest.fixture
def hidden(demo, django_user_model):
    """The non-public content, plus one public page that uses the restricted image and document."""
    index = demo.index_fa
    user = django_user_model.objects.create_superuser("editor", "e@example.com", "pw")
    draft = add_plan(index, "draft", live=False)

    live = demo.plans_fa[0]
    live.title = f"{SECRET} newer draft"
    live.save_revision(user=user)  # saved, not published

    moderated = add_plan(index, "moderated", live=False)
    workflow = Workflow.objects.create(name="API no-leak")
    task = GroupApprovalTask.objects.create(name="Review")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    workflow.start(moderated, user)
    assert moderated.current_workflow_state is not None

    private = add_plan(index, "private")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    private_child = ExecutiveSummaryPage(
        title=f"{SECRET} private child", slug="summary", locale=index.locale, live=True
    )
    private.add_child(instance=private_child)
    members = add_plan(index, "members")
    PageViewRestriction.objects.create(page=members, restriction_type="login")

    expired = add_plan(index, "expired", expire_at=timezone.now() - datetime.timedelta(days=1))

    parent = add_plan(index, "unpublished-parent", live=False)
    orphan = ExecutiveSummaryPage(
        title=f"{SECRET} under unpublished", slug="summary", locale=index.locale, live=True
    )
    parent.add_child(instance=orphan)

    collection = Collection.get_first_root_node().add_child(name="Confidential")
    CollectionViewRestriction.objects.create(collection=collection, restriction_type="login")
    image = get_image_model().objects.create(
        title=f"{SECRET} image", collection=collection, file=get_test_image_file()
    )
    document = get_document_model().objects.create(
        title=f"{SECRET} document", collection=collection, file=ContentFile(b"secret", name="secret.txt")
    )
    public_document = get_document_model().objects.create(
        title="public document", file=ContentFile(b"ok", name="ok.txt")
    )

    showcase = PlanPage.objects.get(pk=demo.plans_fa[1].pk)
    showcase.hero_image = image
    showcase.appendices = json.dumps(
        [
            {"type": "document_link", "value": {"document": document.pk, "title": "", "description": ""}},
            {"type": "figure", "value": {"image": image.pk, "alt": "x", "caption": "", "credit": ""}},
            *showcase.appendices.raw_data,
        ]
    )
    showcase.save_revision().publish()

    pages = [draft, moderated, private, private_child, members, expired, parent, orphan]
    return {
        "pages": pages,
        "image": image,
        "document": document,
        "public_document": public_document,
        "showcase": showcase,
        "live": live,
    }


def every_response(client, paths):
    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 400, 404), (path, response.status_code)
        yield path, response.content.decode()


def test_hidden_pages_are_404_and_restricted_values_are_null(api, hidden):
    for page in hidden["pages"]:
        status, data, _response = api(f"/api/v2/pages/{page.pk}/")
        assert status == 404 and data["message"]
    _status, showcase, _response = api(f"/api/v2/pages/{hidden['showcase'].pk}/")
    assert showcase["hero_image"] is None
    values = [block["value"] for block in showcase["appendices"]]
    assert values[0]["document"] is None and values[1]["image"] is None
    status, _data, _response = api(f"/api/v2/images/{hidden['image'].pk}/")
    assert status == 404
    status, data, _response = api("/api/v2/documents/")
    assert [item["id"] for item in data["items"]] == [hidden["public_document"].pk]


def test_live_content_not_the_newer_draft(api, hidden):
    live = hidden["live"]
    _status, data, _response = api(f"/api/v2/pages/{live.pk}/")
    assert data["title"] == PlanPage.objects.get(pk=live.pk).title != live.title


def test_search_works_beside_restricted_collections(api, hidden):
    status, data, _response = api("/api/v2/documents/?search=public")
    assert status == 200 and [item["id"] for item in data["items"]] == [hidden["public_document"].pk]
    status, data, _response = api(f"/api/v2/images/?search={SECRET}")
    assert status == 200 and data["items"] == []
    status, data, _response = api(f"/api/v2/pages/?search={SECRET}")
    assert status == 200 and data["items"] == []


@pytest.fixture
def hidden_media(demo, copy_media):
    """A processed video in a restricted collection, shown by a public film, and an unprocessed video."""
    collection = Collection.get_first_root_node().add_child(name="Confidential media")
    CollectionViewRestriction.objects.create(collection=collection, restriction_type="login")
    video = MediaItem.objects.get(key=media_key("video"))
    (restricted,) = copy_media(video, 1, title=f"{SECRET} restricted", collection=collection)
    (pending,) = copy_media(video, 1, title=f"{SECRET} pending", status=Status.PENDING)
    for item in (restricted, pending):
        search_index.insert_or_update_object(item)
    film = FilmPage.objects.filter(locale=demo.locale_fa).first()
    FilmPage.objects.filter(pk=film.pk).update(video=restricted)  # the live row the API reads
    return {"items": [restricted, pending], "film": film}


def test_media_search_index_holds_the_secrets(hidden_media):
    """The media leak tests are meaningful: the search backend itself finds the hidden items."""
    assert {item.pk for item in MediaItem.objects.search(SECRET)} == {
        item.pk for item in hidden_media["items"]
    }


def test_hidden_media_is_invisible(api, hidden_media):
    for path in [
        "/api/v2/media/?limit=100",
        f"/api/v2/media/?search={SECRET}",
        f"/api/v2/media/?search={SECRET}&search_operator=or",
        "/api/v2/media/?order=-id",
    ]:
        status, data, response = api(path)
        assert status == 200 and SECRET not in response.content.decode(), path
    hidden_ids = {item.pk for item in hidden_media["items"]}
    _status, data, _response = api("/api/v2/media/?limit=100")
    assert data["items"] and not hidden_ids & {item["id"] for item in data["items"]}
    for item in hidden_media["items"]:
        status, data, _response = api(f"/api/v2/media/{item.pk}/")
        assert status == 404 and data["message"]
    status, data, _response = api(f"/api/v2/pages/{hidden_media['film'].pk}/")
    assert status == 200 and data["video"] is None


def test_no_original_media_file_in_any_response(client, demo, hidden, hidden_media):
    originals = {item.file.name for item in MediaItem.objects.all()}
    assert originals and all(name.startswith("media_originals/") for name in originals)
    paths = [
        "/api/v2/media/?limit=100",
        "/api/v2/images/?limit=100",
        "/api/v2/documents/?limit=100",
        "/api/schema/",
    ]
    paths += [f"/api/v2/media/{pk}/" for pk in MediaItem.objects.values_list("pk", flat=True)]
    for model in ("PodcastEpisodePage", "FilmPage", "PodcastSeriesPage", "InfographicPage"):
        paths.append(f"/api/v2/pages/?type=plans.{model}&fields=*&limit=100")
        paths += [
            f"/api/v2/pages/{page.pk}/"
            for page in Page.objects.filter(content_type__model=model.lower()).order_by("path")[:4]
        ]
    for path, body in every_response(client, paths):
        assert "media_originals" not in body, f"{path} shows a private original"
        for name in originals:
            assert name not in body, f"{path} shows the original {name}"
