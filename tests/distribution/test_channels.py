"""Every adapter against its channel's loopback fake: what arrives on the other side, and how each kind of
failure is reported to the delivery worker (Retry, Permanent, Unsupported, or the client's timeout)."""

import threading
import time

import httpx
import pytest

from cms.distribution import text
from cms.distribution.channels import adapter_class
from cms.distribution.channels import x as x_module
from cms.distribution.channels.base import Permanent, Retry, Uncertain, Unsupported
from cms.distribution.models import Channel, RemotePost
from tests.distribution import fakes
from tests.distribution.conftest import Context

ZWNJ, RLM = "\u200c", "\u200f"


def adapter(kind, base_url, http, target, **credentials):
    channel = Channel(name=f"{kind} test", kind=kind, target=target, base_url=base_url, credentials_name=kind)
    return adapter_class(kind)(channel, credentials, http)


def remote(delivered):
    return RemotePost(remote_id=delivered.remote_id, remote_url=delivered.remote_url)


# --- one setup per channel, for the checks every adapter must pass ----------------------------------


@pytest.fixture
def setups(telegram, bale, eitaa, instagram, aparat, x_api, portal, media_host, files, make_post):
    """kind → (the fake, a function http → adapter, a post the channel takes)."""
    image_url = media_host.add("media/social-crop.jpg", files.jpeg, "image/jpeg")
    return {
        "telegram": (
            telegram,
            lambda c: adapter("telegram", telegram.url, c, "@revayat_fa", token=telegram.token),
            make_post(image=files.image()),
        ),
        "bale": (
            bale,
            lambda c: adapter("bale", bale.url, c, "@revayat_bale", token=bale.token),
            make_post(image=files.image()),
        ),
        "eitaa": (
            eitaa,
            lambda c: adapter("eitaa", eitaa.url, c, "revayat_fa", token=eitaa.token),
            make_post(image=files.image()),
        ),
        "instagram": (
            instagram,
            lambda c: adapter("instagram", instagram.url, c, instagram.account_id, token=instagram.token),
            make_post(image=files.image(image_url)),
        ),
        "aparat": (
            aparat,
            lambda c: adapter("aparat", aparat.url, c, "revayat", password="secret-pass"),
            make_post(video=files.video()),
        ),
        "x": (
            x_api,
            lambda c: adapter("x", x_api.url, c, "", token=x_api.token),
            make_post(image=files.image()),
        ),
        "portal_webhook": (
            portal,
            lambda c: adapter("portal_webhook", "", c, portal.url, secret=portal.secret),
            make_post(api_payload={"id": 42, "title": "گزارش"}),
        ),
    }


KINDS = ["telegram", "bale", "eitaa", "instagram", "aparat", "x", "portal_webhook"]


@pytest.mark.parametrize("kind", KINDS)
def test_publish_reaches_the_channel_once(kind, setups, http, ctx):
    fake, build, post = setups[kind]
    delivered = build(http).publish(post, ctx)
    assert len(fake.posts) == 1
    assert delivered.remote_id
    assert ctx.posted == 1


@pytest.mark.parametrize("kind", KINDS)
def test_rate_limit_is_a_retry_with_the_wait_the_channel_asks_for(kind, setups, http, ctx):
    fake, build, post = setups[kind]
    fake.fail_next("429", retry_after=7, on=None if kind != "instagram" else "/media")
    with pytest.raises(Retry) as raised:
        build(http).publish(post, ctx)
    if kind == "instagram":  # Graph API throttling is error code 4 without a wait
        assert "request limit" in raised.value.reason
    else:
        assert raised.value.http_status == 429
        assert raised.value.retry_after == pytest.approx(7, abs=1.1)
    assert fake.posts == []


@pytest.mark.parametrize("kind", KINDS)
def test_server_error_is_a_retry(kind, setups, http, ctx):
    fake, build, post = setups[kind]
    fake.fail_next("500")
    with pytest.raises(Retry) as raised:
        build(http).publish(post, ctx)
    assert raised.value.http_status == 500
    assert fake.posts == []


