"""S3 that does not answer: an editor's image upload fails within seconds with a Persian message and the
form kept, and nothing is created (before: about three minutes of botocore's default timeouts and retries,
then a 500). The S3 endpoint is the project's fault proxy black-holing every connection: it accepts and
reads the request but never answers, as a hung server or a firewall dropping packets does.
"""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images import get_image_model

from tests.distribution.conftest import jpeg_bytes
from tests.faultproxy import FaultProxy
from tests.integration.test_s3 import settings_for

pytestmark = pytest.mark.django_db
NO_ANSWER = "فضای ذخیره‌سازی پرونده‌ها به‌موقع پاسخ نداد"


@pytest.fixture
def hung_s3(settings, monkeypatch):
    with FaultProxy(mode="blackhole") as proxy:
        on_s3 = settings_for(
            monkeypatch,
            MEDIA_STORAGE="s3",
            S3_ENDPOINT_URL=f"http://{proxy.address}",
            S3_ACCESS_KEY_ID="revayat-test",
            S3_SECRET_ACCESS_KEY="revayat-test-secret",
            S3_READ_TIMEOUT="1",
            S3_MAX_ATTEMPTS="1",
        )
        settings.STORAGES = on_s3["STORAGES"]
        yield proxy


def photo(name="hall.jpg"):
    return SimpleUploadedFile(name, jpeg_bytes(), content_type="image/jpeg")


def test_an_image_upload_to_a_hung_s3_fails_in_seconds_keeping_the_form(hung_s3, admin_client):
    started = time.monotonic()
    response = admin_client.post(
        reverse("wagtailimages:add"), {"title": "تالار همایش", "file": photo(), "collection": 1}
    )
    assert time.monotonic() - started < 10 and hung_s3.accepted >= 1  # S3 was asked, and gave up on
    assert response.status_code == 200
    form = response.context["form"]
    assert [error.code for error in form.errors.as_data()["file"]] == ["storage"]
    assert NO_ANSWER in response.content.decode() and 'value="تالار همایش"' in response.content.decode()

    uploader = admin_client.post(reverse("wagtailimages:add_multiple"), {"files[]": photo(), "collection": 1})
    assert uploader.json() == {"success": False, "error_message": form.errors["file"][0]}
    assert not get_image_model().objects.filter(title__in=["تالار همایش", "hall.jpg"]).exists()
