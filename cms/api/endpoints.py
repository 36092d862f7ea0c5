"""The API's endpoints: pages, images and documents on Wagtail API v2, filtered through `cms.visibility`.

`PublicEndpointMixin` gives every endpoint (media included, see `cms.api.router`) the same HTTP behaviour:
query strings checked before any query runs (400 with `{"message": …}`), JSON errors for every failure,
a strong ETag with conditional GET (304), `Last-Modified` where known, and `Cache-Control` for public content.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.db.models import ForeignKey, Prefetch, Q
from django.http import Http404
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from rest_framework.exceptions import APIException
from rest_framework.fields import Field
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from wagtail.api.v2.filters import LocaleFilter
from wagtail.api.v2.serializers import PageParentField, PageSerializer
from wagtail.api.v2.utils import BadRequestError, get_object_detail_url
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet
from wagtail.coreutils import resolve_model_string
from wagtail.documents.api.v2.serializers import DocumentSerializer
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.v2.serializers import ImageSerializer
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Locale, Page, Site

from cms import visibility
from cms.api import values
from cms.api.fields import DeliverablesField
from cms.cache import FRAGMENT_TIMEOUT, cache_is_shared, conditional_get, content_version
from media_pipeline.models import MediaItem

logger = logging.getLogger(__name__)

MAX_ID = 2**31 - 1
MAX_PARAMETER_LENGTH = 500
MAX_FIELDS_DEPTH = 2
ID_PARAMETERS = ("child_of", "descendant_of", "ancestor_of", "translation_of", "id")


def check_query_string(request, integer_parameters=ID_PARAMETERS):
    """Reject malformed query strings before any database query (a 400 with a message)."""
    for key, items in request.GET.lists():
        if len(items) > 1:
            raise BadRequestError(f"query parameter is given more than once: {key}")
        value = items[0]
        if "\x00" in key or "\x00" in value:
            raise BadRequestError("null characters are not allowed in the query string")
        if len(value) > MAX_PARAMETER_LENGTH:
            raise BadRequestError(f"{key} is longer than {MAX_PARAMETER_LENGTH} characters")
    for key in (*integer_parameters, "limit", "offset"):
        value = request.GET.get(key)
        if value is None or (value == "root" and key != "id"):
            continue
        if not (value.isascii() and value.isdigit()) or int(value) > MAX_ID:
            raise BadRequestError(f"{key} must be a positive integer")
    if request.GET.get("search_operator", "and") not in ("and", "or"):
        raise BadRequestError("search_operator must be 'and' or 'or'")
    fields, depth = request.GET.get("fields", ""), 0
    for char in fields:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth > MAX_FIELDS_DEPTH:
            raise BadRequestError(f"fields error: nested deeper than {MAX_FIELDS_DEPTH} levels")


def language_roots(site):
    """The paths of the site's root page in every language, kept under the content version (a publish,
    move or delete of one makes a new version)."""
    key = f"revayat:language-roots:{content_version()}:{site.pk}"
    roots = Page.objects.filter(translation_key=site.root_page.translation_key)
    return cache.get_or_set(key, lambda: list(roots.values_list("path", flat=True)), FRAGMENT_TIMEOUT)


class PublicEndpointMixin:
    """JSON only, checked query strings, JSON errors, conditional GET and cache headers."""

    renderer_classes = [JSONRenderer]
    integer_parameters = ID_PARAMETERS

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        check_query_string(request, self.integer_parameters)
        if int(kwargs.get("pk") or 0) > MAX_ID:
            raise Http404("not found")

    def handle_exception(self, exc):
        if isinstance(exc, Http404):
            return Response({"message": str(exc) or "not found"}, status=404)
        if isinstance(exc, BadRequestError):
            return Response({"message": str(exc)}, status=400)
        if isinstance(exc, APIException):
            response = super().handle_exception(exc)
            response.data = {"message": str(exc.detail)}
            return response
        logger.exception("API error on %s", self.request.get_full_path())
        return Response({"message": "internal server error"}, status=500)

    def last_modified(self):
        """When the response's content last changed, if known (detail views)."""
        return None

    def cache_control(self):
        return {"public": True, "max_age": settings.REVAYAT_API_CACHE_SECONDS}

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        last_modified = self.last_modified() if getattr(self, "action", None) == "detail_view" else None
        if last_modified:
            response["Last-Modified"] = http_date(last_modified.timestamp())
        patch_cache_control(response, **self.cache_control())
        return conditional_get(request, response)


