"""Turning a channel's HTTP answer into data or into `Retry` / `Permanent`, the same way for every adapter.

429 → Retry (after the Retry-After header, in seconds or as an HTTP date, or a value the service puts in
its body); 5xx and 408 → Retry; an answer that is not the JSON we expect → Retry (a proxy's error page
or a cut-off body is transient); any other 4xx → Permanent with the service's own description, and so
is a redirect (the configured address is wrong).
"""

import json
import time
from email.utils import parsedate_to_datetime

from cms.distribution.channels.base import Permanent, Retry


def retry_after_seconds(value, now=None):
    """Seconds to wait from a Retry-After value ("120" or an HTTP date), or None when unusable."""
    if value is None or str(value).strip() == "":
        return None
    value = str(value).strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _short(text, size=300):
    text = " ".join((text or "").split())
    return text if len(text) <= size else text[:size] + "…"


def read_json(response, service, describe=None, retry_after=None):
    """The JSON body of a successful answer; otherwise raise Retry or Permanent.

    `describe(body)` returns the service's error message from a parsed error body; `retry_after(body)`
    a wait the service states in its body (e.g. Telegram's parameters.retry_after).
    """
    status = response.status_code
    try:
        body = response.json() if response.content else None
    except (ValueError, json.JSONDecodeError):
        body = None
        parsed = False
    else:
        parsed = True
    detail = (describe(body) if describe and parsed and body is not None else None) or _short(response.text)
    if status == 429:
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        if wait is None and retry_after and parsed and body is not None:
            wait = retry_after(body)
        raise Retry(f"{service} is rate limiting: {detail}", status, wait)
    if status >= 500 or status == 408:
        raise Retry(
            f"{service} answered {status}: {detail}",
            status,
            retry_after_seconds(response.headers.get("Retry-After")),
        )
    if status >= 400:
        raise Permanent(f"{service} refused the request ({status}): {detail}", status)
    if status >= 300:
        raise Permanent(
            f"{service} redirected the request ({status}) to {response.headers.get('Location')}; "
            "set the API address or target it points to",
            status,
        )
    if not parsed:
        raise Retry(
            f"{service} answered {status} with a body that is not JSON: {_short(response.text, 120)}", status
        )
    return body
