"""X (Twitter) API v2 (docs.x.com): upload the media, then POST /2/tweets.

Images: POST /2/media/upload, multipart `media` (raw bytes) with media_category=tweet_image → data.id.
Videos: the chunked upload — POST /2/media/upload/initialize (JSON media_type, total_bytes,
media_category=tweet_video), POST /2/media/upload/{id}/append (multipart media + segment_index, ≤4 MB
each), POST /2/media/upload/{id}/finalize, then GET /2/media/upload?command=STATUS&media_id=… while
processing_info.state is pending/in_progress. The media id is kept in the entry's state so a retry
reuses it. The post: POST /2/tweets {"text", "media": {"media_ids": [...]}} → data.id; deleting is
DELETE /2/tweets/{id}; posts cannot be edited through the API. After a worker died while posting,
`reconcile()` looks for the text among the account's latest posts (GET /2/users/me, then
GET /2/users/{id}/tweets). Auth: an OAuth 2.0 user-context token
(Authorization: Bearer). 429 answers carry Retry-After or x-rate-limit-reset (epoch seconds).
Text: 280 weighted characters (URLs 23, emoji and CJK 2; see text.x_weighted_length).
"""

import html
import time

from django.utils.translation import gettext

from cms.distribution import text
from cms.distribution.channels.base import ChannelAdapter, Delivered, Permanent, Retry, Uncertain, register
from cms.distribution.channels.http import read_json

CHUNK_SIZE = 4 * 1024 * 1024


def comparable(post_text):
    """A post's text as X gives it back (links as t.co, "&" as "&amp;") reduced to compare with ours."""
    return " ".join(text.URL.sub("<link>", html.unescape(post_text)).split())


def _description(body):
    if not isinstance(body, dict):
        return None
    errors = body.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        first = errors[0]
        return first.get("detail") or first.get("message")
    return body.get("detail") or body.get("title")


@register
class XAdapter(ChannelAdapter):
    kind = "x"
    default_base_url = "https://api.x.com"
    required_credentials = ("token",)
    text_limit = caption_limit = 280
    poll_attempts = 20

    def call(self, method, path, **kwargs):
        headers = {"Authorization": f"Bearer {self.credentials['token']}"}
        response = self.client.request(method, f"{self.base_url}{path}", headers=headers, **kwargs)
        try:
            return read_json(response, "X", _description) or {}
        except Retry as error:
            if error.retry_after is None and response.status_code == 429:
                reset = response.headers.get("x-rate-limit-reset")
                if reset and reset.isdigit():
                    error.retry_after = max(0.0, int(reset) - time.time())
            raise

    def post_text(self, post):
        return text.compose_plain(post, self.text_limit, "weighted")

    def upload_image(self, image):
        with image.open() as handle:
            answer = self.call(
                "POST",
                "/2/media/upload",
                data={"media_category": "tweet_image"},
                files={"media": (image.filename, handle, image.content_type)},
            )
        return (answer.get("data") or {}).get("id")

    def upload_video(self, video):
        with video.open() as handle:
            total = handle.seek(0, 2)
            handle.seek(0)
            answer = self.call(
                "POST",
                "/2/media/upload/initialize",
                json={
                    "media_type": video.content_type,
                    "total_bytes": total,
                    "media_category": "tweet_video",
                },
            )
            media_id = (answer.get("data") or {}).get("id")
            if not media_id:
                raise Retry(gettext("X returned no media id for the upload"))
            for index, chunk in enumerate(iter(lambda: handle.read(CHUNK_SIZE), b"")):
                self.call(
                    "POST",
                    f"/2/media/upload/{media_id}/append",
                    data={"segment_index": str(index)},
                    files={"media": (video.filename, chunk, "application/octet-stream")},
                )
        info = (self.call("POST", f"/2/media/upload/{media_id}/finalize").get("data") or {}).get(
            "processing_info"
        )
        for _ in range(self.poll_attempts):
            state = (info or {}).get("state", "succeeded")
            if state == "succeeded":
                return media_id
            if state == "failed":
                error = (info.get("error") or {}).get("message", "")
                raise Permanent(
                    (gettext("X could not process the video: %(error)s") % {"error": error}).strip()
                )
            time.sleep(min(float(info.get("check_after_secs") or 1), 30))
            info = (
                self.call("GET", "/2/media/upload", params={"command": "STATUS", "media_id": media_id}).get(
                    "data"
                )
                or {}
            ).get("processing_info")
        raise Retry(gettext("X is still processing the video"), retry_after=60)

    def media_id(self, post, ctx):
        if ctx.state.get("media_id"):
            return ctx.state["media_id"]
        if post.video is not None:
            media_id = self.upload_video(post.video)
        elif post.image is not None:
            media_id = self.upload_image(post.image)
        else:
            return None
        if not media_id:
            raise Retry(gettext("X returned no media id for the upload"))
        ctx.state["media_id"] = media_id
        ctx.save_state()
        return media_id

    def publish(self, post, ctx):
        payload = {"text": self.post_text(post)}
        media_id = self.media_id(post, ctx)
        if media_id:
            payload["media"] = {"media_ids": [media_id]}
        with ctx.posting():
            answer = self.call("POST", "/2/tweets", json=payload)
        post_id = (answer.get("data") or {}).get("id")
        if not post_id:
            raise Retry(gettext("X accepted the post but returned no id"))
        return Delivered(remote_id=post_id, remote_url=f"https://x.com/i/web/status/{post_id}")

    def reconcile(self, post, ctx):
        me = (self.call("GET", "/2/users/me").get("data") or {}).get("id")
        if not me:
            raise Retry(gettext("X did not say which account the token belongs to"))
        latest = (
            self.call(
                "GET", f"/2/users/{me}/tweets", params={"max_results": 10, "exclude": "replies,retweets"}
            ).get("data")
            or []
        )
        wanted = comparable(self.post_text(post))
        for found in latest:
            if comparable(found.get("text", "")) == wanted:
                return Delivered(
                    remote_id=found["id"],
                    remote_url=f"https://x.com/i/web/status/{found['id']}",
                    detail="found among the account's latest posts",
                )
        raise Uncertain(
            gettext(
                "The worker stopped while X was answering and the post is not among the account's "
                "10 latest; check the account, then mark the entry sent or retry it"
            )
        )

    def delete(self, post, remote, ctx):
        try:
            answer = self.call("DELETE", f"/2/tweets/{remote.remote_id}")
        except Permanent as error:
            if error.http_status != 404:
                raise
            return Delivered(remote_id=remote.remote_id, detail="already deleted")
        if not (answer.get("data") or {}).get("deleted"):
            raise Permanent(gettext("X did not delete post %(id)s") % {"id": remote.remote_id})
        return Delivered(remote_id=remote.remote_id)

    def preview(self, post):
        media = "video" if post.video is not None else "photo" if post.image is not None else None
        return text.preview(self.post_text(post), "weighted", self.text_limit, media, post.language)
