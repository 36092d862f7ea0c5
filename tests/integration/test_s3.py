"""Media on a real S3-compatible server on loopback (SeaweedFS `weed mini`, started by this module).

Scenarios: an audio upload through the admin lands in the private bucket with its processed outputs,
none readable without a signature; the outputs' and image renditions' URLs are the media view's, which
redirects to a short-lived presigned URL while the object is public and answers 404 once it is not (a
restricted collection, a draft-only use) and again when it is public again; an HLS playlist is served
by the view so its segments come back through it; presigned URLs work until they expire (original media
and documents, served by a redirect after the permission check); a document whose content is not what
its extension says is sent by S3 as a download; deleting a media item or an image leaves no orphan
object; with the server stopped mid-upload the admin shows a clear error and creates nothing, and the
same upload succeeds once the server is back.
"""

import importlib.util
import io
import time
import urllib.error
import urllib.request

import pytest
from django.core.files.images import ImageFile
from django.test import Client
from django.urls import clear_url_caches, reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

import settings.base as base_settings
from media_pipeline import generate
from media_pipeline.models import MediaItem, Status
from tests.media.conftest import upload
from tests.media.s3server import ACCESS_KEY, BUCKET, PUBLIC_BUCKET, SECRET_KEY, SeaweedS3

pytestmark = pytest.mark.django_db
EXPIRY = 3


@pytest.fixture(scope="module")
def media_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("s3-media")
    generate.audio(folder / "tone.mp3", seconds=1)
    return folder


@pytest.fixture(scope="module")
def s3_server():
    server = SeaweedS3().start()
    yield server
    server.cleanup()


def settings_for(monkeypatch, **environ):
    """The settings `settings/base.py` gives a process started with these environment variables."""
    with monkeypatch.context() as patched:
        for name, value in environ.items():
            patched.setenv(name, value)
        spec = importlib.util.spec_from_file_location("settings.base", base_settings.__file__)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return {name: getattr(module, name) for name in dir(module) if name.isupper()}


@pytest.fixture
def s3(s3_server, settings, monkeypatch, django_capture_on_commit_callbacks):
    """Every setting MEDIA_STORAGE=s3 changes, as production evaluates it; yields a boto3 client to
    inspect the buckets."""
    local = settings_for(monkeypatch, MEDIA_STORAGE="local")
    on_s3 = settings_for(
        monkeypatch,
        MEDIA_STORAGE="s3",
        S3_ENDPOINT_URL=s3_server.endpoint,
        S3_ACCESS_KEY_ID=ACCESS_KEY,
        S3_SECRET_ACCESS_KEY=SECRET_KEY,
        S3_BUCKET=BUCKET,
        S3_PUBLIC_BUCKET=PUBLIC_BUCKET,
        MEDIA_PRESIGNED_EXPIRY=str(EXPIRY),
    )
    for name, value in on_s3.items():
        if local.get(name) != value:
            setattr(settings, name, value)
    import settings.urls as urls

    importlib.reload(urls)  # the media view is routed on S3
    clear_url_caches()
    yield s3_server.client()
    for name, value in local.items():
        if on_s3.get(name) != value:
            setattr(settings, name, value)
    importlib.reload(urls)
    clear_url_caches()


def keys(client, bucket):
    return {item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])}


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def through_the_door(url):
    """(status, body) of a media URL as an anonymous visitor gets it: the media view, then S3."""
    assert url.startswith("/media/") and "X-Amz-Signature" not in url, url
    response = Client().get(url)
    if response.status_code != 302:
        return response.status_code, b""
    location = response["Location"]
    assert "X-Amz-Signature" in location and f"X-Amz-Expires={EXPIRY}" in location
    return fetch(location)


def unsigned(client, name):
    """The object's plain bucket URL (no signature)."""
    return f"{client.meta.endpoint_url}/{BUCKET}/{name}"


