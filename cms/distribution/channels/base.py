"""The contract every channel adapter follows, and the HTTP error classification they share.

An adapter turns a `Post` into the channel's API calls with an httpx client (explicit timeouts). It
returns a `Delivered` on success and raises `Retry` for a transient failure (429, 5xx, timeout, malformed
answer), `Permanent` for one that repeating cannot fix (4xx), or `Unsupported` when the channel cannot do
what was asked (e.g. edit a post). The irreversible request — the one that makes the post appear — is
made inside `ctx.posting()`, so a worker that dies during it leaves a trace the relay can act on: it
calls `reconcile()`, which looks the post up where the API allows and otherwise leaves the entry for
a person to check, never posting twice.
"""

from contextlib import AbstractContextManager
from dataclasses import dataclass, field

import httpx
from django.utils.translation import gettext

# Registry: channel kind → adapter class (filled by each channel module's `@register`).
ADAPTERS = {}


def register(cls):
    ADAPTERS[cls.kind] = cls
    return cls


@dataclass
class MediaFile:
    """A public file the post carries: its public URL and a way to read its bytes for upload."""

    url: str
    filename: str
    content_type: str
    size: int
    open: callable  # () -> binary file object

    def read(self):
        with self.open() as handle:
            return handle.read()


@dataclass
class Post:
    """What one outbox entry sends: built from the page revision at delivery time."""

    event: str  # publish, update, unpublish or delete
    idempotency_key: str
    page_id: int
    language: str  # "fa" or "en"
    title: str
    text: str  # the summary, or the editor's per-channel override (plain text)
    url: str  # the page's absolute public URL ("" after deletion)
    hashtags: list = field(default_factory=list)
    image: MediaFile | None = None  # the chosen social crop (JPEG)
    audio: MediaFile | None = None  # a podcast episode's MP3
    video: MediaFile | None = None  # a film's MP4
    api_url: str = ""  # the page's /api/v2/pages/<id>/ URL
    api_payload: dict | None = None  # that URL's JSON (publish and update only)
    text_override: bool = False  # the editor wrote the text for this channel


@dataclass
class Delivered:
    """The channel accepted the request; the remote post's id and address when it has them."""

    remote_id: str = ""
    remote_url: str = ""
    http_status: int | None = None
    detail: str = ""


class DeliveryError(Exception):
    def __init__(self, reason, http_status=None):
        super().__init__(reason)
        self.reason = reason
        self.http_status = http_status


class Retry(DeliveryError):
    """A transient failure: try again later (after `retry_after` seconds when the channel says so)."""

    def __init__(self, reason, http_status=None, retry_after=None):
        super().__init__(reason, http_status)
        self.retry_after = retry_after


class Permanent(DeliveryError):
    """A failure repeating cannot fix: the entry is dead-lettered with this reason."""


class Unsupported(DeliveryError):
    """The channel cannot do this (e.g. edit or delete a post); the entry is skipped with this reason."""


class Uncertain(DeliveryError):
    """Whether the interrupted post went out cannot be known from the channel's API."""


class DeliveryContext:
    """What an adapter may keep between attempts (`state`) and the marker around the posting request."""

    def __init__(self, state, save_state, posting):
        self.state = state
        self._save_state = save_state
        self._posting = posting

    def save_state(self):
        """Persist `state` now (committed), e.g. an uploaded media id a retry should reuse."""
        self._save_state(self.state)

    def posting(self) -> AbstractContextManager:
        """Wrap the one request that makes the post appear (committed before it is sent)."""
        return self._posting()


class ChannelAdapter:
    """Base class: one subclass per channel kind, registered with `@register`."""

    kind = ""
    required_credentials = ("token",)
    text_limit = 4096  # plain message
    caption_limit = 1024  # caption under a photo, audio or video
    idempotent = False  # repeating a request with the same idempotency key never posts twice
    default_base_url = ""

    def __init__(self, channel, credentials, client: httpx.Client):
        self.channel = channel
        self.credentials = credentials
        self.client = client
        self.base_url = (channel.base_url or self.default_base_url).rstrip("/")

    def publish(self, post: Post, ctx: DeliveryContext) -> Delivered:
        raise NotImplementedError

    def update(self, post: Post, remote, ctx: DeliveryContext) -> Delivered:
        """Edit the remote post (`remote` is the RemotePost); channels that cannot edit say so."""
        raise Unsupported(
            gettext("%(kind)s cannot edit a post through its API") % {"kind": self.channel.get_kind_display()}
        )

    def delete(self, post: Post, remote, ctx: DeliveryContext) -> Delivered:
        """Delete the remote post; channels that cannot delete say so."""
        raise Unsupported(
            gettext("%(kind)s cannot delete a post through its API")
            % {"kind": self.channel.get_kind_display()}
        )

    def reconcile(self, post: Post, ctx: DeliveryContext):
        """After a worker died during `ctx.posting()`: the Delivered post if it exists, None if it
        certainly does not (sending again is safe), or raise Uncertain."""
        if self.idempotent:
            return None
        raise Uncertain(
            gettext(
                "The worker stopped while %(kind)s was answering; check the channel, then mark the entry "
                "sent or retry it"
            )
            % {"kind": self.channel.get_kind_display()}
        )

    def preview(self, post: Post) -> dict:
        """The post as the channel would show it: {"text", "length", "limit", "unit", "media"}, and
        "refusal" (why the channel would refuse it) when publishing it would fail for certain."""
        raise NotImplementedError