@pytest.mark.parametrize("kind", [kind for kind in KINDS if kind != "portal_webhook"])
def test_malformed_json_is_a_retry(kind, setups, http, ctx):
    fake, build, post = setups[kind]
    fake.fail_next("malformed")
    with pytest.raises(Retry, match="not JSON"):
        build(http).publish(post, ctx)


@pytest.mark.parametrize("kind", KINDS)
def test_timeout_reaches_the_worker_as_an_httpx_timeout(kind, setups, ctx):
    fake, build, post = setups[kind]
    fake.fail_next("timeout", seconds=1.0)
    with httpx.Client(timeout=httpx.Timeout(0.3)) as impatient, pytest.raises(httpx.TimeoutException):
        build(impatient).publish(post, ctx)


@pytest.mark.parametrize(
    ("kind", "description"),
    [
        ("telegram", "chat not found"),
        ("bale", "chat not found"),
        ("eitaa", "chat not found"),
        ("instagram", "Invalid parameter"),
        ("aparat", "Bad Request"),
        ("x", "One or more parameters to your request was invalid."),
        ("portal_webhook", "Bad Request"),
    ],
)
def test_bad_request_is_permanent_with_the_channels_description(kind, description, setups, http, ctx):
    fake, build, post = setups[kind]
    fake.fail_next("400")
    with pytest.raises(Permanent) as raised:
        build(http).publish(post, ctx)
    assert description in raised.value.reason
    assert raised.value.http_status == 400


@pytest.mark.parametrize("kind", KINDS)
def test_forbidden_is_permanent(kind, setups, http, ctx):
    fake, build, post = setups[kind]
    fake.fail_next("403")
    with pytest.raises(Permanent) as raised:
        build(http).publish(post, ctx)
    assert raised.value.http_status == 403


@pytest.mark.parametrize("kind", KINDS)
def test_preview_shows_the_post_as_the_channel_would(kind, setups, http):
    _, build, post = setups[kind]
    shown = build(http).preview(post)
    assert set(shown) == {"text", "length", "limit", "unit", "media", "direction"}
    assert shown["direction"] == "rtl"
    assert shown["length"] <= shown["limit"]
    assert "<" not in shown["text"] or kind == "portal_webhook"
    assert shown["text"].startswith(RLM) or kind == "portal_webhook"


def test_hold_records_the_post_before_answering(telegram, make_post):
    """The lead's crash test stops the worker while the channel holds its answer: the post exists. The
    hold leaves a busy machine room to see it, and the client waits longer than the hold."""
    telegram.hold_next(2.0)
    with httpx.Client(timeout=10.0) as patient:
        adapter_ = adapter("telegram", telegram.url, patient, "@revayat_fa", token=telegram.token)
        worker = threading.Thread(target=adapter_.publish, args=(make_post(), Context()))
        started = time.monotonic()
        worker.start()
        while not telegram.posts and time.monotonic() - started < 2:
            time.sleep(0.02)
        assert len(telegram.posts) == 1 and worker.is_alive()
        worker.join()
    assert time.monotonic() - started >= 2.0


# --- Telegram ---------------------------------------------------------------------------------------


@pytest.fixture
def tg(telegram, http):
    return adapter("telegram", telegram.url, http, "@revayat_fa", token=telegram.token)


def test_telegram_photo_is_uploaded_with_its_caption_byte_exact(tg, telegram, files, make_post, ctx):
    post = make_post(image=files.image())
    delivered = tg.publish(post, ctx)
    sent = telegram.posts[0]
    assert sent["method"] == "sendPhoto" and sent["parse_mode"] == "HTML"
    assert sent["file"] == files.jpeg and sent["filename"] == "social-crop.jpg"
    assert sent["content_type"] == "image/jpeg"
    assert sent["raw"] == text.compose(post, 1024, markup="html")
    assert sent["visible"] == tg.preview(post)["text"]
    assert sent["caption"].startswith(RLM + post.title + "\n\n" + RLM + "سامانهٔ «روایت»")
    assert ZWNJ in sent["visible"] and "🎙️🇮🇷" in sent["visible"] and "#بیمه_شدگان" in sent["visible"]
    assert sent["visible"].endswith(post.url)
    assert delivered.remote_id == "-1001234567890:1001"
    assert delivered.remote_url == "https://t.me/revayat_fa/1001"


