"""Eitaa (ایتا) through the Eitaayar API: https://eitaayar.ir/api/<token>/<method>.

Eitaayar documents getMe, sendMessage (chat_id, text, title, disable_notification, reply_to_message_id,
date, pin, viewCountForDelete) and sendFile (the same plus a multipart `file` and its `caption`). It has
no method to edit or delete a post, so updates and deletions are skipped with that reason. Text is plain
(Eitaa shows no HTML). Answers follow the Bot API shape: {"ok": true, "result": {"message_id", "chat":
{"id", "type", "username"}, "date", …}} or {"ok": false, "error_code", "description"}. A public
channel's post is at https://eitaa.com/<username>/<message_id>.
"""

from django.utils.translation import gettext

from cms.distribution import text
from cms.distribution.channels.base import ChannelAdapter, Delivered, Permanent, Retry, register
from cms.distribution.channels.http import read_json

MEDIA = (("video", "video"), ("audio", "audio"), ("image", "photo"))


def _description(body):
    return body.get("description") if isinstance(body, dict) else None


@register
class EitaaAdapter(ChannelAdapter):
    kind = "eitaa"
    default_base_url = "https://eitaayar.ir"
    required_credentials = ("token",)
    text_limit = 4096
    caption_limit = 1024

    def method_url(self, method):
        return f"{self.base_url}/api/{self.credentials['token']}/{method}"

    def media(self, post):
        for attribute, kind in MEDIA:
            if getattr(post, attribute) is not None:
                return attribute, kind
        return None, None

    def plain_text(self, post):
        limit = self.caption_limit if self.media(post)[0] else self.text_limit
        return text.compose_plain(post, limit, "utf16")

    def publish(self, post, ctx):
        attribute = self.media(post)[0]
        chat_id = self.channel.target.lstrip("@")
        if attribute is None:
            with ctx.posting():
                response = self.client.post(
                    self.method_url("sendMessage"), data={"chat_id": chat_id, "text": self.plain_text(post)}
                )
        else:
            file = getattr(post, attribute)
            with file.open() as handle, ctx.posting():
                response = self.client.post(
                    self.method_url("sendFile"),
                    data={"chat_id": chat_id, "caption": self.plain_text(post)},
                    files={"file": (file.filename, handle, file.content_type)},
                )
        body = read_json(response, "Eitaa", _description)
        if not isinstance(body, dict) or not body.get("ok"):
            code = body.get("error_code") if isinstance(body, dict) else None
            reason = f"Eitaa: {_description(body) or 'request failed'}"
            if code == 429 or (code or 0) >= 500:
                raise Retry(reason, response.status_code)
            raise Permanent(reason, response.status_code)
        result = body.get("result") or {}
        message_id = result.get("message_id")
        if message_id is None:
            raise Retry(gettext("Eitaa accepted the post but returned no message id"), response.status_code)
        username = (result.get("chat") or {}).get("username") or (
            "" if chat_id.lstrip("-").isdigit() else chat_id
        )
        remote_url = f"https://eitaa.com/{username}/{message_id}" if username else ""
        return Delivered(
            remote_id=f"{chat_id}:{message_id}", remote_url=remote_url, http_status=response.status_code
        )

    def preview(self, post):
        return text.preview(
            self.plain_text(post),
            "utf16",
            self.caption_limit if self.media(post)[0] else self.text_limit,
            self.media(post)[1],
            post.language,
        )