class StrictLocaleFilter(LocaleFilter):
    """?locale= with an unknown language code is a bad request (400), not a missing page; a known one
    filters by the id read with the codes (Wagtail's filter would read the locale again)."""

    def filter_queryset(self, request, queryset, view):
        code = request.GET.get("locale")
        if code is None:
            return queryset
        locale_id = view.locale_ids().get(code)
        if locale_id is None:
            raise BadRequestError(f"unknown locale: {code}")
        child_of = getattr(queryset, "_filtered_by_child_of", None)
        queryset = queryset.filter(locale_id=locale_id)
        if child_of:  # Wagtail's ChildOfFilter marks the queryset; keep the mark as LocaleFilter does
            queryset._filtered_by_child_of = child_of
        return queryset


class ComponentField(Field):
    """A Plone-style component of a page, computed by the view (batched over the whole response)."""

    def __init__(self, component, **kwargs):
        self.component = component
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, page):
        return getattr(self.context["view"], self.component)(page)


class ParentField(PageParentField):
    """The public parent, taken from the ancestors the view reads for the breadcrumbs (Wagtail's asks the
    database twice: for the parent, then whether it is in the public queryset)."""

    def get_attribute(self, instance):
        return self.context["view"].parent_of(instance)


class RevayatPageSerializer(PageSerializer):
    """Wagtail's page serializer, serializing each page in its own language."""

    parent = ParentField(read_only=True)
    translations = ComponentField("translations_of")
    breadcrumbs = ComponentField("breadcrumbs_of")
    deliverables = DeliverablesField()

    def to_representation(self, instance):
        language = instance.locale.language_code
        self.context["serialization"] = values.Serialization(
            self.context["request"], language, self.context.get("_wagtail_rich_text_format")
        )
        with translation.override(language):
            return super().to_representation(instance)


