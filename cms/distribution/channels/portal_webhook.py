"""The organization portal's webhook: one signed JSON event per publish, update, unpublish and delete.

POST <target> with {"id", "event", "occurred_at", "page": {"id", "language", "title", "url", "api_url"},
"payload"} and the headers of `cms.distribution.webhook`. The event id is the outbox entry's idempotency
key, so a repeated delivery carries the same id and the portal drops it: delivery is idempotent.
"""

import json
import time
from datetime import UTC, datetime

from django.utils.translation import gettext

from cms.distribution import text, webhook
from cms.distribution.channels.base import ChannelAdapter, Delivered, Permanent, register
from cms.distribution.channels.http import read_json


def _description(body):
    if isinstance(body, dict):
        return body.get("error") or body.get("detail") or body.get("message")
    return None


@register
class PortalWebhookAdapter(ChannelAdapter):
    kind = "portal_webhook"
    required_credentials = ("secret",)
    idempotent = True
    text_limit = caption_limit = 100_000

    def event_body(self, post):
        return {
            "id": post.idempotency_key,
            "event": post.event,
            "occurred_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "page": {
                "id": post.page_id,
                "language": post.language,
                "title": post.title,
                "url": post.url,
                "api_url": post.api_url,
            },
            "payload": post.api_payload,
        }

    def send(self, post):
        if not self.channel.target.startswith(("http://", "https://")):
            raise Permanent(
                gettext("The portal webhook's target is not a URL: %(target)s")
                % {"target": repr(self.channel.target)}
            )
        body = json.dumps(self.event_body(post), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        headers = webhook.signed_headers(body, self.credentials["secret"], post.idempotency_key, time.time())
        response = self.client.post(self.channel.target, content=body, headers=headers)
        if not 200 <= response.status_code < 300:  # any 2xx acknowledges the event, whatever its body
            read_json(response, "The portal", _description)  # raises Retry or Permanent
        return Delivered(
            remote_id=f"page:{post.page_id}", remote_url=post.url, http_status=response.status_code
        )

    def publish(self, post, ctx):
        with ctx.posting():
            return self.send(post)

    def update(self, post, remote, ctx):
        return self.send(post)

    def delete(self, post, remote, ctx):
        return self.send(post)

    def preview(self, post):
        summary = text.clean(post.text) or text.clean(post.title)
        return text.preview(summary, "chars", self.text_limit, None, post.language)
