"""Aparat (آپارات) video upload through its public API (https://www.aparat.com/etc/api).

1. GET /etc/api/login/luser/<user>/lpass/<sha1(md5(password)) hex> → {"login": {"ltoken", …}};
2. GET /etc/api/uploadform/luser/<user>/ltoken/<ltoken> → {"uploadform": {"frm-id", "formAction"}};
3. POST the form to formAction as multipart/form-data: `video` (the MP4), frm-id, data[title],
   data[category], data[tags], data[descr] → {"uploadpost": {"uid", …}}; the video lives at
   https://www.aparat.com/v/<uid>.
Only pages with a video go to Aparat (others are skipped). The API offers no edit or delete of a video.
The target is the Aparat username; credentials hold "password" and, optionally, "category" (id).
"""

import hashlib

from django.utils.translation import gettext

from cms.distribution import text
from cms.distribution.channels.base import ChannelAdapter, Delivered, Permanent, Retry, Unsupported, register
from cms.distribution.channels.http import read_json


def password_hash(password):
    return hashlib.sha1(hashlib.md5(password.encode("utf-8")).hexdigest().encode("ascii")).hexdigest()


def _description(body):
    if isinstance(body, dict):
        for value in body.values():
            if isinstance(value, dict) and (value.get("value") or value.get("msg")):
                return value.get("value") or value.get("msg")
    return None


@register
class AparatAdapter(ChannelAdapter):
    kind = "aparat"
    default_base_url = "https://www.aparat.com"
    required_credentials = ("password",)
    text_limit = caption_limit = 1000
    title_limit = 100
    default_category = "10"

    def get(self, path):
        return read_json(self.client.get(f"{self.base_url}/etc/api/{path}"), "Aparat", _description)

    def description(self, post):
        return text.compose_plain(post, self.text_limit, "chars", with_link=True)

    def tags(self, post):
        return "-".join(tag.lstrip("#") for tag in text.hashtags(post.hashtags, 10))

    def publish(self, post, ctx):
        if post.video is None:
            raise Unsupported(gettext("Aparat takes only videos; this page has no public video"))
        user = self.channel.target.lstrip("@")
        login = (
            self.get(f"login/luser/{user}/lpass/{password_hash(self.credentials['password'])}").get("login")
            or {}
        )
        if not login.get("ltoken"):
            raise Permanent(
                gettext("Aparat refused the login for %(user)s: %(detail)s")
                % {"user": user, "detail": login.get("value") or login.get("type")}
            )
        form = self.get(f"uploadform/luser/{user}/ltoken/{login['ltoken']}").get("uploadform") or {}
        if not form.get("frm-id") or not form.get("formAction"):
            raise Retry(gettext("Aparat returned no upload form"))
        video = post.video
        data = {
            "frm-id": str(form["frm-id"]),
            "data[title]": text.truncate(text.clean(post.title), self.title_limit, "chars"),
            "data[category]": str(self.credentials.get("category") or self.default_category),
            "data[tags]": self.tags(post),
            "data[descr]": self.description(post),
        }
        with video.open() as handle, ctx.posting():  # streamed: a film does not need to fit in memory
            response = self.client.post(
                form["formAction"], data=data, files={"video": (video.filename, handle, video.content_type)}
            )
        uploaded = read_json(response, "Aparat", _description).get("uploadpost") or {}
        if not uploaded.get("uid"):
            raise Permanent(
                gettext("Aparat did not accept the video: %(detail)s")
                % {"detail": uploaded.get("value") or uploaded}
            )
        return Delivered(
            remote_id=uploaded["uid"],
            remote_url=f"https://www.aparat.com/v/{uploaded['uid']}",
            http_status=response.status_code,
        )

    def preview(self, post):
        return text.preview(
            self.description(post),
            "chars",
            self.text_limit,
            "video" if post.video is not None else None,
            post.language,
        )