def post_audio(admin_client, media_dir, title="On S3"):
    return admin_client.post(
        reverse("wagtailmedia:add", args=("audio",)),
        {"title": title, "file": upload(media_dir / "tone.mp3"), "collection": 1},
    )


def test_upload_outputs_presigned_expiry_and_deletion(
    s3, admin_client, media_dir, django_capture_on_commit_callbacks
):
    private_before, public_before = keys(s3, BUCKET), keys(s3, PUBLIC_BUCKET)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_audio(admin_client, media_dir)
    assert response.status_code == 302
    item = MediaItem.objects.get(title="On S3")
    assert item.status == Status.READY, item.failure_reason
    outputs = {output.file.name for output in item.outputs.all()}
    assert len(outputs) == 2 and keys(s3, BUCKET) - private_before == {item.file.name} | outputs
    assert keys(s3, PUBLIC_BUCKET) == public_before  # nothing lands in the public-read bucket
    # outputs only through the media view (a presigned redirect); the original only presigned
    mp3 = item.output("mp3")
    assert through_the_door(mp3.url) == (200, mp3.file.read())
    assert fetch(unsigned(s3, mp3.file.name))[0] == 403
    assert fetch(item.file.url.split("?")[0])[0] == 403
    signed = item.file.url
    assert "X-Amz-Signature" in signed and f"X-Amz-Expires={EXPIRY}" in signed
    assert fetch(signed)[0] == 200
    time.sleep(EXPIRY + 1.5)
    assert fetch(signed)[0] == 403
    with django_capture_on_commit_callbacks(execute=True):
        item.delete()
    assert keys(s3, BUCKET) == private_before and keys(s3, PUBLIC_BUCKET) == public_before


def test_image_renditions_are_public_and_deleted_with_the_image(s3, django_capture_on_commit_callbacks):
    private_before, public_before = keys(s3, BUCKET), keys(s3, PUBLIC_BUCKET)
    buffer = io.BytesIO()
    PILImage.new("RGB", (1300, 700), (11, 79, 138)).save(buffer, format="PNG")
    image = get_image_model()(title="S3 image")
    image.file = ImageFile(buffer, name="s3.png")
    image.save()
    rendition = image.get_rendition("fill-1200x630|format-webp")
    assert keys(s3, BUCKET) - private_before == {image.file.name, rendition.file.name}
    assert keys(s3, PUBLIC_BUCKET) == public_before
    status, body = through_the_door(rendition.url)
    assert status == 200 and body[8:12] == b"WEBP"
    assert fetch(unsigned(s3, rendition.file.name))[0] == 403
    assert fetch(image.file.url.split("?")[0])[0] == 403  # the original is private
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert keys(s3, BUCKET) == private_before and keys(s3, PUBLIC_BUCKET) == public_before


def test_documents_redirect_to_short_lived_presigned_urls(s3, admin_client):
    from django.core.files.base import ContentFile

    document = get_document_model()(title="Report")
    document.file.save("report.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"))
    response = admin_client.get(document.url)
    assert response.status_code == 302
    location = response["Location"]
    assert f"X-Amz-Expires={EXPIRY}" in location and fetch(location) == (200, b"%PDF-1.7\n%%EOF\n")
    time.sleep(EXPIRY + 1.5)
    assert fetch(location)[0] == 403
    document.delete()


def test_server_stopped_mid_upload_creates_nothing_and_retry_succeeds(
    s3, s3_server, admin_client, media_dir, django_capture_on_commit_callbacks
):
    s3_server.stop()
    try:
        response = post_audio(admin_client, media_dir, title="Retry me")
        assert response.status_code == 200
        errors = response.context["form"].errors.as_data()["__all__"]
        assert [error.code for error in errors] == ["storage"]
        assert not MediaItem.objects.filter(title="Retry me").exists()
    finally:
        s3_server.start()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_audio(admin_client, media_dir, title="Retry me")
    assert response.status_code == 302
    item = MediaItem.objects.get(title="Retry me")
    assert item.status == Status.READY and item.file.name in keys(s3, BUCKET)