class PagesEndpoint(PublicEndpointMixin, PagesAPIViewSet):
    """/api/v2/pages/: public pages of the site in every locale, with typed fields per page type."""

    base_serializer_class = RevayatPageSerializer
    filter_backends = [
        StrictLocaleFilter if backend is LocaleFilter else backend
        for backend in PagesAPIViewSet.filter_backends
    ]
    known_query_parameters = PagesAPIViewSet.known_query_parameters - {"site"}
    meta_fields = [
        *PagesAPIViewSet.meta_fields,
        "last_published_at",
        "translations",
        "breadcrumbs",
        "deliverables",
    ]
    detail_only_fields = [*PagesAPIViewSet.detail_only_fields, "breadcrumbs"]

    @classmethod
    def get_listing_default_fields(cls, model):
        return [*super().get_listing_default_fields(model), "last_published_at"]

    def locale_ids(self):
        """{language code: locale id}, read once per request."""
        if not hasattr(self, "_locale_ids"):
            self._locale_ids = dict(Locale.objects.values_list("language_code", "pk"))
        return self._locale_ids

    def locale_codes(self):
        return self.locale_ids().keys()

    def get_base_queryset(self):
        """Public pages of this request's site, in every language tree."""
        if not hasattr(self, "_base_queryset"):
            site = Site.find_for_request(self.request)
            if site is None:
                self._base_queryset = Page.objects.none()
            else:
                trees = Q()
                for path in language_roots(site):
                    trees |= Q(path__startswith=path)
                self._base_queryset = visibility.public_pages(Page.objects.filter(trees))
        return self._base_queryset

    def get_queryset(self):
        queryset = super().get_queryset()
        if queryset.model is Page:
            # Searching needs a plain queryset: the visibility filters use unindexed fields.
            queryset = Page.objects.filter(pk__in=queryset.values("pk"))
        return self.optimize(queryset).order_by("path")

    def optimize(self, queryset, single=False):
        """Load what the serializers read in bulk: locales, chosen snippets, images with renditions, media
        with outputs and subtitles. A single page joins its images instead (their renditions are in
        Wagtail's rendition cache after the first reading)."""
        model = queryset.model
        related = ["locale", *getattr(model, "api_select_related", ())]
        prefetch = []
        for field in self.get_body_fields(model):
            try:
                model_field = model._meta.get_field(field.name)
            except FieldDoesNotExist:  # a computed field (deliverables, sections, …)
                continue
            if not isinstance(model_field, ForeignKey):
                continue
            if model_field.related_model is get_image_model() and not single:
                images = get_image_model().objects.prefetch_renditions(*values.rendition_specs().values())
                prefetch.append(Prefetch(field.name, queryset=images))
            elif model_field.related_model is MediaItem:
                media = MediaItem.objects.prefetch_related("outputs", "subtitles")
                prefetch.append(Prefetch(field.name, queryset=media))
            else:
                related.append(field.name)
        return queryset.select_related(*related).prefetch_related(*prefetch)

    def listing_view(self, request):
        queryset = self.get_queryset()
        self.check_query_parameters(queryset)
        queryset = self.filter_queryset(queryset)
        self.api_objects = list(self.paginate_queryset(queryset))
        serializer = self.get_serializer(self.api_objects, many=True)
        return self.get_paginated_response(serializer.data)

    def public_row(self):
        """The requested page as the door lets the public see it (a `Page`, one query): an expired,
        unpublished or restricted page is a 404 here, before any cached JSON is looked at."""
        return BaseAPIViewSet.get_object(self)

    def get_object(self):
        """The page as its own type with what its serializer reads loaded in bulk (`optimize`)."""
        if not hasattr(self, "_page"):
            row = self.public_row()
            model = row.specific_class or Page
            self._page = self.optimize(model.objects.filter(pk=row.pk), single=True).get()
            self.api_objects = [self._page]
        return self._page

    def detail_view(self, request, pk):
        """The page's JSON, kept per live revision and content version when every process shares the
        cache (Redis): a publish makes a new revision, a snippet, image, collection or privacy save a
        new content version. With a per-process cache another process's save would go unseen, so the
        JSON is made anew each time."""
        if not cache_is_shared():
            return super().detail_view(request, pk)
        row = self.public_row()
        key = ":".join(
            (
                "revayat:api-page",
                content_version(),
                str(row.pk),
                str(row.live_revision_id),
                request.scheme,
                request.get_host(),
                request.GET.urlencode(),
            )
        )
        data = cache.get(key)
        if data is None:
            data = self.get_serializer(self.get_object()).data
            cache.set(key, data, FRAGMENT_TIMEOUT)
        return Response(data)

    def last_modified(self):
        return self.public_row().last_published_at

    # Components --------------------------------------------------------------------------
    def page_link(self, page):
        """{id, type, title, locale, html_url, api_url} of a page."""
        return {
            "id": page.pk,
            "type": page.specific_class._meta.label if page.specific_class else None,
            "title": page.title,
            "locale": page.locale.language_code,
            "html_url": page.get_full_url(self.request),
            "api_url": get_object_detail_url(self.request.wagtailapi_router, self.request, Page, page.pk),
        }

    def translations_of(self, page):
        """The same page in the other locales it is public in (Plone's @translations)."""
        if not hasattr(self, "_translations"):
            pages = getattr(self, "api_objects", [page])
            keys = {item.translation_key for item in pages}
            versions = {}
            for version in (
                visibility.public_pages(Page.objects.filter(translation_key__in=keys))
                .select_related("locale")
                .order_by("locale__language_code")
            ):
                versions.setdefault(version.translation_key, []).append(version)
            self._translations = versions
        return [
            self.page_link(version)
            for version in self._translations.get(page.translation_key, [])
            if version.pk != page.pk
        ]

    def child_of_type(self, page, child_type):
        """The first public child of `page` of the given type (looked up for the whole response at once)."""
        if not page.path:  # a new page being previewed has no place in the tree yet
            return None
        cache = self.__dict__.setdefault("_children", {})
        if child_type not in cache:
            parents = getattr(self, "api_objects", [page])
            trees = Q()
            for parent in parents:
                trees |= Q(path__startswith=parent.path, depth=parent.depth + 1)
            children = {}
            model = resolve_model_string(child_type)
            found = visibility.public_pages(model.objects.filter(trees)).select_related("locale")
            for child in found.order_by("-path"):
                children[child.path[: -Page.steplen]] = child
            cache[child_type] = children
        return cache[child_type].get(page.path)

    def ancestors_of(self, page):
        """The page and its public ancestors from the language's home page down (one query per page)."""
        if not page.path:
            return []
        remembered = self.__dict__.setdefault("_ancestors", {})
        if page.pk not in remembered:
            site = Site.find_for_request(self.request)
            home_depth = site.root_page.depth if site else 2
            ancestors = Page.objects.ancestor_of(page, inclusive=True).filter(depth__gte=home_depth)
            ancestors = visibility.public_pages(ancestors).select_related("locale").order_by("depth")
            remembered[page.pk] = list(ancestors)
        return remembered[page.pk]

    def parent_of(self, page):
        """The public parent of `page`, or None for a language's home page."""
        parents = [item for item in self.ancestors_of(page) if item.depth == page.depth - 1]
        return parents[0] if parents else None

    def breadcrumbs_of(self, page):
        """The path from the language's home page down to this page (Plone's @breadcrumbs)."""
        return [self.page_link(item) for item in self.ancestors_of(page)]


