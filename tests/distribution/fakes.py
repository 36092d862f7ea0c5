"""Loopback fakes of every channel's API, on pytest-httpserver, for tests, end-to-end runs and benchmarks.

Each fake is a real HTTP server on 127.0.0.1 that implements the part of the service's API our adapters
call, checks each request the way the service documents it (method, path with the token, auth, required
parameters, multipart parts and their content types, JSON shape, caption length in the service's unit,
Telegram's HTML entities, the portal's HMAC signature), answers in the service's own format, and records
what it accepted. A request that breaks the documented contract gets the service's error answer and is
also listed in `.errors`, so a test can assert `fake.errors == []`.

    fake = TelegramFake(token="123:ABC", chats={"@revayat_fa": -1001234567890}).start()
    channel = Channel(kind="telegram", target="@revayat_fa", base_url=fake.url, ...)
    ...
    fake.posts            # accepted posts (dicts; edits and deletions update them), in order; Telegram's
                          # have "text" or "caption" (as shown), "raw" (as sent), "file", "deleted"…
    fake.live_posts()     # the posts not deleted
    fake.requests         # every request: (method, path)
    fake.fail_next("429", times=2, retry_after=3)  # also "500", "timeout", "malformed", "400", "403"
    fake.fail_next("timeout", seconds=5)           # answer (500) only after 5 s, beyond the client timeout
    fake.hold_next(seconds=10)                     # record the next post, then wait 10 s before answering
    fake.fail_next("500", on="media_publish")      # only requests whose path contains "media_publish"
    fake.reset()          # forget everything (to reuse a started fake), fake.stop()

Fakes: TelegramFake, BaleFake (same API, own base, plain text), EitaaFake (Eitaayar), InstagramFake (Graph
API containers, status, publish, quota, permalink, delete; it downloads `image_url`/`video_url` like Meta
does unless `fetch_media=False`), AparatFake (login → uploadform → multipart upload), XFake (v2 media
upload simple and chunked, posts, delete), PortalFake (the portal's webhook receiver, verifying with
`cms.distribution.webhook.verify` and dropping replayed event ids). `MediaHost` serves files by URL.
"""

import hashlib
import itertools
import json
import re
import threading
import time
from collections import deque
from html import unescape

import httpx
from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Response

from cms.distribution import text, webhook

JPEG_MAGIC, PNG_MAGIC = b"\xff\xd8\xff", b"\x89PNG"


def utf16_length(value):
    return len(value.encode("utf-16-le")) // 2


class FakeService:
    """A loopback HTTP server with fault injection; subclasses implement `handle(request)`."""

    service = "service"
    permanent_descriptions = {400: "Bad Request", 403: "Forbidden"}

    def __init__(self):
        self.server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
        self.lock = threading.RLock()
        self._local = threading.local()
        self.reset()

    def reset(self):
        """Forget every post, request, error and pending fault (a started fake can serve the next test)."""
        with self.lock:
            self.posts, self.requests, self.errors = [], [], []
            self._faults, self._holds = deque(), deque()
            self._ids = itertools.count(1001)

    # --- lifecycle ------------------------------------------------------------------------------

    def start(self):
        self.server.expect_request(re.compile(".*")).respond_with_handler(self._dispatch)
        self.server.start()
        return self

    def stop(self):
        if self.server.is_running():
            self.server.clear()
            self.server.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def root(self):
        return f"http://127.0.0.1:{self.server.port}"

    @property
    def url(self):
        """The base URL to put in Channel.base_url (or target, for the portal)."""
        return self.root

    def next_id(self):
        with self.lock:
            return next(self._ids)

    # --- faults ---------------------------------------------------------------------------------

    def fail_next(self, kind, times=1, on=None, retry_after=1, seconds=3.0):
        """Answer the next `times` requests (whose path contains `on`, if given) with a fault."""
        if kind not in ("429", "500", "timeout", "malformed", "400", "403"):
            raise ValueError(f"Unknown fault {kind!r}")
        with self.lock:
            for _ in range(times):
                self._faults.append({"kind": kind, "on": on, "retry_after": retry_after, "seconds": seconds})

    def hold_next(self, seconds, times=1):
        """Record the next `times` posts normally, then wait `seconds` before answering each."""
        with self.lock:
            self._holds.extend([seconds] * times)

    def _take_fault(self, path):
        with self.lock:
            for fault in self._faults:
                if fault["on"] is None or fault["on"] in path:
                    self._faults.remove(fault)
                    return fault
        return None

    def live_posts(self):
        return [post for post in self.posts if not post.get("deleted")]

    def record(self, post):
        """Keep an accepted post (a hold, if any, applies to this request's answer)."""
        with self.lock:
            self.posts.append(post)
            if self._holds:
                self._local.hold = self._holds.popleft()
        return post

    def contract_error(self, status, description, **extra):
        """Our request broke the service's documented contract: answer as the service does, and note it."""
        with self.lock:
            self.errors.append(description)
        return self.error_response(status, description, **extra)

    # --- answers --------------------------------------------------------------------------------

    @staticmethod
    def json_response(body, status=200, headers=None):
        return Response(
            json.dumps(body, ensure_ascii=False),
            status=status,
            headers=headers,
            content_type="application/json",
        )

    def error_response(self, status, description, retry_after=None):
        return self.json_response({"error": description}, status)

    def rate_limited(self, retry_after):
        response = self.error_response(429, "Too Many Requests")
        response.headers["Retry-After"] = str(retry_after)
        return response

    def _fault_response(self, fault):
        kind = fault["kind"]
        if kind == "429":
            return self.rate_limited(fault["retry_after"])
        if kind == "500":
            return self.error_response(500, "Internal Server Error")
        if kind == "timeout":
            time.sleep(fault["seconds"])
            return self.error_response(500, "Internal Server Error (answered too late)")
        if kind == "malformed":
            return Response(
                '{"ok": true, "result": {"message_id": ', status=200, content_type="application/json"
            )
        status = int(kind)
        return self.error_response(status, self.permanent_descriptions[status])

    def _dispatch(self, request):
        with self.lock:
            self.requests.append((request.method, request.path))
        fault = self._take_fault(request.path)
        if fault is not None:
            return self._fault_response(fault)
        self._local.hold = None
        response = self.handle(request)
        if self._local.hold:
            time.sleep(self._local.hold)
        return response

    def handle(self, request):
        raise NotImplementedError

    # --- request helpers ------------------------------------------------------------------------

    @staticmethod
    def params(request):
        """Query, form (urlencoded or multipart) and JSON parameters, as the Bot APIs accept them all."""
        values = dict(request.args.items())
        values.update(request.form.items())
        if request.mimetype == "application/json" and request.get_data():
            body = json.loads(request.get_data())
            values.update(
                {
                    key: value
                    if isinstance(value, str)
                    else json.dumps(value)
                    if isinstance(value, (dict, list))
                    else str(value)
                    for key, value in body.items()
                }
            )
        return values