@pytest.mark.parametrize(("media", "method"), [("video", "sendVideo"), ("audio", "sendAudio")])
def test_telegram_video_and_audio(media, method, tg, telegram, files, make_post, ctx):
    post = make_post(**{media: getattr(files, media)()}, image=files.image())  # the file wins over the image
    tg.publish(post, ctx)
    sent = telegram.posts[0]
    assert sent["method"] == method
    assert sent["file"] == getattr(files, {"video": "mp4", "audio": "mp3"}[media])
    assert tg.preview(post)["media"] == media


def test_telegram_message_without_media_escapes_html(tg, telegram, make_post, ctx):
    post = make_post(text="درآمد < هزینه & <b>سود</b> > صفر", hashtags=[], text_override=True)
    tg.publish(post, ctx)
    sent = telegram.posts[0]
    assert sent["method"] == "sendMessage"
    assert "&lt;b&gt;" in sent["raw"] and "&amp;" in sent["raw"]
    assert sent["visible"] == f"{RLM}درآمد < هزینه & <b>سود</b> > صفر\n\n{post.url}"


def test_telegram_caption_over_the_limit_is_cut_and_keeps_the_link(tg, telegram, files, make_post, ctx):
    post = make_post(text="گزارش‌های تحول 📊 " * 200, image=files.image())
    tg.publish(post, ctx)
    visible = telegram.posts[0]["visible"]
    assert text.utf16_length(visible) <= 1024
    assert "…" in visible and visible.endswith("\n\n" + post.url)


def test_telegram_long_message_uses_the_4096_limit(tg, telegram, make_post, ctx):
    post = make_post(text="گزارش‌های تحول 📊 " * 600)
    tg.publish(post, ctx)
    assert 4000 < text.utf16_length(telegram.posts[0]["visible"]) <= 4096


def test_telegram_update_edits_the_caption_then_is_idempotent(tg, telegram, files, make_post, ctx):
    delivered = tg.publish(make_post(image=files.image()), ctx)
    edited = make_post(text="متن ویرایش‌شده", image=files.image(), event="update")
    tg.update(edited, remote(delivered), ctx)
    sent = telegram.posts[0]
    assert "متن ویرایش‌شده" in sent["caption"] and len(sent["edits"]) == 1
    tg.update(edited, remote(delivered), ctx)  # "message is not modified" means done
    assert len(sent["edits"]) == 1 and len(telegram.posts) == 1


def test_telegram_update_of_a_text_message_after_an_image_was_added(tg, telegram, files, make_post, ctx):
    delivered = tg.publish(make_post(), ctx)
    tg.update(make_post(text="متن تازه", image=files.image(), event="update"), remote(delivered), ctx)
    assert "متن تازه" in telegram.posts[0]["text"]


def test_telegram_delete_and_delete_again(tg, telegram, make_post, ctx):
    delivered = tg.publish(make_post(), ctx)
    tg.delete(make_post(event="delete"), remote(delivered), ctx)
    assert telegram.posts[0]["deleted"]
    again = tg.delete(make_post(event="delete"), remote(delivered), ctx)
    assert again.detail == "already deleted"


def test_telegram_wrong_token_and_unknown_chat_are_permanent(telegram, http, make_post, ctx):
    with pytest.raises(Permanent, match="Unauthorized"):
        adapter("telegram", telegram.url, http, "@revayat_fa", token="0:wrong").publish(make_post(), ctx)
    with pytest.raises(Permanent, match="chat not found"):
        adapter("telegram", telegram.url, http, "@nobody", token=telegram.token).publish(make_post(), ctx)


def test_telegram_rate_limit_wait_comes_from_the_answers_parameters(tg, telegram, make_post, ctx):
    telegram.fail_next("429", retry_after=12)  # Telegram sends no Retry-After header, only parameters
    with pytest.raises(Retry) as raised:
        tg.publish(make_post(), ctx)
    assert raised.value.retry_after == 12


# --- Bale -------------------------------------------------------------------------------------------


