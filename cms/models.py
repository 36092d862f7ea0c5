"""The base page every Revayat content type extends, and its publish-readiness guard.

A content type declares what it needs before it may go live by overriding `publish_checklist()`;
`publish()` refuses a revision whose checklist is not complete, whichever path publishes it
(the editor, a workflow approval, a scheduled go-live, a translation sync or a script).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from cms import visibility
from cms.api.preview import HeadlessPreview
from cms.cache import FRAGMENT_TIMEOUT, content_version
from cms.distribution.blocks import ChannelPostBlock


@dataclass(frozen=True)
class ChecklistItem:
    """One publish-readiness requirement and whether the page meets it."""

    code: str
    label: str
    done: bool


class PublishBlockedError(ValidationError):
    """Raised when a revision that misses a mandatory element is published."""

    def __init__(self, missing):
        self.missing = list(missing)
        super().__init__(
            [ValidationError(item.label, code=item.code) for item in self.missing]
        )


class BasePage(HeadlessPreview, Page):
    """Title, summary, hero and social image, and the publish-readiness contract."""

    summary = models.TextField(
        _("summary"), blank=True,
        help_text=_("Two or three sentences shown in listings, search results and link previews."),
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("hero image"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    hero_image_alt = models.CharField(
        _("hero image alt text"), max_length=300, blank=True,
        help_text=_("Describe the image for people who cannot see it; leave empty if decorative."),
    )
    social_image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("social image"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("Shown when the page is shared; the hero image is used when empty."),
    )
    distribution = StreamField(
        [("channel", ChannelPostBlock())], verbose_name=_("distribution"), blank=True, default=list,
        help_text=_("Channels this page is posted to besides the default rules, with their own text."),
    )

    content_panels = [*Page.content_panels, FieldPanel("summary")]
    promote_panels = [
        *Page.promote_panels,
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("hero_image_alt"), FieldPanel("social_image")],
            heading=_("Images"),
        ),
        FieldPanel("distribution", heading=_("Distribution")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]

    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        TranslatableField("summary"),
        TranslatableField("hero_image_alt"),
        SynchronizedField("slug"),
        SynchronizedField("hero_image"),
        SynchronizedField("social_image"),
        SynchronizedField("distribution", overridable=True),
    ]

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        if not visibility.servable(self):
            raise Http404
        return super().serve(request, *args, **kwargs)

    def get_view_restrictions(self):
        """Those of its translation source and of the page it is an alias of too (`cms.visibility`)."""
        return visibility.view_restrictions(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["content_version"] = content_version()
        context["fragment_timeout"] = FRAGMENT_TIMEOUT
        return context

    def publish_checklist(self):
        """What this page needs before it may be published; content types extend it."""
        return []

    def missing_for_publication(self):
        """The checklist items that are not done yet."""
        return [item for item in self.publish_checklist() if not item.done]

    def get_distribution_payload(self):
        """What channels post about this page; content types with audio, video or a better image extend it.

        {"title", "text", "image": Image or None, "audio": MediaItem or None, "video": MediaItem or None,
        "hashtags": [str]}
        """
        return {"title": self.title, "text": self.summary, "image": self.social_image or self.hero_image,
                "audio": None, "video": None, "hashtags": []}

    def publish(self, revision, *args, **kwargs):
        missing = revision.as_object().missing_for_publication()
        if missing:
            raise PublishBlockedError(missing)
        with transaction.atomic():  # the page goes live together with its distribution outbox rows
            return super().publish(revision, *args, **kwargs)


# The workflow's models live in their sub-package; importing them here registers them with the cms app.
from cms.distribution.models import (  # noqa: E402, F401
    Attempt,
    Channel,
    DistributionRule,
    OutboxEntry,
    RemotePost,
)
from cms.workflow.models import WrittenApprovalTask, WrittenApprovalTaskState  # noqa: E402, F401