class TagNamesField(Field):
    """Tags as a sorted list of names, read from the prefetched tags (no query per object)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return sorted(tag.name for tag in obj.tags.all())


class RenditionsField(Field):
    """An image's renditions, as on pages: {name: {url, width, height}}."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, image):
        serialization = values.Serialization(self.context["request"], settings.LANGUAGE_CODE)
        data = values.image_json(image, serialization)
        return data and data["renditions"]


class RevayatImageSerializer(ImageSerializer):
    tags = TagNamesField()
    renditions = RenditionsField()


class RevayatDocumentSerializer(DocumentSerializer):
    tags = TagNamesField()


class ImagesEndpoint(PublicEndpointMixin, ImagesAPIViewSet):
    """/api/v2/images/: images outside restricted collections, with renditions."""

    base_serializer_class = RevayatImageSerializer
    meta_fields = [*ImagesAPIViewSet.meta_fields, "renditions"]
    listing_default_fields = [*ImagesAPIViewSet.listing_default_fields, "width", "height", "renditions"]
    integer_parameters = ("id",)

    def get_queryset(self):
        specs = values.rendition_specs().values()
        # A plain queryset for search: the restriction filter uses an unindexed field.
        images = get_image_model().objects.filter(pk__in=visibility.public_images().values("pk"))
        return images.prefetch_renditions(*specs).prefetch_related("tags").order_by("id")


class DocumentsEndpoint(PublicEndpointMixin, DocumentsAPIViewSet):
    """/api/v2/documents/: documents outside restricted collections."""

    base_serializer_class = RevayatDocumentSerializer
    integer_parameters = ("id",)

    def get_queryset(self):
        documents = self.model.objects.filter(pk__in=visibility.public_documents().values("pk"))
        return documents.prefetch_related("tags").order_by("id")
