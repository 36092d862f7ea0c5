"""Telegram Bot API (https://core.telegram.org/bots/api) and Bale, its Iranian twin (https://docs.bale.ai).

Requests go to <base>/bot<token>/<method>. A post with a video, an audio file or a photo is uploaded as
multipart/form-data with the file's bytes (sendVideo, sendAudio, sendPhoto; caption 0–1024 characters
after entity parsing); a post without media is a sendMessage (1–4096). Captions use parse_mode=HTML, so
only <, > and & are escaped and the limit counts the visible text in UTF-16 code units. The remote id is
"<chat_id>:<message_id>"; updates call editMessageCaption / editMessageText, deletes deleteMessage. When
the answer to a post never came, `reconcile` looks for it in getUpdates' channel posts before any resend.
Every answer is {"ok": bool, "result" | "description", "error_code", "parameters": {"retry_after"}}.
"""

from django.utils.translation import gettext

from cms.distribution import text
from cms.distribution.channels.base import (
    ChannelAdapter,
    Delivered,
    Permanent,
    Retry,
    Uncertain,
    register,
)
from cms.distribution.channels.http import read_json

MEDIA_METHODS = (("video", "sendVideo"), ("audio", "sendAudio"), ("image", "sendPhoto"))
FILE_FIELD = {"sendVideo": "video", "sendAudio": "audio", "sendPhoto": "photo"}
MEDIA_KIND = {"video": "video", "audio": "audio", "image": "photo"}


def _description(body):
    return body.get("description") if isinstance(body, dict) else None


def _retry_after(body):
    parameters = body.get("parameters") if isinstance(body, dict) else None
    return parameters.get("retry_after") if isinstance(parameters, dict) else None


