"""An infographic: the picture, its alt text and a full text alternative, a high-resolution download
and crops for social networks."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from cms.api.fields import (
    BASE_PAGE_API_FIELDS,
    ImageValueField,
    RenditionsValueField,
    RenditionValueField,
    RichTextValueField,
)
from cms.blocks import RICH_TEXT_FEATURES
from cms.distribution.models import DistributedPageMixin
from cms.forms import ReadinessPageForm
from cms.models import BasePage
from cms.panels import ReadinessChecklistPanel
from cms.publication import ChecklistItem
from media_pipeline.images import SOCIAL_CROPS, rendition_or_none, renditions_or_none

DOWNLOAD_FILTER = "max-4000x4000|format-png"


class InfographicPage(DistributedPageMixin, BasePage):
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("infographic"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    image_alt = models.CharField(
        _("alt text"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences: what the infographic shows."),
    )
    text_alternative = RichTextField(
        _("text alternative"),
        blank=True,
        features=[*RICH_TEXT_FEATURES, "h2", "h3"],
        help_text=_("Everything the infographic says, as text, for people who cannot see it."),
    )

    base_form_class = ReadinessPageForm
    content_panels = [
        ReadinessChecklistPanel(heading=_("Publication checklist")),
        *BasePage.content_panels,
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading=_("Infographic")),
        FieldPanel("text_alternative"),
    ]
    promote_panels = [*BasePage.promote_panels, *DistributedPageMixin.distribution_panels]
    translatable_fields = [
        *BasePage.translatable_fields,
        *DistributedPageMixin.distribution_fields,
        TranslatableField("image_alt"),
        TranslatableField("text_alternative"),
        SynchronizedField("image"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("image_alt"),
        index.SearchField("text_alternative"),
    ]
    api_fields = [
        *BASE_PAGE_API_FIELDS,
        APIField("image", serializer=ImageValueField("image", alt="image_alt")),
        APIField("text_alternative", serializer=RichTextValueField()),
        APIField("download", serializer=RenditionValueField("download_rendition", image="image")),
        APIField("social_crops", serializer=RenditionsValueField("social_crops", image="image")),
    ]
    parent_page_types = ["plans.PlanPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("infographic")
        verbose_name_plural = _("infographics")

    def get_distribution_payload(self):
        """Channels get the infographic itself, cropped as each page's settings ask."""
        return {**super().get_distribution_payload(), "image": self.image}

    def publish_checklist(self):
        return [
            ChecklistItem("image", _("The infographic image"), self.image_id is not None),
            ChecklistItem("image-alt", _("Alt text for the infographic"), bool(self.image_alt.strip())),
            ChecklistItem(
                "text-alternative", _("A full text alternative"), bool(self.text_alternative.strip())
            ),
        ]

    def social_crops(self):
        """[(name, rendition)] for the four social formats, made on first use and cached by Wagtail."""
        if not self.image:
            return []
        specs = {name: f"{spec}|format-jpeg" for name, spec in SOCIAL_CROPS}
        renditions = renditions_or_none(self.image, *specs.values()) or {}  # {}: the original is missing
        return [(name, renditions[spec]) for name, spec in specs.items() if spec in renditions]

    def plan(self):
        parent = self.get_parent()
        return parent.specific if parent else None

    def key_figures(self):
        """The plan's public KPI series: the generated infographic draws them, and the text alternative
        lists every one of their numbers."""
        from plans import kpi_data

        plan = self.plan()
        return kpi_data.public_plan_series(plan) if plan is not None else []

    def download_rendition(self):
        """A high-resolution PNG copy: the original itself is never public."""
        return rendition_or_none(self.image, DOWNLOAD_FILTER) if self.image else None
