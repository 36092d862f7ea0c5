"""The fakes refuse what the real services refuse, so an adapter that passes against them sends what the
services document. Each case is a raw request that breaks one rule."""

import json
import time

import httpx
import pytest

from cms.distribution import webhook
from tests.distribution import fakes
from tests.distribution.conftest import jpeg_bytes


def refused(fake, status, fragment):
    """The fake answered `status`, said `fragment`, and listed the request as outside the API."""
    assert fake.errors and fragment in fake.errors[-1], fake.errors
    fake.errors.clear()
    return status


def test_telegram_refuses_unescaped_html_long_captions_and_missing_files(telegram):
    url = f"{telegram.url}/bot{telegram.token}"
    answer = httpx.post(
        f"{url}/sendMessage", json={"chat_id": "@revayat_fa", "text": "a < b", "parse_mode": "HTML"}
    )
    assert answer.status_code == refused(telegram, 400, "can't parse entities")
    assert answer.json()["description"].startswith("Bad Request: can't parse entities")
    answer = httpx.post(
        f"{url}/sendPhoto",
        data={"chat_id": "@revayat_fa", "caption": "ب" * 1025},
        files={"photo": ("p.jpg", jpeg_bytes(), "image/jpeg")},
    )
    assert answer.status_code == refused(telegram, 400, "caption is too long")
    answer = httpx.post(
        f"{url}/sendPhoto",
        data={"chat_id": "@revayat_fa", "caption": "😀" * 512},
        files={"photo": ("p.jpg", jpeg_bytes(), "image/jpeg")},
    )
    assert answer.json()["ok"]  # 1,024 UTF-16 units exactly
    answer = httpx.post(f"{url}/sendVideo", data={"chat_id": "@revayat_fa", "caption": "فیلم"})
    assert answer.status_code == refused(telegram, 400, "there is no video")
    answer = httpx.post(
        f"{url}/sendPhoto",
        data={"chat_id": "@revayat_fa"},
        files={"photo": ("p.jpg", b"not an image", "image/jpeg")},
    )
    assert answer.status_code == refused(telegram, 400, "IMAGE_PROCESS_FAILED")
    assert httpx.post(f"{telegram.url}/botWRONG/sendMessage", json={}).status_code == 401
    assert len(telegram.posts) == 1


@pytest.mark.parametrize(
    ("value", "visible"),
    [
        ("<b>پررنگ</b> &amp; &lt;تگ&gt; &#1587;", "پررنگ & <تگ> س"),
        ('<a href="https://t.me/x">پیوند</a>', "پیوند"),
    ],
)
def test_telegram_visible_text(value, visible):
    assert fakes.telegram_visible_text(value) == visible


@pytest.mark.parametrize("value", ["<script>x</script>", "a & b", "<b>open", "x</b>", "a > b"])
def test_telegram_html_it_cannot_parse(value):
    with pytest.raises(fakes.EntityError):
        fakes.telegram_visible_text(value)


def test_x_refuses_long_text_unknown_media_and_missing_auth(x_api):
    headers = {"Authorization": f"Bearer {x_api.token}"}
    answer = httpx.post(f"{x_api.url}/2/tweets", json={"text": "ک" * 281}, headers=headers)
    assert answer.status_code == refused(x_api, 400, "too long")
    answer = httpx.post(
        f"{x_api.url}/2/tweets", json={"text": "سلام", "media": {"media_ids": ["9"]}}, headers=headers
    )
    assert answer.status_code == refused(x_api, 400, "media IDs are invalid")
    answer = httpx.post(f"{x_api.url}/2/tweets", json={"text": "سلام"})
    assert answer.status_code == 401 and answer.json()["title"] == "Unauthorized"
    answer = httpx.post(f"{x_api.url}/2/tweets", content=b"text=x", headers=headers)
    assert answer.status_code == refused(x_api, 400, "JSON body")
    x_api.fail_next("429", retry_after=30)
    limited = httpx.post(f"{x_api.url}/2/tweets", json={"text": "سلام"}, headers=headers)
    assert limited.status_code == 429
    assert int(limited.headers["x-rate-limit-reset"]) == pytest.approx(time.time() + 30, abs=2)


def test_instagram_refuses_unfetchable_images_and_unready_containers(instagram, media_host):
    base, token = f"{instagram.url}/{instagram.account_id}", instagram.token
    answer = httpx.post(
        f"{base}/media", data={"image_url": "http://127.0.0.1:9/x.jpg", "access_token": token}
    )
    assert answer.json()["error"]["error_subcode"] == 2207052
    png = media_host.add("x.png", b"\x89PNG....", "image/png")
    assert "error" in httpx.post(f"{base}/media", data={"image_url": png, "access_token": token}).json()
    video = media_host.add("v.mp4", b"\x00\x00\x00\x18ftypmp42", "video/mp4")
    container = httpx.post(
        f"{base}/media", data={"media_type": "REELS", "video_url": video, "access_token": token}
    ).json()["id"]
    not_ready = httpx.post(f"{base}/media_publish", data={"creation_id": container, "access_token": token})
    assert not_ready.json()["error"]["code"] == 9007
    answer = httpx.post(f"{base}/media", data={"image_url": png, "access_token": "wrong"})
    assert answer.json()["error"]["code"] == 190


def test_portal_verifies_signatures_and_drops_replays(portal):
    body = json.dumps(
        {
            "id": "evt-1",
            "event": "publish",
            "occurred_at": "2026-11-23T00:00:00+00:00",
            "page": {"id": 1, "language": "fa", "title": "ت", "url": "u", "api_url": "a"},
            "payload": None,
        }
    ).encode()
    headers = webhook.signed_headers(body, portal.secret, "evt-1")
    assert httpx.post(portal.url, content=body, headers=headers).status_code == 202
    assert httpx.post(portal.url, content=body, headers=headers).json() == {"status": "duplicate"}
    forged = webhook.signed_headers(body, "guessed", "evt-2")
    answer = httpx.post(portal.url, content=body, headers=forged)
    assert answer.status_code == refused(portal, 401, "signature")
    stale = webhook.signed_headers(body, portal.secret, "evt-1", timestamp=time.time() - 3600)
    assert httpx.post(portal.url, content=body, headers=stale).status_code == refused(portal, 401, "stale")
    assert len(portal.posts) == 1 and portal.duplicates == ["evt-1"]


def test_aparat_refuses_an_upload_without_its_form_id(aparat):
    answer = httpx.post(
        f"{aparat.url}/upload/1", data={"frm-id": "1"}, files={"video": ("v.mp4", b"\x00" * 10, "video/mp4")}
    )
    assert answer.status_code == refused(aparat, 400, "frm-id")


def test_eitaa_needs_the_file_as_multipart(eitaa):
    url = f"{eitaa.url}/api/{eitaa.token}/sendFile"
    answer = httpx.post(url, data={"chat_id": "revayat_fa", "caption": "بدون فایل"})
    assert answer.status_code == refused(eitaa, 400, "multipart")


def test_a_hold_answers_late_but_keeps_the_post(telegram):
    telegram.hold_next(3.0)  # far past the client's timeout, so a busy machine cannot blur them
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(
            f"{telegram.url}/bot{telegram.token}/sendMessage",
            json={"chat_id": "@revayat_fa", "text": "سلام"},
            timeout=0.2,
        )
    assert len(telegram.posts) == 1 and time.monotonic() - started < 3.0
