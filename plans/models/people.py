"""Reusable, translatable snippets: organization units, people and upstream documents."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import TranslatableMixin
from wagtail.search import index

from cms.i18n import CleanTitlesMixin


class OrganizationUnit(CleanTitlesMixin, TranslatableMixin, index.Indexed, models.Model):
    """A unit of the organization (deputy, office, centre) that leads or partners in a plan."""

    title_fields = ("name",)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("organization unit")
        verbose_name_plural = _("organization units")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Person(CleanTitlesMixin, TranslatableMixin, index.Indexed, models.Model):
    """A senior manager or team member named in plan reports."""

    title_fields = ("name", "position")
    name = models.CharField(_("name"), max_length=255)
    position = models.CharField(_("position"), max_length=255, blank=True)
    unit = models.ForeignKey(
        OrganizationUnit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )

    panels = [FieldPanel("name"), FieldPanel("position"), FieldPanel("unit")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self):
        return self.name


class UpstreamDocument(CleanTitlesMixin, TranslatableMixin, index.Indexed, models.Model):
    """A higher-level policy or law a plan implements (general policies, development plan, …)."""

    title = models.CharField(_("title"), max_length=255)
    issuer = models.CharField(_("issuer"), max_length=255, blank=True)
    year = models.CharField(_("year"), max_length=20, blank=True)
    url = models.URLField(_("URL"), blank=True)

    panels = [FieldPanel("title"), FieldPanel("issuer"), FieldPanel("year"), FieldPanel("url")]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("upstream document")
        verbose_name_plural = _("upstream documents")
        ordering = ["title"]

    def __str__(self):
        return self.title