@register
class TelegramAdapter(ChannelAdapter):
    kind = "telegram"
    service = "Telegram"
    default_base_url = "https://api.telegram.org"
    required_credentials = ("token",)
    text_limit = 4096
    caption_limit = 1024
    markup = "html"  # parse_mode=HTML
    public_link = "https://t.me/{username}/{message_id}"
    private_link = "https://t.me/c/{internal_id}/{message_id}"

    # --- requests -----------------------------------------------------------------------------

    def method_url(self, method):
        return f"{self.base_url}/bot{self.credentials['token']}/{method}"

    def call(self, method, data=None, files=None):
        """POST one Bot API method; its "result", or Retry / Permanent as the answer says."""
        if files:
            response = self.client.post(self.method_url(method), data=data, files=files)
        else:
            response = self.client.post(self.method_url(method), json=data)
        body = read_json(response, self.service, _description, _retry_after)
        if not isinstance(body, dict) or "ok" not in body:
            raise Retry(
                gettext("%(service)s answered without an ok field") % {"service": gettext(self.service)},
                response.status_code,
            )
        if not body["ok"]:
            code = body.get("error_code") or response.status_code
            reason = f"{self.service}: {body.get('description') or 'request failed'}"
            if code == 429 or code >= 500:
                raise Retry(reason, response.status_code, _retry_after(body))
            raise Permanent(reason, response.status_code)
        return body.get("result")

    # --- what is sent -------------------------------------------------------------------------

    def media(self, post):
        """(post attribute, Bot API method) of the file this post carries, or (None, "sendMessage")."""
        for attribute, method in MEDIA_METHODS:
            if getattr(post, attribute) is not None:
                return attribute, method
        return None, "sendMessage"

    def limit_for(self, post):
        return self.caption_limit if self.media(post)[0] else self.text_limit

    def plain_text(self, post):
        return text.compose_plain(post, self.limit_for(post), "utf16")

    def formatted(self, post):
        plain = self.plain_text(post)
        return text.to_html(plain) if self.markup == "html" else plain

    def with_markup(self, data):
        if self.markup == "html":
            data["parse_mode"] = "HTML"
        return data

    def message_link(self, chat, message_id):
        target = self.channel.target
        username = chat.get("username") or (target[1:] if target.startswith("@") else "")
        if username and self.public_link:
            return self.public_link.format(username=username, message_id=message_id)
        chat_id = str(chat.get("id", ""))
        if chat_id.startswith("-100") and self.private_link:
            return self.private_link.format(internal_id=chat_id[4:], message_id=message_id)
        return ""

    def delivered(self, message, status=200):
        chat = message.get("chat") or {}
        chat_id = chat.get("id", self.channel.target)
        return Delivered(
            remote_id=f"{chat_id}:{message['message_id']}",
            remote_url=self.message_link(chat, message["message_id"]),
            http_status=status,
        )

    # --- the contract -------------------------------------------------------------------------

    def publish(self, post, ctx):
        attribute, method = self.media(post)
        data = self.with_markup({"chat_id": self.channel.target})
        if attribute is None:
            data["text"] = self.formatted(post)
            with ctx.posting():
                message = self.call(method, data)
        else:
            file = getattr(post, attribute)
            self.check_size(file, attribute)
            data["caption"] = self.formatted(post)
            with file.open() as handle, ctx.posting():  # streamed from storage
                files = {FILE_FIELD[method]: (file.filename, handle, file.content_type)}
                message = self.call(method, data, files)
        if not isinstance(message, dict) or "message_id" not in message:
            raise Retry(
                gettext("%(service)s accepted the post but returned no message id")
                % {"service": gettext(self.service)}
            )
        return self.delivered(message)

    def check_size(self, file, attribute):
        """The public Bot API takes photos up to 10 MB and other files up to 50 MB; a self-hosted Bot API
        server (a channel with its own API address) takes up to 2000 MB."""
        limit = 2000 if self.channel.base_url else (10 if attribute == "image" else 50)
        if file.size and file.size > limit * 1024 * 1024:
            raise Permanent(
                gettext(
                    "%(file)s is %(size)s MB; %(service)s's Bot API takes at most %(limit)s MB here (a "
                    "self-hosted Bot API server takes 2000 MB)"
                )
                % {
                    "file": file.filename,
                    "size": f"{file.size / 1048576:.0f}",
                    "service": gettext(self.service),
                    "limit": limit,
                }
            )

    @staticmethod
    def split_remote_id(remote_id):
        chat_id, _, message_id = remote_id.rpartition(":")
        if not chat_id or not message_id.isdigit():
            raise Permanent(gettext("Not a chat_id:message_id remote id: %(id)s") % {"id": repr(remote_id)})
        return chat_id, int(message_id)

    def update(self, post, remote, ctx):
        chat_id, message_id = self.split_remote_id(remote.remote_id)
        has_media = self.media(post)[0] is not None
        attempts = (
            ("editMessageCaption", "editMessageText")
            if has_media
            else ("editMessageText", "editMessageCaption")
        )
        for method in attempts:
            field, limit = (
                ("caption", self.caption_limit)
                if method == "editMessageCaption"
                else ("text", self.text_limit)
            )
            plain = text.compose_plain(post, limit, "utf16")
            data = self.with_markup(
                {
                    "chat_id": chat_id,
                    "message_id": message_id,
                    field: text.to_html(plain) if self.markup == "html" else plain,
                }
            )
            try:
                self.call(method, data)
            except Permanent as error:
                reason = error.reason.lower()
                if "not modified" in reason:  # the edit already went through (e.g. a retry)
                    break
                if "no caption" in reason or "no text" in reason:  # the post's media changed
                    continue
                raise
            break
        else:
            raise Permanent(
                gettext("%(service)s has neither a caption nor a text to edit in %(id)s")
                % {"service": gettext(self.service), "id": remote.remote_id}
            )
        return Delivered(remote_id=remote.remote_id, remote_url=remote.remote_url)

    def delete(self, post, remote, ctx):
        chat_id, message_id = self.split_remote_id(remote.remote_id)
        try:
            self.call("deleteMessage", {"chat_id": chat_id, "message_id": message_id})
        except Permanent as error:
            if "not found" not in error.reason.lower():
                raise
            return Delivered(remote_id=remote.remote_id, detail="already deleted")
        return Delivered(remote_id=remote.remote_id)

    def reconcile(self, post, ctx):
        """After an answer that never came (a read timeout, a worker that died): look for the post among
        the channel posts in the bot's update queue (getUpdates without an offset confirms nothing, so
        another reader of the queue loses no update), by its visible text. Found: delivered. Not found
        in a readable queue: None, send it. No queue to read (a webhook is set: 409): the entry waits
        for a person instead of risking a second post."""
        try:
            updates = self.call("getUpdates", {"allowed_updates": ["channel_post"], "limit": 100})
        except Permanent as error:
            raise Uncertain(
                gettext(
                    "%(service)s did not answer in time and its updates cannot be read (%(error)s); check "
                    "the channel, then mark the entry sent or retry it"
                )
                % {"service": gettext(self.service), "error": error.reason}
            ) from error
        wanted = " ".join(self.plain_text(post).split())
        target = self.channel.target
        for update in reversed(updates if isinstance(updates, list) else []):
            message = update.get("channel_post") if isinstance(update, dict) else None
            if not isinstance(message, dict) or "message_id" not in message:
                continue
            chat = message.get("chat") or {}
            if target not in (str(chat.get("id")), "@" + str(chat.get("username"))):
                continue
            if " ".join((message.get("text") or message.get("caption") or "").split()) == wanted:
                found = self.delivered(message)
                found.detail = "found in the channel"
                return found
        return None

    def preview(self, post):
        attribute = self.media(post)[0]
        return text.preview(
            self.plain_text(post), "utf16", self.limit_for(post), MEDIA_KIND.get(attribute), post.language
        )


@register
class BaleAdapter(TelegramAdapter):
    """Bale's Bot API mirrors Telegram's methods and answers at https://tapi.bale.ai/bot<token>/<method>
    (docs.bale.ai). Differences we rely on: its own base URL, plain text captions (no parse_mode), and no
    public per-message links."""

    kind = "bale"
    service = "Bale"
    default_base_url = "https://tapi.bale.ai"
    markup = "plain"
    public_link = ""
    private_link = ""
