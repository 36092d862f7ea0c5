"""Media on a real S3-compatible server on loopback (SeaweedFS `weed mini`, started by this module).

Scenarios: an audio upload through the admin lands in the private bucket, its processed outputs in the
public bucket, readable without signature while the original is not; image renditions go to the public
bucket; presigned URLs work until they expire (original media and restricted documents, which are served
by a redirect after the permission check); deleting a media item or an image leaves no orphan object; with
the server stopped mid-upload the admin shows a clear error and creates nothing, and the same upload
succeeds once the server is back.
"""

import importlib.util
import io
import time
import urllib.error
import urllib.request

import boto3
import pytest
from botocore.config import Config
from django.core.files.images import ImageFile
from django.urls import reverse
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
    client = boto3.client(
        "s3",
        endpoint_url=s3_server.endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name="us-east-1",
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )
    yield client


def keys(client, bucket):
    return {item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])}


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


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
    assert keys(s3, BUCKET) - private_before == {item.file.name}
    outputs = {output.file.name for output in item.outputs.all()}
    assert len(outputs) == 2 and keys(s3, PUBLIC_BUCKET) - public_before == outputs
    # outputs are public (no signature); the original only through a presigned URL, until it expires
    mp3 = item.output("mp3")
    assert "X-Amz-Signature" not in mp3.url and fetch(mp3.url) == (200, mp3.file.read())
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
    assert image.file.name in keys(s3, BUCKET) - private_before
    assert keys(s3, PUBLIC_BUCKET) - public_before == {rendition.file.name}
    status, body = fetch(rendition.url)
    assert status == 200 and body[8:12] == b"WEBP"
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
