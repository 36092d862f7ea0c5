"""/api/v2/navigation/: the public site tree of one locale to a requested depth (Plone's @navigation),
and the site menu the portal's header shows (plans, dashboards, media indexes, search, about), so a
headless front end can build the same navigation. Media pages (infographics, podcasts and their
episodes, films) are in the tree under their plans from depth 3."""

from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.api.v2.utils import BadRequestError
from wagtail.models import Page, Site

from cms import visibility
from cms.api.endpoints import PagesEndpoint, PublicEndpointMixin
from cms.api.router import api_router
from cms.links import absolute_url, site_root_url

MAX_DEPTH = 5


class NavigationView(PublicEndpointMixin, APIView):
    """{"locale", "home": link, "items": [link + "children", …], "menu": [{"key", "title", "html_url",
    "children"}]} from the locale's home page down."""

    integer_parameters = ("depth",)

    def initial(self, request, *args, **kwargs):
        request.wagtailapi_router = api_router
        super().initial(request, *args, **kwargs)

    def get(self, request):
        unknown = set(request.GET) - {"locale", "depth"}
        if unknown:
            raise BadRequestError(f"query parameter is not an operation: {', '.join(sorted(unknown))}")
        depth = int(request.GET.get("depth", 2))
        if not 1 <= depth <= MAX_DEPTH:
            raise BadRequestError(f"depth must be between 1 and {MAX_DEPTH}")
        pages = PagesEndpoint(request=request)
        code = request.GET.get("locale", request.LANGUAGE_CODE)
        if code not in pages.locale_codes():
            raise BadRequestError(f"unknown locale: {code}")
        site = Site.find_for_request(request)
        home = (
            site
            and visibility.public_pages(
                Page.objects.filter(translation_key=site.root_page.translation_key), locale=code
            )
            .select_related("locale")
            .first()
        )
        if home is None:
            return Response({"locale": code, "home": None, "items": [], "menu": []})
        tree = (
            visibility.public_pages(Page.objects.descendant_of(home).filter(depth__lte=home.depth + depth))
            .select_related("locale")
            .order_by("path")
        )
        nodes = {home.path: {"children": []}}
        for page in tree:
            node = {**pages.page_link(page), "children": []}
            parent = nodes.get(page.path[: -Page.steplen])
            if parent is not None:  # a public page under a public parent
                parent["children"].append(node)
                nodes[page.path] = node
        items = nodes[home.path]["children"]
        root = site_root_url(home)

        def menu_item(item):
            return {
                "key": item["key"],
                "title": item["title"],
                "html_url": absolute_url(item["url"], root),
                "children": [menu_item(child) for child in item["children"]],
            }

        menu = [menu_item(item) for item in home.specific.menu_links(request)]
        return Response({"locale": code, "home": pages.page_link(home), "items": items, "menu": menu})