def test_bale_sends_plain_text_to_its_own_base_url(bale, http, files, make_post, ctx):
    bale_adapter = adapter("bale", bale.url, http, "@revayat_bale", token=bale.token)
    post = make_post(text="سود & زیان <بدون تگ>", image=files.image())
    delivered = bale_adapter.publish(post, ctx)
    sent = bale.posts[0]
    assert bale.requests[-1] == ("POST", "/botbale-token/sendPhoto")
    assert sent["parse_mode"] is None and sent["raw"] == sent["visible"] == bale_adapter.preview(post)["text"]
    assert "سود & زیان <بدون تگ>" in sent["visible"]
    assert delivered.remote_id == "5550001:1001" and delivered.remote_url == ""
    bale_adapter.update(make_post(text="ویرایش", image=files.image()), remote(delivered), ctx)
    bale_adapter.delete(post, remote(delivered), ctx)
    assert sent["edits"] and sent["deleted"]


def test_bale_default_base_url():
    assert adapter_class("bale").default_base_url == "https://tapi.bale.ai"


# --- Eitaa ------------------------------------------------------------------------------------------


def test_eitaa_file_with_caption_and_plain_message(eitaa, http, files, make_post, ctx):
    eitaa_adapter = adapter("eitaa", eitaa.url, http, "@revayat_fa", token=eitaa.token)
    post = make_post(audio=files.audio())
    delivered = eitaa_adapter.publish(post, ctx)
    sent = eitaa.posts[0]
    assert eitaa.requests[-1] == ("POST", f"/api/{eitaa.token}/sendFile")
    assert sent["file"] == files.mp3 and sent["content_type"] == "audio/mpeg"
    assert sent["text"] == eitaa_adapter.preview(post)["text"] and ZWNJ in sent["text"]
    assert delivered.remote_url == f"https://eitaa.com/revayat_fa/{sent['message_id']}"
    eitaa_adapter.publish(make_post(idempotency_key="2"), ctx)
    assert eitaa.posts[1]["method"] == "sendMessage"


def test_eitaa_cannot_edit_or_delete(eitaa, http, make_post, ctx):
    eitaa_adapter = adapter("eitaa", eitaa.url, http, "revayat_fa", token=eitaa.token)
    delivered = eitaa_adapter.publish(make_post(), ctx)
    with pytest.raises(Unsupported):
        eitaa_adapter.update(make_post(), remote(delivered), ctx)
    with pytest.raises(Unsupported):
        eitaa_adapter.delete(make_post(), remote(delivered), ctx)
    assert len(eitaa.requests) == 1


# --- Instagram --------------------------------------------------------------------------------------


@pytest.fixture
def ig(instagram, http):
    ig_adapter = adapter("instagram", instagram.url, http, instagram.account_id, token=instagram.token)
    ig_adapter.poll_interval = 0.01
    return ig_adapter


def test_instagram_image_container_then_publish(ig, instagram, media_host, files, make_post, ctx):
    post = make_post(
        image=files.image(media_host.add("crop.jpg", files.jpeg, "image/jpeg")),
        hashtags=[f"برچسب {i}" for i in range(40)],
    )
    delivered = ig.publish(post, ctx)
    published = instagram.posts[0]
    assert published["content"] == files.jpeg  # Meta downloaded the public JPEG
    assert published["caption"] == ig.preview(post)["text"]
    assert published["caption"].count("#") == 30 and post.url in published["caption"]
    assert ctx.saved[0] == {"container_id": published["container_id"]}  # saved before publishing
    assert ctx.posted == 1
    assert delivered.remote_id == published["media_id"]
    assert delivered.remote_url == published["permalink"]
    paths = [path for _, path in instagram.requests]
    assert paths.index(f"/v25.0/{instagram.account_id}/content_publishing_limit") < paths.index(
        f"/v25.0/{instagram.account_id}/media_publish"
    )


def test_instagram_video_is_a_reel_published_when_processing_finishes(
    fake_servers, http, media_host, files, make_post, ctx
):
    instagram = fake_servers(fakes.InstagramFake(video_polls=3))
    ig = adapter("instagram", instagram.url, http, instagram.account_id, token=instagram.token)
    ig.poll_interval = 0.01
    post = make_post(video=files.video(media_host.add("film.mp4", files.mp4, "video/mp4")))
    ig.publish(post, ctx)
    assert instagram.posts[0]["kind"] == "video" and instagram.posts[0]["content"] == files.mp4
    assert [path for _, path in instagram.requests].count(f"/v25.0/{instagram.posts[0]['container_id']}") == 3
    assert ig.preview(post)["media"] == "video"


