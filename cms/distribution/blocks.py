"""The per-page distribution settings: which channels, the text each one gets, and the image crop."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from media_pipeline.images import SOCIAL_CROPS

CROP_CHOICES = [
    ("square", _("Square 1080×1080")),
    ("portrait", _("Portrait 1080×1350")),
    ("story", _("Story 1080×1920")),
    ("link", _("Link 1200×630")),
]
CROP_SPECS = dict(SOCIAL_CROPS)


class ChannelPostBlock(blocks.StructBlock):
    """One channel for this page: post to it (or not, against a default rule), with its own text."""

    channel = SnippetChooserBlock("distribution.Channel", label=_("Channel"))
    send = blocks.BooleanBlock(
        label=_("Post to this channel"),
        required=False,
        default=True,
        help_text=_("Untick to keep this page off a channel a default rule would post it to."),
    )
    text = blocks.TextBlock(
        label=_("Text for this channel"),
        required=False,
        help_text=_("Empty: the page's summary. The link and hashtags are added after it."),
    )
    crop = blocks.ChoiceBlock(label=_("Image crop"), choices=CROP_CHOICES, default="square")

    class Meta:
        icon = "globe"
        label = _("Channel")
