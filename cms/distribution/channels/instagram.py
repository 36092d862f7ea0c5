"""Instagram through the Graph API's content publishing (developers.facebook.com/docs/instagram-platform).

1. POST /{ig-user-id}/media with image_url (a public JPEG Meta fetches) or media_type=REELS and
   video_url, plus caption (≤2,200 characters, ≤30 hashtags) → a container id, kept in the entry's state
   before anything else so a crashed worker can look it up;
2. GET /{container-id}?fields=status_code until FINISHED (IN_PROGRESS while a video is processed;
   ERROR and EXPIRED — unpublished after 24 h — end it);
3. GET /{ig-user-id}/content_publishing_limit (the rolling 24-hour quota), then
   POST /{ig-user-id}/media_publish?creation_id=<container> → the media id; its permalink is read after.
`reconcile()` asks the container: PUBLISHED means the post exists (found again by its caption in the
account's recent media), anything else means publishing again is safe. Captions cannot be edited through
the API. Deleting is DELETE /{ig-media-id} (Facebook Login accounts; Meta answers an error otherwise).
The access token goes in the access_token parameter, as every Graph API example does.
"""

import time

from django.utils.translation import gettext

from cms.distribution import text
from cms.distribution.channels.base import ChannelAdapter, Delivered, Permanent, Retry, register
from cms.distribution.channels.http import read_json

TRANSIENT_CODES = {1, 2, 4, 17, 32, 341, 613}


def _description(body):
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        return error.get("error_user_msg") or error.get("message")
    return None


@register
class InstagramAdapter(ChannelAdapter):
    kind = "instagram"
    default_base_url = "https://graph.facebook.com/v25.0"
    required_credentials = ("token",)
    text_limit = caption_limit = 2200
    max_hashtags = 30
    poll_interval = 3.0  # seconds between container status checks
    poll_attempts = 20
    quota_wait = 3600  # seconds to wait when the 24-hour publishing quota is used up

    def request(self, method, path, **params):
        params["access_token"] = self.credentials["token"]
        url = f"{self.base_url}/{path.lstrip('/')}"
        if method == "GET":
            response = self.client.get(url, params=params)
        elif method == "DELETE":
            response = self.client.delete(url, params=params)
        else:
            response = self.client.post(url, data=params)
        if response.status_code >= 400:
            self.raise_if_transient(response)
        return read_json(response, "Instagram", _description)

    @staticmethod
    def raise_if_transient(response):
        """Graph API errors that pass: throttling (codes 4, 17, 32, 613), "is_transient", and a container
        not ready yet (9007 / 2207027). They come as 4xx, so the generic mapping would make them final."""
        try:
            error = response.json().get("error") or {}
        except (ValueError, AttributeError):
            return
        if (
            error.get("is_transient")
            or error.get("code") in TRANSIENT_CODES
            or (error.get("code"), error.get("error_subcode")) == (9007, 2207027)
        ):
            raise Retry(f"Instagram: {error.get('message', 'try again later')}", response.status_code)

    def caption(self, post):
        return text.compose_plain(post, self.caption_limit, "chars", self.max_hashtags)

    def container_params(self, post):
        if post.video is not None:
            return {"media_type": "REELS", "video_url": post.video.url}
        if post.image is None:
            raise Permanent(gettext("Instagram needs an image: this page has no public image or video"))
        if post.image.content_type != "image/jpeg":
            raise Permanent(
                gettext("Instagram takes only JPEG images, not %(type)s") % {"type": post.image.content_type}
            )
        return {"image_url": post.image.url}

    def container_status(self, container_id):
        return self.request("GET", container_id, fields="status_code,status").get("status_code")

    def wait_until_finished(self, container_id, ctx):
        for attempt in range(self.poll_attempts):
            status = self.container_status(container_id)
            if status in ("FINISHED", "PUBLISHED"):
                return status
            if status == "ERROR":
                ctx.state.pop("container_id", None)
                ctx.save_state()
                raise Permanent(
                    gettext("Instagram could not process the media (container %(id)s)") % {"id": container_id}
                )
            if status == "EXPIRED":
                ctx.state.pop("container_id", None)
                ctx.save_state()
                raise Retry(
                    gettext("Instagram's container %(id)s expired; a new one will be made")
                    % {"id": container_id}
                )
            if attempt + 1 < self.poll_attempts:
                time.sleep(self.poll_interval)
        raise Retry(
            gettext("Instagram is still processing container %(id)s") % {"id": container_id}, retry_after=60
        )

    def check_quota(self):
        answer = self.request(
            "GET", f"{self.channel.target}/content_publishing_limit", fields="quota_usage,config"
        )
        rows = answer.get("data") or []
        if rows:
            usage = rows[0].get("quota_usage") or 0
            total = (rows[0].get("config") or {}).get("quota_total")
            if total is not None and usage >= total:
                raise Retry(
                    gettext("Instagram's publishing quota is used up (%(usage)s/%(total)s in 24 hours)")
                    % {"usage": usage, "total": total},
                    retry_after=self.quota_wait,
                )

    def permalink(self, media_id):
        try:
            return self.request("GET", media_id, fields="permalink").get("permalink", "")
        except (Retry, Permanent):
            return ""  # the post is out; its link can be looked up later

    def publish(self, post, ctx):
        params = self.container_params(post)
        container_id = ctx.state.get("container_id")
        if not container_id:
            answer = self.request(
                "POST", f"{self.channel.target}/media", caption=self.caption(post), **params
            )
            container_id = answer.get("id")
            if not container_id:
                raise Retry(gettext("Instagram returned no container id"))
            ctx.state["container_id"] = container_id
            ctx.save_state()
        if self.wait_until_finished(container_id, ctx) == "PUBLISHED":
            found = self.reconcile(post, ctx)
            if found is not None:
                return found
        self.check_quota()
        with ctx.posting():
            answer = self.request("POST", f"{self.channel.target}/media_publish", creation_id=container_id)
        media_id = answer.get("id")
        if not media_id:
            raise Retry(gettext("Instagram published the container but returned no media id"))
        return Delivered(remote_id=media_id, remote_url=self.permalink(media_id))

    def reconcile(self, post, ctx):
        container_id = ctx.state.get("container_id")
        if not container_id or self.container_status(container_id) != "PUBLISHED":
            return None  # nothing was published from this entry: publishing again is safe
        caption = self.caption(post)
        recent = self.request("GET", f"{self.channel.target}/media", fields="id,caption,permalink", limit=25)
        for media in recent.get("data") or []:
            if media.get("caption") == caption:
                return Delivered(remote_id=media["id"], remote_url=media.get("permalink", ""))
        return Delivered(
            detail=f"Container {container_id} is published; its post was not found among "
            "the account's 25 latest"
        )

    def delete(self, post, remote, ctx):
        answer = self.request("DELETE", remote.remote_id)
        if isinstance(answer, dict) and answer.get("success") is False:
            raise Permanent(gettext("Instagram did not delete %(id)s") % {"id": remote.remote_id})
        return Delivered(remote_id=remote.remote_id)

    def preview(self, post):
        media = "video" if post.video is not None else "photo" if post.image is not None else None
        shown = text.preview(self.caption(post), "chars", self.caption_limit, media, post.language)
        if media is None:  # what publishing would refuse (`container_params`), said before it is tried
            shown["refusal"] = gettext(
                "Instagram does not take a post without an image or a video: give the page a public "
                "image (its social or hero image) or a video, or turn Instagram off for this page."
            )
        return shown