def test_instagram_needs_a_public_jpeg(ig, instagram, files, make_post, ctx, tmp_path):
    with pytest.raises(Permanent, match="به تصویر نیاز دارد"):  # "needs an image"
        ig.publish(make_post(), ctx)
    png = files.image()
    png.content_type = "image/png"
    with pytest.raises(Permanent, match="JPEG"):
        ig.publish(make_post(image=png), ctx)
    with pytest.raises(Permanent, match="Only photo or video"):  # a URL Meta cannot download
        ig.publish(make_post(image=files.image("http://127.0.0.1:9/missing.jpg")), ctx)
    assert instagram.posts == []


def test_instagram_reconcile_and_resume(ig, instagram, media_host, files, make_post):
    post = make_post(image=files.image(media_host.add("crop.jpg", files.jpeg, "image/jpeg")))
    assert ig.reconcile(post, Context()) is None  # nothing created: publishing is safe
    instagram.fail_next("500", on="media_publish")
    interrupted = Context()
    with pytest.raises(Retry):
        ig.publish(post, interrupted)
    assert ig.reconcile(post, Context(interrupted.state)) is None  # container FINISHED, not published
    resumed = Context(interrupted.state)
    delivered = ig.publish(post, resumed)
    assert len(instagram.containers) == 1 and len(instagram.posts) == 1  # the container was reused
    found = ig.reconcile(post, Context(resumed.state))
    assert found.remote_id == delivered.remote_id and found.remote_url == delivered.remote_url
    again = ig.publish(post, Context(resumed.state))  # a container already published is never republished
    assert again.remote_id == delivered.remote_id and len(instagram.posts) == 1


def test_instagram_quota_used_up_waits(fake_servers, http, media_host, files, make_post, ctx):
    instagram = fake_servers(fakes.InstagramFake(quota_total=0))
    ig_adapter = adapter("instagram", instagram.url, http, instagram.account_id, token=instagram.token)
    with pytest.raises(Retry, match="سهمیهٔ انتشار") as raised:  # "publishing quota"
        ig_adapter.publish(
            make_post(image=files.image(media_host.add("c.jpg", files.jpeg, "image/jpeg"))), ctx
        )
    assert raised.value.retry_after == 3600 and instagram.posts == []


def test_instagram_delete_and_no_edit(ig, instagram, media_host, files, make_post, ctx):
    image = files.image(media_host.add("c.jpg", files.jpeg, "image/jpeg"))
    delivered = ig.publish(make_post(image=image), ctx)
    with pytest.raises(Unsupported):
        ig.update(make_post(), remote(delivered), ctx)
    ig.delete(make_post(), remote(delivered), ctx)
    assert instagram.posts[0]["deleted"]
    with pytest.raises(Permanent, match="Unsupported delete request"):
        ig.delete(make_post(), remote(delivered), ctx)


def test_instagram_wrong_token_is_permanent(instagram, http, media_host, files, make_post, ctx):
    bad = adapter("instagram", instagram.url, http, instagram.account_id, token="expired")
    with pytest.raises(Permanent, match="access token"):
        bad.publish(make_post(image=files.image(media_host.add("c.jpg", files.jpeg, "image/jpeg"))), ctx)


# --- Aparat -----------------------------------------------------------------------------------------


def test_aparat_uploads_the_video_with_title_description_and_tags(aparat, http, files, make_post, ctx):
    aparat_adapter = adapter("aparat", aparat.url, http, "revayat", password="secret-pass", category="7")
    post = make_post(video=files.video(), hashtags=["برنامه تحول", "SSO"])
    delivered = aparat_adapter.publish(post, ctx)
    uploaded = aparat.posts[0]
    assert uploaded["file"] == files.mp4 and uploaded["content_type"] == "video/mp4"
    assert uploaded["title"] == post.title and uploaded["category"] == "7"
    assert uploaded["tags"] == "برنامه_تحول-SSO"
    assert uploaded["descr"] == aparat_adapter.preview(post)["text"] and uploaded["descr"].endswith(post.url)
    assert delivered.remote_url == f"https://www.aparat.com/v/{uploaded['uid']}"
    login_path = aparat.requests[0][1]
    assert login_path.startswith("/etc/api/login/luser/revayat/lpass/") and "secret-pass" not in login_path


