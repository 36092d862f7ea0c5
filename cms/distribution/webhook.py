"""Signing the organization-portal webhook, and verifying it on the receiving side.

The sender adds three headers: `X-Revayat-Event-Id` (the event's id, also the body's "id"),
`X-Revayat-Timestamp` (Unix seconds) and `X-Revayat-Signature: sha256=<hex>`, an HMAC-SHA256 with the
shared secret over "<timestamp>.<raw body>". A receiver calls `verify()`: it rejects a wrong signature
(constant-time comparison), a timestamp more than `tolerance` seconds away from its clock, and an event
id it has already accepted (a replay; `Replayed` lets it answer "already done" instead of an error).
"""

import hashlib
import hmac
import json
import time

EVENT_ID_HEADER = "X-Revayat-Event-Id"
TIMESTAMP_HEADER = "X-Revayat-Timestamp"
SIGNATURE_HEADER = "X-Revayat-Signature"
SIGNATURE_PREFIX = "sha256="


class VerificationError(Exception):
    """The request is not a genuine, fresh webhook event."""


class Replayed(VerificationError):
    """A genuine event whose id was already accepted."""


def _as_bytes(value):
    return value if isinstance(value, bytes) else value.encode("utf-8")


def sign(body, secret, timestamp):
    """The signature header's value for `body` (bytes or str) sent at `timestamp` (Unix seconds)."""
    message = str(int(timestamp)).encode("ascii") + b"." + _as_bytes(body)
    return SIGNATURE_PREFIX + hmac.new(_as_bytes(secret), message, hashlib.sha256).hexdigest()


def signed_headers(body, secret, event_id, timestamp=None):
    """The three headers for one event."""
    timestamp = int(time.time() if timestamp is None else timestamp)
    return {
        "Content-Type": "application/json",
        EVENT_ID_HEADER: event_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(body, secret, timestamp),
    }


def _header(headers, name):
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


def verify(body, headers, secret, seen_event_ids, now=None, tolerance=300):
    """The event (parsed body) if the request is authentic, fresh and new; otherwise raise
    VerificationError (Replayed for an event id in `seen_event_ids`). The caller records the id."""
    signature = _header(headers, SIGNATURE_HEADER)
    timestamp = _header(headers, TIMESTAMP_HEADER)
    event_id = _header(headers, EVENT_ID_HEADER)
    if not signature or not timestamp or not event_id:
        raise VerificationError(f"Missing {SIGNATURE_HEADER}, {TIMESTAMP_HEADER} or {EVENT_ID_HEADER}")
    try:
        sent_at = int(timestamp)
    except ValueError:
        raise VerificationError(f"{TIMESTAMP_HEADER} is not a Unix time: {timestamp!r}") from None
    if not hmac.compare_digest(_as_bytes(signature), _as_bytes(sign(body, secret, sent_at))):
        raise VerificationError("The signature does not match the body (wrong secret or altered body)")
    age = (time.time() if now is None else now) - sent_at
    if age > tolerance:
        raise VerificationError(f"The event is stale: signed {int(age)} s ago (tolerance {tolerance} s)")
    if age < -tolerance:
        raise VerificationError(f"The event is signed {int(-age)} s in the future (tolerance {tolerance} s)")
    try:
        event = json.loads(body)
    except ValueError:
        raise VerificationError("The body is not JSON") from None
    if not isinstance(event, dict) or event.get("id") != event_id:
        raise VerificationError(f"The body's id does not match {EVENT_ID_HEADER}")
    if event_id in seen_event_ids:
        raise Replayed(f"Event {event_id} was already received")
    return event