def test_files_of_objects_that_stop_being_public_are_refused_and_served_again(
    s3, admin_client, media_dir, django_capture_on_commit_callbacks
):
    """A restricted collection's rendition, a restricted or draft-only audio's outputs: 404 at the media
    view, 403 at the bucket; public again, served again, without moving any object."""
    from wagtail.models import Collection, CollectionViewRestriction

    from cms import visibility
    from plans.models import PodcastEpisodePage

    root = Collection.get_first_root_node()
    secret = root.add_child(name="S3 secret")
    CollectionViewRestriction.objects.create(collection=secret, restriction_type="login")
    buffer = io.BytesIO()
    PILImage.new("RGB", (400, 300), (200, 20, 20)).save(buffer, format="PNG")
    image = get_image_model()(title="S3 secret image", collection=root)
    image.file = ImageFile(buffer, name="secret.png")
    image.save()
    rendition = image.get_rendition("width-200")
    assert through_the_door(rendition.url)[0] == 200
    image.collection = secret
    image.save()
    assert through_the_door(rendition.url)[0] == 404
    assert fetch(unsigned(s3, rendition.file.name))[0] == 403
    image.collection = root
    image.save()
    assert through_the_door(rendition.url)[0] == 200

    with django_capture_on_commit_callbacks(execute=True):
        assert post_audio(admin_client, media_dir, title="S3 episode").status_code == 302
    item = MediaItem.objects.get(title="S3 episode")
    assert item.status == Status.READY, item.failure_reason
    urls = [output.url for output in item.outputs.all()]
    assert urls and all(through_the_door(url)[0] == 200 for url in urls)
    item.collection = secret
    item.save()
    assert all(through_the_door(url)[0] == 404 for url in urls)
    item.collection = root
    item.save()
    episode = PodcastEpisodePage.objects.filter(live=True).first()
    draft = episode.copy(
        update_attrs={"slug": "s3-draft-episode", "title": "S3 draft"}, keep_live=False, log_action=None
    )
    draft = PodcastEpisodePage.objects.get(pk=draft.pk)
    draft.audio = item
    draft.save_revision()
    draft.save(clean=False)
    assert not visibility.is_public(item)  # used only by a draft
    assert all(through_the_door(url)[0] == 404 for url in urls)


def test_hls_playlists_come_through_the_media_view(s3):
    """The playlist's segment names are relative: served by the view (not a redirect), they resolve to
    the view again."""
    from django.core.files.base import ContentFile

    from media_pipeline.models import MediaOutput

    item = MediaItem.objects.filter(type="video", status=Status.READY).first()
    playlist = MediaOutput(media=item, kind=MediaOutput.Kind.HLS)
    playlist.file.save("s3-test.m3u8", ContentFile(b"#EXTM3U\nsegment0.ts\n"))
    assert playlist.file.name in keys(s3, BUCKET) and playlist.url.startswith("/media/")
    response = Client().get(playlist.url)
    assert response.status_code == 200 and response.content == b"#EXTM3U\nsegment0.ts\n"
    assert response["Cache-Control"] == "private, no-store"
    playlist.delete()


def test_a_mismatched_document_on_s3_is_sent_as_a_download(s3, admin_client):
    from django.core.files.base import ContentFile

    document = get_document_model()(title="Fake")
    document.file.save("fake.pdf", ContentFile(b"<html><script>alert(1)</script></html>"))
    response = admin_client.get(document.url)
    assert response.status_code == 302
    location = response["Location"]
    assert "response-content-disposition=attachment" in location
    with urllib.request.urlopen(location, timeout=10) as served:
        assert served.headers["Content-Disposition"].startswith("attachment")
        assert served.headers["Content-Type"] == "application/octet-stream"
    document.delete()
