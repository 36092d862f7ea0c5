"""The home page of each language tree, the site menu, the about and human sitemap pages (routes of
the home page), and the portal's site-wide settings."""

from django.db import models
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page

from cms import visibility
from cms.api.fields import BASE_PAGE_API_FIELDS
from cms.cache import remembered_object
from cms.distribution.models import DistributedPageMixin
from cms.models import IntroPage
from plans.models import PlanIndexPage
from plans.models.media_common import VisibleRoutesMixin


class HomePage(VisibleRoutesMixin, DistributedPageMixin, IntroPage):
    """The portal's front page: an introduction and the transformation plans.

    `about/` and `sitemap/` are routes of the home page: they carry no editable content of their own
    (the about text is the portal's, translated in the .po files; the sitemap is the public page tree),
    and served through the home page they exist in each language it is public in.
    """

    promote_panels = [*IntroPage.promote_panels, *DistributedPageMixin.distribution_panels]
    translatable_fields = [*IntroPage.translatable_fields, *DistributedPageMixin.distribution_fields]
    api_fields = [*BASE_PAGE_API_FIELDS, APIField("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["plans.PlanIndexPage"]

    class Meta:
        verbose_name = _("home page")

    @cached_property
    def plan_index(self):
        """The public plan index under this home page, if any."""
        return visibility.public_pages(PlanIndexPage.objects.child_of(self)).first()

    def menu_links(self, request=None):
        """The site menu in this page's language: [{"key", "title", "url", "children"}] for the plans,
        the dashboards, the media (with each media index), search and about."""
        with translation.override(self.locale.language_code):
            home_url = self.get_url(request) or f"/{self.locale.language_code}/"
            menu = []
            index = self.plan_index
            if index is not None:
                index_url = index.get_url(request)
                menu += [
                    {"key": "plans", "title": str(_("Plans")), "url": index_url, "children": []},
                    {
                        "key": "dashboards",
                        "title": str(_("Dashboards")),
                        "url": index_url + index.reverse_subpage("dashboards"),
                        "children": [],
                    },
                    {
                        "key": "media",
                        "title": str(_("Media")),
                        "url": index_url + index.reverse_subpage("media_index"),
                        "children": [
                            {"key": kind, "title": str(title), "url": url, "children": []}
                            for kind, title, url in index.media_links()
                        ],
                    },
                ]
            menu += [
                # The search page is the search app's (`/<language>/search/`, parameter `q`).
                {
                    "key": "search",
                    "title": str(_("Search")),
                    "url": f"/{self.locale.language_code}/search/",
                    "children": [],
                },
                {
                    "key": "about",
                    "title": str(_("About")),
                    "url": home_url + self.reverse_subpage("about"),
                    "children": [],
                },
            ]
        return menu

    def sitemap_tree(self, request=None):
        """The public pages of this language as a tree of {"title", "url", "children"}, with the route
        pages (media indexes, dashboards, about) where they hang."""
        pages = (
            visibility.public_pages(Page.objects.descendant_of(self)).defer_streamfields().order_by("path")
        )
        root = {"title": self.title, "url": self.get_url(request), "children": []}
        nodes = {self.path: root}
        for page in pages:
            parent = nodes.get(page.path[: -Page.steplen])
            if parent is None:  # under a page that is not public
                continue
            node = {"title": page.title, "url": page.get_url(request), "children": []}
            parent["children"].append(node)
            nodes[page.path] = node
        index = self.plan_index
        if index is not None and index.path in nodes:
            links = {item["key"]: item for item in self.menu_links(request)}
            nodes[index.path]["children"] += [
                {"title": links["dashboards"]["title"], "url": links["dashboards"]["url"], "children": []},
                {
                    "title": links["media"]["title"],
                    "url": links["media"]["url"],
                    "children": [
                        {"title": child["title"], "url": child["url"], "children": []}
                        for child in links["media"]["children"]
                    ],
                },
            ]
        with translation.override(self.locale.language_code):
            root["children"].append(
                {
                    "title": str(_("About")),
                    "url": self.get_url(request) + self.reverse_subpage("about"),
                    "children": [],
                }
            )
        return root

    @path("about/")
    def about(self, request):
        return self.render(
            request,
            template="home/about.html",
            context_overrides={
                "route_title": _("About this portal"),
                "route_subpath": self.reverse_subpage("about"),
            },
        )

    @path("sitemap/")
    def sitemap(self, request):
        return self.render(
            request,
            template="home/sitemap.html",
            context_overrides={
                "route_title": _("Sitemap"),
                "route_subpath": self.reverse_subpage("sitemap"),
                "tree": self.sitemap_tree(request),
            },
        )


@register_setting(icon="cog")
class PortalSettings(BaseSiteSetting):
    """Branding and display choices for the public portal."""

    @classmethod
    def for_site(cls, site):
        """Wagtail's, remembered (`cms.cache.remembered_object`): every portal page shows the name."""
        if site is None:
            return super().for_site(site)
        read = super().for_site
        return remembered_object(f"portal-settings:{site.pk}", lambda: read(site))

    MONEY_UNITS = [("rial", _("Rials")), ("toman", _("Tomans (10 rials)"))]

    organization_name_fa = models.CharField(
        _("organization name (Persian)"), max_length=200, default="سازمان تأمین اجتماعی"
    )
    organization_name_en = models.CharField(
        _("organization name (English)"),
        max_length=200,
        default="Social Security Organization of Iran",
    )
    money_unit = models.CharField(
        _("show amounts in"),
        max_length=10,
        choices=MONEY_UNITS,
        default="rial",
        help_text=_("Amounts are stored in rials; choose how the portal shows them."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("emblem"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The organization's emblem on the covers of the generated PDFs, e-books and decks."),
    )

    panels = [
        FieldPanel("organization_name_fa"),
        FieldPanel("organization_name_en"),
        FieldPanel("money_unit"),
        FieldPanel("logo"),
    ]

    class Meta:
        verbose_name = _("portal settings")
