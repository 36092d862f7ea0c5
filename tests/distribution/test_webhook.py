"""The portal webhook's signature: what the sender signs and what a receiver must refuse."""

import hashlib
import hmac
import json

import pytest

from cms.distribution import webhook

SECRET = "portal-shared-secret"
NOW = 1_790_000_000


def signed(event_id="evt-1", body=None, secret=SECRET, timestamp=NOW):
    body = body if body is not None else json.dumps({"id": event_id, "event": "publish"}).encode()
    return body, webhook.signed_headers(body, secret, event_id, timestamp)


def test_signature_is_hmac_sha256_over_timestamp_dot_body():
    body = '{"id":"evt-1","title":"بیمه‌شدگان"}'.encode()
    expected = hmac.new(SECRET.encode(), f"{NOW}.".encode() + body, hashlib.sha256).hexdigest()
    assert webhook.sign(body, SECRET, NOW) == "sha256=" + expected
    assert webhook.sign(body.decode(), SECRET, NOW) == "sha256=" + expected  # str and bytes agree


def test_headers():
    _, headers = signed()
    assert headers["X-Revayat-Event-Id"] == "evt-1"
    assert headers["X-Revayat-Timestamp"] == str(NOW)
    assert headers["X-Revayat-Signature"].startswith("sha256=")
    assert headers["Content-Type"] == "application/json"


def test_a_genuine_event_is_accepted_whatever_the_header_case():
    body, headers = signed()
    lower = {key.lower(): value for key, value in headers.items()}
    assert webhook.verify(body, lower, SECRET, set(), now=NOW + 10) == {"id": "evt-1", "event": "publish"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda body, headers: (body.replace(b"publish", b"delete!"), headers), "does not match"),
        (
            lambda body, headers: (body, {**headers, "X-Revayat-Signature": "sha256=" + "0" * 64}),
            "does not match",
        ),
        (lambda body, headers: (body, {**headers, "X-Revayat-Timestamp": str(NOW - 1)}), "does not match"),
        (
            lambda body, headers: (body, {k: v for k, v in headers.items() if k != "X-Revayat-Signature"}),
            "Missing",
        ),
        (lambda body, headers: (body, {**headers, "X-Revayat-Timestamp": "yesterday"}), "not a Unix time"),
    ],
)
def test_tampered_requests_are_refused(change, message):
    body, headers = change(*signed())
    with pytest.raises(webhook.VerificationError, match=message):
        webhook.verify(body, headers, SECRET, set(), now=NOW)


def test_wrong_secret_is_refused():
    body, headers = signed(secret="another-secret")
    with pytest.raises(webhook.VerificationError, match="wrong secret"):
        webhook.verify(body, headers, SECRET, set(), now=NOW)


def test_stale_and_future_events_are_refused():
    body, headers = signed()
    webhook.verify(body, headers, SECRET, set(), now=NOW + 300)  # the edge of the tolerance
    with pytest.raises(webhook.VerificationError, match="stale"):
        webhook.verify(body, headers, SECRET, set(), now=NOW + 301)
    with pytest.raises(webhook.VerificationError, match="future"):
        webhook.verify(body, headers, SECRET, set(), now=NOW - 301)


def test_replayed_event_is_refused_as_a_replay():
    body, headers = signed()
    seen = {"evt-1"}
    with pytest.raises(webhook.Replayed, match="already received"):
        webhook.verify(body, headers, SECRET, seen, now=NOW)


def test_body_id_must_match_the_header():
    body, headers = signed(event_id="evt-1", body=json.dumps({"id": "evt-2"}).encode())
    with pytest.raises(webhook.VerificationError, match="id does not match"):
        webhook.verify(body, headers, SECRET, set(), now=NOW)