# --- Telegram and Bale --------------------------------------------------------------------------

TELEGRAM_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
}
TAG = re.compile(r"<(/?)([a-z-]+)(\s[^<>]*)?>")
ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


class EntityError(ValueError):
    pass


def telegram_visible_text(value):
    """The text a Telegram client shows for an HTML parse-mode string (EntityError when it cannot parse)."""
    visible, stack, position = [], [], 0
    while position < len(value):
        char = value[position]
        if char == "<":
            match = TAG.match(value, position)
            if not match or match.group(2) not in TELEGRAM_TAGS:
                raise EntityError(f"Unsupported start tag at byte offset {position}")
            if match.group(1):
                if not stack or stack.pop() != match.group(2):
                    raise EntityError(f"Unmatched end tag at byte offset {position}")
            else:
                stack.append(match.group(2))
            position = match.end()
        elif char == "&":
            match = ENTITY.match(value, position)
            if not match:
                raise EntityError(f"Unsupported entity at byte offset {position}")
            visible.append(unescape(match.group(0)))
            position = match.end()
        elif char == ">":
            raise EntityError(f"Unexpected end of tag at byte offset {position}")
        else:
            visible.append(char)
            position += 1
    if stack:
        raise EntityError(f"Can't find end tag corresponding to start tag {stack[-1]}")
    return "".join(visible)


