"""The shared reading of a channel's HTTP answer (cms.distribution.channels.http)."""

import httpx
import pytest

from cms.distribution.channels.base import Permanent, Retry
from cms.distribution.channels.http import read_json, retry_after_seconds


def answer(status, body=b"", **headers):
    return httpx.Response(status, content=body, headers=headers)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120),
        ("0", 0),
        ("1.5", 1.5),
        ("-3", 0),
        ("soon", None),
        ("", None),
        (None, None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 60),  # an HTTP date, a minute after "now"
        ("Wed, 21 Oct 2015 07:26:00 GMT", 0),  # already past
    ],
)
def test_retry_after_in_seconds_or_as_an_http_date(value, seconds):
    now = 1445412420  # 2015-10-21 07:27:00 UTC
    assert retry_after_seconds(value, now=now) == seconds


def test_success_returns_the_json_and_an_empty_body_is_none():
    assert read_json(answer(200, b'{"ok": true}'), "S") == {"ok": True}
    assert read_json(answer(204), "S") is None


def test_429_uses_the_header_then_the_body():
    with pytest.raises(Retry) as raised:
        read_json(answer(429, b'{"wait": 9}', **{"Retry-After": "30"}), "S", retry_after=lambda b: b["wait"])
    assert raised.value.retry_after == 30
    with pytest.raises(Retry) as raised:
        read_json(answer(429, b'{"wait": 9}'), "S", retry_after=lambda b: b["wait"])
    assert raised.value.retry_after == 9


@pytest.mark.parametrize("status", [500, 502, 503, 504, 408])
def test_server_errors_and_request_timeout_are_retried(status):
    with pytest.raises(Retry) as raised:
        read_json(answer(status, b"<html>Bad Gateway</html>"), "S")
    assert raised.value.http_status == status and "Bad Gateway" in raised.value.reason


def test_client_errors_are_permanent_with_the_services_description():
    with pytest.raises(Permanent, match=r"S refused the request \(400\): chat not found"):
        read_json(answer(400, b'{"description": "chat not found"}'), "S", describe=lambda b: b["description"])


def test_a_body_that_is_not_json_is_retried():
    with pytest.raises(Retry, match="not JSON"):
        read_json(answer(200, b"<html>captive portal</html>"), "S")