def test_aparat_skips_pages_without_video_and_refuses_a_wrong_password(aparat, http, make_post, ctx):
    with pytest.raises(Unsupported, match="فقط ویدئو"):  # "only videos"
        adapter("aparat", aparat.url, http, "revayat", password="secret-pass").publish(make_post(), ctx)
    assert aparat.requests == []


def test_aparat_wrong_password(aparat, http, files, make_post, ctx):
    with pytest.raises(Permanent, match="ورود"):  # "login"
        wrong = adapter("aparat", aparat.url, http, "revayat", password="nope")
        wrong.publish(make_post(video=files.video()), ctx)
    assert aparat.posts == []


# --- X ----------------------------------------------------------------------------------------------


@pytest.fixture
def xa(x_api, http):
    return adapter("x", x_api.url, http, "", token=x_api.token)


def test_x_image_upload_then_post(xa, x_api, files, make_post, ctx):
    post = make_post(image=files.image(), text="گزارش‌های تحول 📊 " * 40)
    delivered = xa.publish(post, ctx)
    sent = x_api.posts[0]
    assert sent["media"] == [files.jpeg]
    assert sent["text"] == xa.preview(post)["text"] and text.x_weighted_length(sent["text"]) <= 280
    assert "…" in sent["text"] and sent["text"].endswith(post.url)
    assert delivered.remote_url == f"https://x.com/i/web/status/{sent['id']}"
    assert ctx.state["media_id"] == sent["media_ids"][0]


def test_x_video_chunked_upload(xa, x_api, files, make_post, ctx, monkeypatch):
    monkeypatch.setattr(x_module, "CHUNK_SIZE", 4000)
    xa.publish(make_post(video=files.video()), ctx)
    upload = x_api.uploads[x_api.posts[0]["media_ids"][0]]
    assert upload["content"] == files.mp4 and len(upload["segments"]) == 3
    assert x_api.posts[0]["media"] == [files.mp4]


def test_x_retry_reuses_the_uploaded_media(xa, x_api, files, make_post):
    post = make_post(image=files.image())
    first = Context()
    x_api.fail_next("500", on="/2/tweets")
    with pytest.raises(Retry):
        xa.publish(post, first)
    xa.publish(post, Context(first.state))
    assert [path for _, path in x_api.requests].count("/2/media/upload") == 1 and len(x_api.posts) == 1


def test_x_audio_posts_text_only_and_duplicate_is_permanent(xa, x_api, files, make_post, ctx):
    xa.publish(make_post(audio=files.audio()), ctx)
    assert x_api.posts[0]["media_ids"] == []
    with pytest.raises(Permanent, match="duplicate content"):
        xa.publish(make_post(audio=files.audio()), Context())


def test_x_delete_and_no_edit(xa, x_api, make_post, ctx):
    delivered = xa.publish(make_post(), ctx)
    with pytest.raises(Unsupported):
        xa.update(make_post(), remote(delivered), ctx)
    xa.delete(make_post(), remote(delivered), ctx)
    assert x_api.posts[0]["deleted"]
    assert xa.delete(make_post(), remote(delivered), ctx).detail == "already deleted"


def test_x_reconcile_finds_a_post_that_went_out_before_the_worker_died(xa, x_api, make_post):
    post = make_post(text="سود & زیان <بیمه‌شدگان> در ۱۴۰۴")
    assert x_api.posts == []
    with pytest.raises(Uncertain, match="در میان ۱۰ پست آخر"):  # "not among the account's 10 latest"
        xa.reconcile(post, Context())  # nothing found: a person checks, nothing is posted again
    x_api.hold_next(1.0)
    with httpx.Client(timeout=0.3) as impatient, pytest.raises(httpx.TimeoutException):
        adapter("x", x_api.url, impatient, "", token=x_api.token).publish(post, Context())
    found = xa.reconcile(post, Context())  # X stored it with a t.co link and "&amp;": still recognised
    assert found.remote_id == x_api.posts[0]["id"] and len(x_api.posts) == 1