class TelegramFake(FakeService):
    """The Bot API: /bot<token>/sendMessage, sendPhoto, sendVideo, sendAudio, editMessageText,
    editMessageCaption, deleteMessage, getMe, getUpdates (channel posts; core.telegram.org/bots/api)."""

    service = "Telegram"
    html = True  # parse_mode=HTML is understood
    permanent_descriptions = {
        400: "Bad Request: chat not found",
        403: "Forbidden: bot is not a member of the channel chat",
    }
    file_fields = {"sendPhoto": "photo", "sendVideo": "video", "sendAudio": "audio"}

    def __init__(self, token="123456:TEST-token", chats=None):
        super().__init__()
        self.token = token
        self.chats = chats or {"@revayat_fa": -1001234567890}

    def reset(self):
        super().reset()
        self.messages = {}

    def error_response(self, status, description, retry_after=None):
        body = {"ok": False, "error_code": status, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        return self.json_response(body, status)

    def rate_limited(self, retry_after):
        return self.error_response(429, f"Too Many Requests: retry after {retry_after}", retry_after)

    def chat_for(self, chat_id):
        for name, number in self.chats.items():
            if str(chat_id) in (name, str(number)):
                return {
                    "id": number,
                    "type": "channel",
                    "title": name.lstrip("@"),
                    **({"username": name[1:]} if name.startswith("@") else {}),
                }
        return None

    def visible(self, value, params):
        if params.get("parse_mode") == "HTML" and self.html:
            return telegram_visible_text(value)
        if params.get("parse_mode") not in (None, "", "HTML"):
            raise EntityError(f"Unsupported parse_mode {params['parse_mode']}")
        return value

    def handle(self, request):
        match = re.fullmatch(r"/bot([^/]+)/(\w+)", request.path)
        if not match:
            return self.error_response(404, "Not Found")
        if match.group(1) != self.token:
            return self.error_response(401, "Unauthorized")
        if request.method not in ("GET", "POST"):
            return self.contract_error(405, f"Method {request.method} not allowed")
        method = match.group(2)
        params = self.params(request)
        if method == "getMe":
            return self.ok({"id": 1, "is_bot": True, "first_name": "Revayat", "username": "revayat_bot"})
        if method == "getUpdates":
            return self.ok(self.updates(int(params.get("limit", 100))))
        handler = getattr(self, f"do_{method}", None)
        if handler is None:
            return self.error_response(404, "Not Found: method not found")
        chat = self.chat_for(params.get("chat_id", ""))
        if chat is None:
            return self.error_response(400, "Bad Request: chat not found")
        try:
            return handler(request, params, chat)
        except EntityError as error:
            return self.contract_error(400, f"Bad Request: can't parse entities: {error}")

    def ok(self, result):
        return self.json_response({"ok": True, "result": result})

    def updates(self, limit):
        """The latest channel posts as updates: a bot that administers a channel is told of its posts."""
        with self.lock:
            posts = [post for post in self.posts if not post["deleted"]][-limit:]
        return [{"update_id": p["message_id"], "channel_post": self.message_result(p)} for p in posts]

    def message_result(self, post):
        result = {"message_id": post["message_id"], "date": int(post["date"]), "chat": post["chat"]}
        if post["file"] is None:
            result["text"] = post["visible"]
        else:
            result[post["media"]] = {"file_id": f"file-{post['message_id']}", "file_size": len(post["file"])}
            if post["visible"]:
                result["caption"] = post["visible"]
        return result

    def new_post(self, chat, method, raw, visible, params, upload=None):
        post = {
            "method": method,
            "chat": chat,
            "chat_id": chat["id"],
            "message_id": self.next_id(),
            "date": time.time(),
            "raw": raw,
            "visible": visible,
            "parse_mode": params.get("parse_mode"),
            "media": self.file_fields.get(method),
            "file": None,
            "filename": None,
            "content_type": None,
            "edits": [],
            "deleted": False,
        }
        if upload is not None:
            post.update(file=upload.read(), filename=upload.filename, content_type=upload.mimetype)
        post["caption" if upload is not None else "text"] = visible  # as the message object has it
        with self.lock:
            self.messages[(chat["id"], post["message_id"])] = post
        return self.record(post)

    def do_sendMessage(self, request, params, chat):
        raw = params.get("text", "")
        visible = self.visible(raw, params)
        if not visible.strip():
            return self.contract_error(400, "Bad Request: message text is empty")
        if utf16_length(visible) > 4096:
            return self.contract_error(400, "Bad Request: message is too long")
        return self.ok(self.message_result(self.new_post(chat, "sendMessage", raw, visible, params)))

    def _send_file(self, method, request, params, chat):
        field = self.file_fields[method]
        upload = request.files.get(field)
        if upload is None:
            return self.contract_error(400, f"Bad Request: there is no {field} in the request")
        if request.mimetype != "multipart/form-data" or not upload.filename:
            return self.contract_error(400, f"Bad Request: {field} must be uploaded as multipart/form-data")
        content = upload.stream.read()
        upload.stream.seek(0)
        if not content:
            return self.contract_error(400, f"Bad Request: file of {field} is empty")
        if field == "photo" and not content.startswith((JPEG_MAGIC, PNG_MAGIC)):
            return self.contract_error(400, "Bad Request: IMAGE_PROCESS_FAILED")
        raw = params.get("caption", "")
        visible = self.visible(raw, params)
        if utf16_length(visible) > 1024:
            return self.contract_error(400, "Bad Request: message caption is too long")
        return self.ok(self.message_result(self.new_post(chat, method, raw, visible, params, upload)))

    def do_sendPhoto(self, request, params, chat):
        return self._send_file("sendPhoto", request, params, chat)

    def do_sendVideo(self, request, params, chat):
        return self._send_file("sendVideo", request, params, chat)

    def do_sendAudio(self, request, params, chat):
        return self._send_file("sendAudio", request, params, chat)

    def _message(self, chat, params):
        try:
            key = (chat["id"], int(params.get("message_id", "")))
        except ValueError:
            return None
        post = self.messages.get(key)
        return None if post is None or post["deleted"] else post

    def _edit(self, params, chat, field):
        post = self._message(chat, params)
        if post is None:
            return self.error_response(400, "Bad Request: message to edit not found")
        if (field == "text") != (post["file"] is None):
            return self.error_response(400, f"Bad Request: there is no {field} in the message to edit")
        raw = params.get(field, "")
        visible = self.visible(raw, params)
        limit = 4096 if field == "text" else 1024
        if utf16_length(visible) > limit:
            return self.contract_error(
                400, f"Bad Request: message {'caption ' if field == 'caption' else ''}is too long"
            )
        if visible == post["visible"]:
            return self.error_response(
                400,
                "Bad Request: message is not modified: specified new message "
                "content and reply markup are exactly the same as a current "
                "content and reply markup of the message",
            )
        with self.lock:
            post["edits"].append(post["visible"])
            post.update({"raw": raw, "visible": visible, field: visible})
        return self.ok(self.message_result(post))

    def do_editMessageText(self, request, params, chat):
        return self._edit(params, chat, "text")

    def do_editMessageCaption(self, request, params, chat):
        return self._edit(params, chat, "caption")

    def do_deleteMessage(self, request, params, chat):
        post = self._message(chat, params)
        if post is None:
            return self.error_response(400, "Bad Request: message to delete not found")
        with self.lock:
            post["deleted"] = True
        return self.ok(True)


class BaleFake(TelegramFake):
    """Bale's Bot API (tapi.bale.ai/bot<token>/<method>): Telegram's methods, captions as plain text."""

    service = "Bale"
    html = False


# --- Eitaa (Eitaayar) -----------------------------------------------------------------------------


class EitaaFake(FakeService):
    """Eitaayar: /api/<token>/getMe, sendMessage (chat_id, text), sendFile (chat_id, multipart file,
    caption)."""

    service = "Eitaa"
    permanent_descriptions = {
        400: "Bad Request: chat not found",
        403: "Forbidden: not an admin of the channel",
    }

    def __init__(self, token="eitaayar-test-token", chats=("revayat_fa",)):
        super().__init__()
        self.token = token
        self.chats = set(chats)

    def error_response(self, status, description, retry_after=None):
        body = {"ok": False, "error_code": status, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        return self.json_response(body, status)

    def handle(self, request):
        match = re.fullmatch(r"/api/([^/]+)/(\w+)", request.path)
        if not match:
            return self.error_response(404, "Not Found")
        if match.group(1) != self.token:
            return self.error_response(401, "Unauthorized")
        method, params = match.group(2), self.params(request)
        if method == "getMe":
            return self.json_response({"ok": True, "result": {"id": 1, "first_name": "Revayat"}})
        if method not in ("sendMessage", "sendFile"):
            return self.error_response(404, "Not Found: method not found")
        if request.method != "POST":
            return self.contract_error(405, f"{method} takes POST")
        if params.get("chat_id") not in self.chats:
            return self.error_response(400, "Bad Request: chat not found")
        post = {
            "method": method,
            "chat_id": params["chat_id"],
            "message_id": self.next_id(),
            "deleted": False,
            "file": None,
            "filename": None,
            "content_type": None,
        }
        if method == "sendMessage":
            if not params.get("text", "").strip():
                return self.contract_error(400, "Bad Request: text is empty")
            post["text"] = params["text"]
        else:
            upload = request.files.get("file")
            if upload is None or request.mimetype != "multipart/form-data":
                return self.contract_error(400, "Bad Request: file is required (multipart/form-data)")
            post.update(
                text=params.get("caption", ""),
                file=upload.read(),
                filename=upload.filename,
                content_type=upload.mimetype,
            )
            if not post["file"]:
                return self.contract_error(400, "Bad Request: file is empty")
        self.record(post)
        chat = {"id": 7000 + len(post["chat_id"]), "type": "public", "username": post["chat_id"]}
        return self.json_response(
            {
                "ok": True,
                "result": {
                    "message_id": post["message_id"],
                    "chat": chat,
                    "date": int(time.time()),
                    "text": post["text"],
                },
            }
        )


# --- Instagram (Graph API) ------------------------------------------------------------------------


class InstagramFake(FakeService):
    """Graph API content publishing under /<version>/: POST {ig}/media, GET {container}?fields=status_code,
    GET {ig}/content_publishing_limit, POST {ig}/media_publish, GET {media}?fields=permalink,
    GET {ig}/media, DELETE {media}. The access token is the access_token parameter."""

    service = "Instagram"
    version = "v25.0"
    permanent_descriptions = {
        400: "Invalid parameter",
        403: "(#10) Application does not have permission for this action",
    }

    def __init__(
        self,
        token="IGQ-test-token",
        account_id="17841400000000001",
        fetch_media=True,
        video_polls=1,
        quota_total=100,
    ):
        super().__init__()
        self.token, self.account_id = token, account_id
        self.fetch_media, self.video_polls, self.quota_total = fetch_media, video_polls, quota_total

    def reset(self):
        super().reset()
        self.containers, self.media = {}, {}

    @property
    def url(self):
        return f"{self.root}/{self.version}"

    def error_response(self, status, description, retry_after=None, code=100, subcode=None, transient=False):
        error = {"message": description, "type": "OAuthException", "code": code, "fbtrace_id": "AbCdEf"}
        if subcode:
            error["error_subcode"] = subcode
        if transient:
            error["is_transient"] = True
        return self.json_response({"error": error}, status)

    def rate_limited(self, retry_after):
        # Graph API throttling is an error with code 4 ("Application request limit reached"), not HTTP 429.
        return self.error_response(400, "(#4) Application request limit reached", code=4, transient=True)

    def handle(self, request):
        prefix = f"/{self.version}/"
        if not request.path.startswith(prefix):
            return self.contract_error(400, f"Unknown path version: {request.path}")
        node = request.path[len(prefix) :].strip("/")
        params = self.params(request)
        if params.get("access_token") != self.token:
            return self.error_response(
                400, "Invalid OAuth access token - Cannot parse access token", code=190
            )
        parts = node.split("/")
        if parts[0] == self.account_id and len(parts) == 2:
            edge = parts[1]
            route = {
                ("POST", "media"): self.create_container,
                ("POST", "media_publish"): self.publish,
                ("GET", "content_publishing_limit"): self.publishing_limit,
                ("GET", "media"): self.list_media,
            }.get((request.method, edge))
            if route:
                return route(params)
        if len(parts) == 1:
            if request.method == "GET" and parts[0] in self.containers:
                container = self.containers[parts[0]]
                if container["status_code"] == "IN_PROGRESS":
                    container["polls"] += 1
                    if container["polls"] >= self.video_polls:
                        container["status_code"] = "FINISHED"
                return self.json_response(
                    {
                        "id": parts[0],
                        "status_code": container["status_code"],
                        "status": container["status_code"],
                    }
                )
            if parts[0] in self.media:
                media = self.media[parts[0]]
                if request.method == "GET" and not media["deleted"]:
                    return self.json_response({"id": parts[0], "permalink": media["permalink"]})
                if request.method == "DELETE" and not media["deleted"]:
                    media["deleted"] = True
                    return self.json_response({"success": True})
        return self.error_response(
            400,
            f"Unsupported {request.method.lower()} request. Object with ID "
            f"'{parts[0]}' does not exist, cannot be loaded due to missing "
            "permissions, or does not support this operation",
            code=100,
            subcode=33,
        )

    def fetch(self, url, image):
        try:
            response = httpx.get(url, timeout=5)
        except httpx.HTTPError:
            return None
        content = response.content
        if response.status_code != 200 or (image and not content.startswith(JPEG_MAGIC)) or not content:
            return None
        return content

    def create_container(self, params):
        caption = params.get("caption", "")
        if len(caption) > 2200:
            return self.contract_error(400, "The caption is longer than 2200 characters", code=100)
        if len(re.findall(r"#\w", caption)) > 30:
            return self.contract_error(400, "The caption has more than 30 hashtags", code=100)
        if params.get("media_type") == "REELS":
            url, image = params.get("video_url"), False
        elif params.get("media_type") in (None, "IMAGE"):
            url, image = params.get("image_url"), True
        else:
            return self.contract_error(400, f"Unsupported media_type {params['media_type']}")
        if not url:
            return self.contract_error(
                400,
                "(#100) The parameter image_url is required"
                if image
                else "(#100) The parameter video_url is required",
            )
        content = None
        if self.fetch_media:
            content = self.fetch(url, image)
            if content is None:
                return self.error_response(
                    400, "Only photo or video can be accepted as media type.", code=9004, subcode=2207052
                )
        container_id = str(self.next_id() * 1000 + 7)
        with self.lock:
            self.containers[container_id] = {
                "caption": caption,
                "url": url,
                "kind": "image" if image else "video",
                "content": content,
                "status_code": "FINISHED" if image else "IN_PROGRESS",
                "polls": 0,
            }
        return self.json_response({"id": container_id})

    def publishing_limit(self, params):
        day_ago = time.time() - 86400
        usage = sum(1 for media in self.media.values() if media["published_at"] > day_ago)
        return self.json_response(
            {
                "data": [
                    {
                        "quota_usage": usage,
                        "config": {"quota_total": self.quota_total, "quota_duration": 86400},
                    }
                ]
            }
        )

    def publish(self, params):
        container = self.containers.get(params.get("creation_id", ""))
        if container is None:
            return self.contract_error(400, "(#100) The parameter creation_id is required or unknown")
        if container["status_code"] != "FINISHED":
            return self.error_response(
                400,
                "The media is not ready for publishing, please wait for a moment",
                code=9007,
                subcode=2207027,
            )
        media_id = str(self.next_id() * 1000 + 9)
        post = {
            "media_id": media_id,
            "container_id": params["creation_id"],
            "caption": container["caption"],
            "kind": container["kind"],
            "url": container["url"],
            "content": container["content"],
            "permalink": f"https://www.instagram.com/p/Rv{media_id}/",
            "published_at": time.time(),
            "deleted": False,
        }
        with self.lock:
            container["status_code"] = "PUBLISHED"
            self.media[media_id] = post
        self.record(post)
        return self.json_response({"id": media_id})

    def list_media(self, params):
        rows = [
            {"id": media["media_id"], "caption": media["caption"], "permalink": media["permalink"]}
            for media in reversed(self.posts)
            if not media["deleted"]
        ]
        return self.json_response({"data": rows[: int(params.get("limit", 25))]})


# --- Aparat ---------------------------------------------------------------------------------------


class AparatFake(FakeService):
    """Aparat's /etc/api/login/luser/<u>/lpass/<sha1(md5(pw))>, /etc/api/uploadform/luser/<u>/ltoken/<t>
    and the multipart upload form it points to."""

    service = "Aparat"

    def __init__(self, username="revayat", password="secret-pass"):
        super().__init__()
        self.username = username
        self.password_hash = hashlib.sha1(hashlib.md5(password.encode()).hexdigest().encode()).hexdigest()

    def reset(self):
        super().reset()
        self.tokens, self.forms = set(), set()

    def error_response(self, status, description, retry_after=None):
        return self.json_response({"error": {"type": "error", "value": description}}, status)

    def handle(self, request):
        path = request.path
        if match := re.fullmatch(r"/etc/api/login/luser/([^/]+)/lpass/([0-9a-f]+)/?", path):
            if (match.group(1), match.group(2)) != (self.username, self.password_hash):
                return self.json_response(
                    {"login": {"type": "error", "value": "نام کاربری یا رمز عبور اشتباه است"}}
                )
            token = f"ltoken{self.next_id()}"
            self.tokens.add(token)
            return self.json_response(
                {"login": {"username": self.username, "ltoken": token, "type": "success"}}
            )
        if match := re.fullmatch(r"/etc/api/uploadform/luser/([^/]+)/ltoken/([^/]+)/?", path):
            if match.group(1) != self.username or match.group(2) not in self.tokens:
                return self.json_response({"uploadform": {"type": "error", "value": "ltoken نامعتبر است"}})
            form_id = str(self.next_id())
            self.forms.add(form_id)
            return self.json_response(
                {"uploadform": {"frm-id": form_id, "formAction": f"{self.root}/upload/{form_id}"}}
            )
        if match := re.fullmatch(r"/upload/(\d+)", path):
            return self.upload(request, match.group(1))
        return self.error_response(404, "Not Found")

    def upload(self, request, form_id):
        if request.method != "POST" or request.mimetype != "multipart/form-data":
            return self.contract_error(400, "The upload is a multipart/form-data POST")
        form = request.form
        if form_id not in self.forms or form.get("frm-id") != form_id:
            return self.contract_error(400, "frm-id does not match the upload form")
        video = request.files.get("video")
        if video is None or not video.mimetype.startswith("video/"):
            return self.contract_error(400, "The video part is missing or not a video")
        for field in ("data[title]", "data[category]"):
            if not form.get(field):
                return self.contract_error(400, f"{field} is required")
        self.forms.discard(form_id)
        uid = f"rv{self.next_id()}"
        self.record(
            {
                "uid": uid,
                "title": form["data[title]"],
                "category": form["data[category]"],
                "tags": form.get("data[tags]", ""),
                "descr": form.get("data[descr]", ""),
                "file": video.read(),
                "filename": video.filename,
                "content_type": video.mimetype,
                "deleted": False,
            }
        )
        return self.json_response({"uploadpost": {"uid": uid, "type": "success"}})


# --- X (API v2) -----------------------------------------------------------------------------------


class XFake(FakeService):
    """X API v2: POST /2/media/upload (simple, multipart), POST /2/media/upload/initialize, /{id}/append,
    /{id}/finalize, GET /2/media/upload?command=STATUS, POST /2/tweets, DELETE /2/tweets/{id},
    GET /2/users/me, GET /2/users/{id}/tweets.
    Auth: Authorization: Bearer <OAuth 2.0 user token>."""

    service = "X"
    permanent_descriptions = {
        400: "One or more parameters to your request was invalid.",
        403: "You are not permitted to perform this action.",
    }

    user_id = "2244994945"

    def __init__(self, token="x-user-token", video_polls=1):
        super().__init__()
        self.token, self.video_polls = token, video_polls

    def reset(self):
        super().reset()
        self.uploads = {}

    def error_response(self, status, description, retry_after=None):
        titles = {
            400: "Invalid Request",
            401: "Unauthorized",
            403: "Forbidden",
            404: "Not Found Error",
            429: "Too Many Requests",
        }
        return self.json_response(
            {
                "title": titles.get(status, "Error"),
                "detail": description,
                "type": "about:blank",
                "status": status,
            },
            status,
        )

    def rate_limited(self, retry_after):
        response = self.error_response(429, "Too Many Requests")
        response.headers["x-rate-limit-limit"] = "100"
        response.headers["x-rate-limit-remaining"] = "0"
        response.headers["x-rate-limit-reset"] = str(int(time.time() + retry_after))
        return response

    def handle(self, request):
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return self.error_response(401, "Unauthorized")
        path, method = request.path, request.method
        if path == "/2/media/upload" and method == "POST":
            return self.simple_upload(request)
        if path == "/2/media/upload" and method == "GET":
            return self.status(request.args)
        if path == "/2/media/upload/initialize" and method == "POST":
            return self.initialize(request)
        if match := re.fullmatch(r"/2/media/upload/(\d+)/(append|finalize)", path):
            upload = self.uploads.get(match.group(1))
            if upload is None or method != "POST":
                return self.contract_error(400, f"Unknown media id {match.group(1)}")
            return self.append(request, upload) if match.group(2) == "append" else self.finalize(upload)
        if path == "/2/tweets" and method == "POST":
            return self.create_post(request)
        if (match := re.fullmatch(r"/2/tweets/(\d+)", path)) and method == "DELETE":
            return self.delete_post(match.group(1))
        if path == "/2/users/me" and method == "GET":
            return self.json_response(
                {"data": {"id": self.user_id, "name": "Revayat", "username": "revayat"}}
            )
        if path == f"/2/users/{self.user_id}/tweets" and method == "GET":
            return self.timeline(request.args)
        return self.error_response(404, f"{method} {path} is not an endpoint")

    def new_upload(self, media_type, category, total):
        media_id = str(self.next_id() * 10**9)
        upload = {
            "id": media_id,
            "media_type": media_type,
            "category": category,
            "total": total,
            "content": b"",
            "segments": [],
            "state": None,
            "polls": 0,
        }
        with self.lock:
            self.uploads[media_id] = upload
        return upload

    def simple_upload(self, request):
        media = request.files.get("media")
        if request.mimetype != "multipart/form-data" or media is None:
            return self.contract_error(400, "media is required (raw bytes in a multipart body)")
        if request.form.get("media_category") != "tweet_image":
            return self.contract_error(400, "media_category must be tweet_image, dm_image or subtitles")
        content = media.read()
        if not content.startswith((JPEG_MAGIC, PNG_MAGIC)):
            return self.contract_error(400, "media is not a supported image")
        upload = self.new_upload(media.mimetype, "tweet_image", len(content))
        upload.update(content=content, state="succeeded")
        return self.json_response(
            {
                "data": {
                    "id": upload["id"],
                    "media_key": f"3_{upload['id']}",
                    "size": len(content),
                    "expires_after_secs": 86400,
                }
            }
        )

    def initialize(self, request):
        if request.mimetype != "application/json":
            return self.contract_error(400, "initialize takes a JSON body")
        body = request.get_json()
        if not body.get("media_type", "").startswith("video/") or body.get("media_category") != "tweet_video":
            return self.contract_error(400, "media_type video/* and media_category tweet_video are required")
        if not isinstance(body.get("total_bytes"), int) or body["total_bytes"] <= 0:
            return self.contract_error(400, "total_bytes must be a positive integer")
        upload = self.new_upload(body["media_type"], "tweet_video", body["total_bytes"])
        return self.json_response(
            {"data": {"id": upload["id"], "media_key": f"7_{upload['id']}", "expires_after_secs": 86400}}
        )

    def append(self, request, upload):
        media = request.files.get("media")
        index = request.form.get("segment_index", "")
        if media is None or not index.isdigit() or int(index) != len(upload["segments"]):
            return self.contract_error(400, "append needs media and the next segment_index")
        chunk = media.read()
        upload["segments"].append(len(chunk))
        upload["content"] += chunk
        return Response(status=204)

    def finalize(self, upload):
        if len(upload["content"]) != upload["total"]:
            return self.contract_error(
                400, f"Uploaded {len(upload['content'])} bytes, expected {upload['total']}"
            )
        upload["state"] = "pending"
        return self.json_response(
            {
                "data": {
                    "id": upload["id"],
                    "size": upload["total"],
                    "expires_after_secs": 86400,
                    "processing_info": {"state": "pending", "check_after_secs": 1},
                }
            }
        )

    def status(self, args):
        upload = self.uploads.get(args.get("media_id", ""))
        if args.get("command") != "STATUS" or upload is None:
            return self.contract_error(400, "STATUS needs command=STATUS and a known media_id")
        upload["polls"] += 1
        upload["state"] = "succeeded" if upload["polls"] >= self.video_polls else "in_progress"
        info = {"state": upload["state"]}
        if upload["state"] != "succeeded":
            info["check_after_secs"] = 1
        return self.json_response({"data": {"id": upload["id"], "processing_info": info}})

    def create_post(self, request):
        if request.mimetype != "application/json":
            return self.contract_error(400, "POST /2/tweets takes a JSON body")
        body = request.get_json()
        post_text = body.get("text", "")
        media_ids = (body.get("media") or {}).get("media_ids", [])
        if not post_text and not media_ids:
            return self.contract_error(400, "text or media is required")
        if text.x_weighted_length(post_text) > 280:
            return self.contract_error(400, "Your Tweet text is too long.")
        for media_id in media_ids:
            upload = self.uploads.get(media_id)
            if upload is None or upload["state"] != "succeeded":
                return self.contract_error(400, f"Your media IDs are invalid: {media_id}")
        if any(post["text"] == post_text and not post["deleted"] for post in self.posts):
            return self.error_response(403, "You are not allowed to create a Tweet with duplicate content.")
        post_id = str(self.next_id() * 10**6)
        self.record(
            {
                "id": post_id,
                "text": post_text,
                "media_ids": media_ids,
                "deleted": False,
                "media": [self.uploads[media_id]["content"] for media_id in media_ids],
            }
        )
        return self.json_response(
            {"data": {"id": post_id, "text": post_text, "edit_history_tweet_ids": [post_id]}}, 201
        )

    def timeline(self, args):
        """The account's latest posts, newest first, their text as X returns it: links become t.co links
        and "&", "<", ">" come HTML-escaped."""
        count = int(args.get("max_results", 10))
        if not 5 <= count <= 100:
            return self.contract_error(400, "max_results must be between 5 and 100")
        rows = [
            {
                "id": post["id"],
                "text": text.URL.sub("https://t.co/AbCdEf1234", post["text"])
                .replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;"),
                "edit_history_tweet_ids": [post["id"]],
            }
            for post in reversed(self.posts)
            if not post["deleted"]
        ]
        return self.json_response({"data": rows[:count], "meta": {"result_count": min(count, len(rows))}})

    def delete_post(self, post_id):
        for post in self.posts:
            if post["id"] == post_id and not post["deleted"]:
                post["deleted"] = True
                return self.json_response({"data": {"deleted": True}})
        return self.error_response(404, f"Could not find tweet with id: [{post_id}].")


# --- the organization portal's webhook receiver ---------------------------------------------------


class PortalFake(FakeService):
    """The portal's receiver: POST <url> with a signed JSON event; replays are answered 200 and dropped."""

    service = "The portal"
    path = "/hooks/revayat"
    event_keys = {"id", "event", "occurred_at", "page", "payload"}
    page_keys = {"id", "language", "title", "url", "api_url"}

    def __init__(self, secret="portal-shared-secret", tolerance=300):
        super().__init__()
        self.secret, self.tolerance = secret, tolerance

    def reset(self):
        super().reset()
        self.seen, self.rejected, self.duplicates = set(), [], []

    @property
    def url(self):
        return self.root + self.path

    def handle(self, request):
        if request.path != self.path or request.method != "POST":
            return self.error_response(404, "Not Found")
        if request.mimetype != "application/json":
            return self.contract_error(415, "The event must be application/json")
        body = request.get_data()
        with self.lock:
            try:
                event = webhook.verify(
                    body, dict(request.headers), self.secret, self.seen, tolerance=self.tolerance
                )
            except webhook.Replayed:
                self.duplicates.append(request.headers.get(webhook.EVENT_ID_HEADER))
                return self.json_response({"status": "duplicate"})
            except webhook.VerificationError as error:
                self.rejected.append(str(error))
                return self.contract_error(401, str(error))
            if set(event) != self.event_keys or set(event["page"] or {}) != self.page_keys:
                return self.contract_error(400, f"Unexpected event shape: {sorted(event)}")
            self.seen.add(event["id"])
        self.record({**event, "raw": body, "deleted": False})
        return self.json_response({"status": "accepted"}, 202)


class MediaHost(FakeService):
    """Serves files at public URLs (the image and video URLs Instagram downloads)."""

    def reset(self):
        super().reset()
        self.files = {}

    def add(self, path, content, content_type):
        self.files["/" + path.lstrip("/")] = (content, content_type)
        return self.root + "/" + path.lstrip("/")

    def handle(self, request):
        if request.path not in self.files:
            return Response("Not Found", status=404)
        content, content_type = self.files[request.path]
        return Response(content, content_type=content_type)