def test_x_wrong_token_is_permanent(x_api, http, make_post, ctx):
    with pytest.raises(Permanent, match="Unauthorized"):
        adapter("x", x_api.url, http, "", token="nope").publish(make_post(), ctx)


# --- the portal webhook -----------------------------------------------------------------------------


@pytest.fixture
def hook(portal, http):
    return adapter("portal_webhook", "", http, portal.url, secret=portal.secret)


def test_portal_receives_signed_events_for_every_change(hook, portal, make_post, ctx):
    payload = {"id": 42, "title": "گزارش بیمه‌شدگان", "meta": {"locale": "fa"}}
    post = make_post(api_payload=payload)
    delivered = hook.publish(post, ctx)
    event = portal.posts[0]
    assert event["id"] == post.idempotency_key and event["event"] == "publish"
    assert event["page"] == {
        "id": 42,
        "language": "fa",
        "title": post.title,
        "url": post.url,
        "api_url": post.api_url,
    }
    assert event["payload"] == payload
    assert "بیمه‌شدگان".encode() in event["raw"]  # UTF-8 as is, ZWNJ included
    assert delivered.remote_id == "page:42"
    hook.update(make_post(event="update", idempotency_key="k-update"), remote(delivered), ctx)
    hook.delete(make_post(event="unpublish", idempotency_key="k-unpublish", url=""), remote(delivered), ctx)
    hook.delete(make_post(event="delete", idempotency_key="k-delete", url=""), remote(delivered), ctx)
    assert [e["event"] for e in portal.posts] == ["publish", "update", "unpublish", "delete"]


def test_portal_redelivery_is_idempotent(hook, portal, make_post, ctx):
    hook.publish(make_post(), ctx)
    hook.publish(make_post(), ctx)
    assert len(portal.posts) == 1 and portal.duplicates == ["outbox-1:publish"]
    assert hook.reconcile(make_post(), ctx) is None  # idempotent: sending again is always safe


def test_portal_rejects_a_wrong_secret(portal, http, make_post, ctx):
    with pytest.raises(Permanent, match="signature"):
        adapter("portal_webhook", "", http, portal.url, secret="not-the-secret").publish(make_post(), ctx)
    assert portal.posts == [] and len(portal.rejected) == 1
    portal.errors.clear()  # the rejection above was the point of this test


def test_portal_takes_any_2xx_as_the_acknowledgement(portal, hook, make_post, ctx):
    portal.fail_next("malformed")  # a 200 whose body is not JSON: the receiver still took the event
    assert hook.publish(make_post(), ctx).http_status == 200


def test_a_redirect_is_a_configuration_error(fake_servers, http, make_post, ctx):
    moved = fake_servers(fakes.MediaHost())
    moved.server.clear()
    moved.server.expect_request("/hook").respond_with_data(
        "", status=301, headers={"Location": "https://portal.example/new"}
    )
    with pytest.raises(Permanent, match=r"redirected the request \(301\) to https://portal\.example/new"):
        adapter("portal_webhook", "", http, moved.root + "/hook", secret="s").publish(make_post(), ctx)


def test_telegram_refuses_files_over_the_bot_api_limit_before_uploading(tg, http, files, make_post, ctx):
    video = files.video()
    video.size = 51 * 1024 * 1024
    public_api = adapter("telegram", "", http, "@revayat_fa", token="1:x")  # api.telegram.org: never called
    with pytest.raises(Permanent, match="حداکثر 50 مگابایت"):  # "at most 50 MB"
        public_api.publish(make_post(video=video), ctx)
    tg.publish(make_post(video=video), ctx)  # a self-hosted Bot API server (own address) takes 2000 MB


def test_portal_target_must_be_a_url(http, make_post, ctx):
    with pytest.raises(Permanent, match="نشانی اینترنتی نیست"):  # "not a URL"
        adapter("portal_webhook", "", http, "@portal", secret="s").publish(make_post(), ctx)
