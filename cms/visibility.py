"""The one door for visibility: what the public may see.

A page is public when it is live, under live ancestors only, not expired, without a view restriction
(login, group or password) on itself or an ancestor, its translation source is not restricted either
(wagtail#11015: the page with its translation key in the locale it was translated from, or an ancestor of
that page) and, for an alias, the page it is an alias of is public. Documents, images and media are public
outside restricted collections, media once processed and not used only by pages the public may not see;
a file (rendition, media output, subtitle, deliverable) is public when the object it belongs to is.

The portal, sitemaps, the language switcher, the API, search, feeds, the media view and distribution ask
this module; nothing else filters on `live` or privacy. `is_public(obj)` answers for one object of any
of these kinds; the `public_*` functions filter querysets in SQL with a constant number of queries.

The few rows every answer starts from (the restricted and unpublished page paths, the restricted
collections) are read once per request, and with a shared cache once per content version in each
process (`cms.cache.remembered`); any save or delete of a page, restriction or collection forgets them
at once (cms/signal_handlers.py), so a memo never outlives a privacy change, even within the request.
"""

from django.conf import settings
from django.db import connection
from django.db.models import CharField, Exists, F, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, Length, Substr
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.documents.models import AbstractDocument
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Locale,
    Page,
    PageViewRestriction,
    ReferenceIndex,
)
from wagtail_localize.models import TranslationSource

from cms.cache import remembered


# Pages ------------------------------------------------------------------------------------------------
def _subtree_q(paths):
    """A Q matching the pages at or under any of `paths` (never matching anything when there are none)."""
    q = Q()
    for path in paths:
        q |= Q(path__startswith=path)
    return q or Q(pk__in=[])


def _not_public_q(now, restricted_paths, unpublished_paths):
    """A Q matching the pages that are not public on their own: not live, expired at `now`, under an
    unpublished page or under a view restriction (their own or an ancestor's)."""
    restricted = _subtree_q(restricted_paths)
    return (
        Q(live=False) | Q(expire_at__lte=now) | _subtree_q(unpublished_paths) | restricted,
        restricted,
    )


def _restricted_paths():
    """The paths of the pages with a view restriction of their own (one query, remembered)."""
    return remembered(
        "restricted",
        lambda: tuple(PageViewRestriction.objects.values_list("page__path", flat=True).distinct()),
    )


def _unpublished_paths():
    """The paths of the unpublished pages that have pages under them (one query, remembered)."""
    return remembered(
        "unpublished",
        lambda: tuple(Page.objects.filter(live=False, numchild__gt=0).values_list("path", flat=True)),
    )


def _source_locale():
    """The locale a page's translations were made from, as an SQL expression: its translation key's
    oldest wagtail-localize source, else the default language."""
    return Coalesce(
        Subquery(
            TranslationSource.objects.filter(object_id=OuterRef("translation_key"))
            .order_by("created_at")
            .values("locale_id")[:1]
        ),
        Subquery(Locale.objects.filter(language_code=settings.LANGUAGE_CODE).values("pk")[:1]),
    )


def _restricted_sources(restricted):
    """The translation keys whose source page is restricted (`restricted` matches it); a subquery."""
    return (
        Page.objects.filter(restricted)
        .annotate(source_locale=_source_locale())
        .filter(locale_id=F("source_locale"))
        .values("translation_key")
    )


def public_pages(queryset=None, locale=None):
    """Pages the public may see, optionally only those in `locale` (a Locale or language code).

    Two queries build the filter (the unpublished and the restricted subtrees, none when remembered)
    whatever the number of pages; the rest is one SQL statement with subqueries, compiled once per
    state of those subtrees (`public_page_ids_sql`): a portal page asks several times, and building
    the filter through the ORM each time cost more than running it.
    """
    queryset = Page.objects.all() if queryset is None else queryset
    if locale is not None:
        if isinstance(locale, str):
            locale = Locale.objects.filter(language_code=locale).first()
            if locale is None:
                return queryset.none()
        queryset = queryset.filter(locale=locale)
    return queryset.filter(pk__in=RawSQL(*public_page_ids_sql()))


def _public(queryset, now=None, restricted_paths=None, unpublished_paths=None):
    """`queryset` filtered to the public pages, built through the ORM (two queries for the paths not
    given, none when remembered)."""
    not_public, restricted = _not_public_q(
        timezone.now() if now is None else now,
        _restricted_paths() if restricted_paths is None else restricted_paths,
        _unpublished_paths() if unpublished_paths is None else unpublished_paths,
    )
    hidden_keys = _restricted_sources(restricted)
    originals = Page.objects.exclude(not_public).exclude(translation_key__in=hidden_keys)
    return (
        queryset.exclude(not_public)
        .exclude(translation_key__in=hidden_keys)
        .filter(Q(alias_of__isnull=True) | Q(alias_of__in=originals.values("pk")))
    )


class _Now:
    """The current time in a filter compiled once (`public_page_ids_sql`), bound at each use; copies of
    a query keep this very object, so it can be found among the compiled parameters."""

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


_NOW = _Now()
_compiled_public_pages = {}  # {(database, restricted paths, unpublished paths): (sql, params)}


def public_page_ids_sql():
    """(sql, params) of a subquery selecting the ids of the public pages, for `public_pages()` and the
    search statement. Building and compiling that filter through the ORM costs several times what
    running it does, and the SQL depends only on the restricted and unpublished paths (two queries,
    none when remembered) and the current time: it is compiled once per state of those paths in each
    process, the time bound at each call."""
    restricted, unpublished = tuple(_restricted_paths()), tuple(_unpublished_paths())
    key = (connection.alias, restricted, unpublished)
    compiled = _compiled_public_pages.get(key)
    if compiled is None:
        now = RawSQL("%s", (_NOW,))
        public = _public(Page.objects.order_by(), now, restricted, unpublished)
        compiled = public.values("pk").query.sql_with_params()
        if len(_compiled_public_pages) > 64:  # paths changed many times: keep only the states in use
            _compiled_public_pages.clear()
        _compiled_public_pages[key] = compiled
    sql, params = compiled
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    return sql, tuple(now if param is _NOW else param for param in params)


def restricted_pages(queryset=None):
    """Pages under a view restriction, their own or an ancestor's, live or not: the admin hides them from
    roles that may see only what the public sees."""
    return (Page.objects.all() if queryset is None else queryset).not_public()


def view_restrictions(page):
    """The view restrictions the portal applies to `page` (two queries): those on the page or an
    ancestor, on the page it is an alias of or an ancestor of that, and on its translation source (and
    the alias original's) or an ancestor of that."""
    ids = [pk for pk in (page.pk, page.alias_of_id) if pk]
    keys = Page.objects.filter(pk__in=ids).values("translation_key")
    pages = Page.objects.annotate(source_locale=_source_locale()).filter(
        Q(pk__in=ids) | Q(translation_key__in=keys, locale_id=F("source_locale"))
    )
    paths = {
        path[:end]
        for path in pages.values_list("path", flat=True)
        for end in range(Page.steplen, len(path) + 1, Page.steplen)
    }
    if paths.isdisjoint(_restricted_paths()):
        return PageViewRestriction.objects.none()  # the usual case, known from the paths read once
    return PageViewRestriction.objects.filter(page__path__in=paths)


def servable(page):
    """Whether the portal may serve `page` at all (its view restrictions are checked by Wagtail's serve
    hook through `view_restrictions`): not expired, under live ancestors, and for an alias, its
    original too. (An expired page stays `live` until `publish_scheduled` runs.)"""
    if page.expire_at is not None and page.expire_at <= timezone.now():
        return False
    if page.alias_of_id and not servable(Page.objects.get(pk=page.alias_of_id)):
        return False
    return ancestors_live(page)


def ancestors_live(page):
    """False when the page sits under an unpublished page (it is then not part of the public site). An
    ancestor has children, so the unpublished paths read once per request answer it."""
    return not any(page.path.startswith(path) and path != page.path for path in _unpublished_paths())


def public_versions(page):
    """{language code: page} for every language `page` is public in, itself included (one query)."""
    cached = getattr(page, "_public_versions", None)
    if cached is None:
        versions = public_pages(Page.objects.filter(translation_key=page.translation_key))
        cached = {version.locale.language_code: version for version in versions.select_related("locale")}
        page._public_versions = cached
    return cached


def public_translation(page, language_code):
    """The public version of `page` in the given language (itself included), or None."""
    return public_versions(page).get(language_code)


# Images, documents and media ------------------------------------------------------------------------
def restricted_collections_q(prefix="collection__"):
    """A Q matching objects whose collection (`prefix=""`: the collection itself), or an ancestor of it,
    has a view restriction."""
    restricted = Q()
    for path in _restricted_collection_paths():
        restricted |= Q(**{f"{prefix}path__startswith": path})
    return restricted


def _restricted_collection_paths():
    return remembered(
        "collections",
        lambda: tuple(
            CollectionViewRestriction.objects.values_list("collection__path", flat=True).distinct()
        ),
    )


def restricted_collection_ids():
    """Ids of the collections whose images, documents and media the public may not see (one query;
    remembered, so a page may ask for each of its images)."""

    def read():  # collections with a restriction on themselves or on the collection their path starts with
        restricted_prefix = CollectionViewRestriction.objects.filter(
            collection__path=Substr(OuterRef("path"), 1, Length("collection__path"))
        )
        return frozenset(Collection.objects.filter(Exists(restricted_prefix)).values_list("pk", flat=True))

    return remembered("collection_ids", read)


def public_documents(queryset=None):
    """Documents anyone may download: not in a restricted collection (or under one)."""
    queryset = get_document_model().objects.all() if queryset is None else queryset
    restricted = restricted_collections_q()
    return queryset.exclude(restricted) if restricted else queryset


_compiled_public_documents = {}  # {(database, restricted collection paths): (sql, params)}


def public_document_ids_sql():
    """(sql, params) of a subquery selecting the ids of the documents anyone may download, compiled once
    per state of the restricted collections, as `public_page_ids_sql` is for pages."""
    key = (connection.alias, _restricted_collection_paths())
    compiled = _compiled_public_documents.get(key)
    if compiled is None:
        compiled = public_documents().values("pk").query.sql_with_params()
        if len(_compiled_public_documents) > 64:
            _compiled_public_documents.clear()
        _compiled_public_documents[key] = compiled
    return compiled


def public_images(queryset=None):
    """Images the public may see renditions of: not in a restricted collection (or under one)."""
    queryset = get_image_model().objects.all() if queryset is None else queryset
    restricted = restricted_collections_q()
    return queryset.exclude(restricted) if restricted else queryset


def public_media(queryset=None):
    """Audio and video the public may play: processed (ready), not in a restricted collection (or under
    one), and not used only by pages the public may not see (a draft episode's audio is not public yet).

    Only the processed outputs are public; the uploaded original never is.
    """
    from django.contrib.contenttypes.models import ContentType

    from media_pipeline.models import MediaItem, Status

    queryset = MediaItem.objects.all() if queryset is None else queryset
    queryset = queryset.filter(status=Status.READY)
    restricted = restricted_collections_q()
    if restricted:
        queryset = queryset.exclude(restricted)
    uses = ReferenceIndex.objects.filter(  # which pages use which media item (ids as strings)
        to_content_type=ContentType.objects.get_for_model(MediaItem),
        base_content_type=ContentType.objects.get_for_model(Page),
    )
    # built through the ORM, not `public_pages()`'s compiled filter: inside this subquery the compiled
    # one would nest a level deeper, past SQLite's parser stack when pages are restricted
    public_page_ids = (
        _public(Page.objects.order_by()).annotate(pk_text=Cast("pk", CharField())).values("pk_text")
    )
    return queryset.annotate(pk_text=Cast("pk", CharField())).filter(
        ~Q(pk_text__in=uses.values("to_object_id"))
        | Q(pk_text__in=uses.filter(object_id__in=public_page_ids).values("to_object_id"))
    )


# Single objects and the files that belong to them --------------------------------------------------
OWNED = {}  # model → (owner function, storage folder, file field names, release function or None)


def register_owned(model, owner, folder, file_fields=("file",), released=None):
    """Objects of `model` (renditions, media outputs, deliverables …) are public when `owner(obj)` is;
    the files under `folder` stored in their `file_fields` are theirs (see `file_is_public`).

    With `released`, an object is for signed-in staff only until `released(obj)` is true (someone with
    the right released it): a plan's source package."""
    OWNED[model] = (owner, folder, tuple(file_fields), released)


def is_staff(request):
    """A signed-in member of staff: someone who may use the admin."""
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.has_perm("wagtailadmin.access_admin"))


def is_public(obj):
    """Whether the public may see this one object: a page, an image, a document, a media item, or an
    object registered with `register_owned`. Raises TypeError for anything the door does not know."""
    from media_pipeline.models import MediaItem

    if obj is None:
        return False
    for model, (owner, _folder, _fields, released) in OWNED.items():
        if isinstance(obj, model):
            return (released is None or released(obj)) and is_public(owner(obj))
    if isinstance(obj, Page):
        return public_pages(Page.objects.filter(pk=obj.pk)).exists()
    if isinstance(obj, (AbstractImage, AbstractDocument)):
        return obj.collection_id not in restricted_collection_ids()
    if isinstance(obj, MediaItem):
        return public_media(MediaItem.objects.filter(pk=obj.pk)).exists()
    raise TypeError(f"cms.visibility does not know whether a {type(obj).__name__} is public")


def file_is_public(name):
    """Whether a stored file (by its storage name) may be served to anyone: it belongs to a registered
    object that is public. Originals, and files no registered object owns, never are."""
    for model, (_owner, folder, fields, _released) in OWNED.items():
        if name.startswith(folder):
            stored = Q()
            for field in fields:
                stored |= Q(**{field: name})
            return is_public(model.objects.filter(stored).first())
    return False


# One visitor: what a visitor who passed a page's password or login may also see -------------------
def page_visible_to(page, request):
    """Whether this visitor may see `page`: the portal would serve it (live, not expired, under live
    ancestors, an alias's original too) and every view restriction that applies to it (its own, an
    ancestor's, its translation source's, its original's) accepts the request, as Wagtail's
    `PageViewRestriction.accept_request` decides (password given in this session, logged in, group)."""
    if page is None or not page.live or not servable(page):
        return False
    restrictions = list(view_restrictions(page))
    if restrictions and not (hasattr(request, "session") and hasattr(request, "user")):
        return False  # no visitor to ask (a request without session or user)
    return all(restriction.accept_request(request) for restriction in restrictions)


def media_visible_to(media, request, page=None):
    """Whether this visitor may play `media`: it is public, or it is processed, outside restricted
    collections, and used by a page this visitor may see (`page`, when given, must be one of them)."""
    from django.contrib.contenttypes.models import ContentType

    from media_pipeline.models import MediaItem, Status

    if media is None:
        return False
    if is_public(media):
        return True
    if media.status != Status.READY or media.collection_id in restricted_collection_ids():
        return False
    uses = ReferenceIndex.objects.filter(
        to_content_type=ContentType.objects.get_for_model(MediaItem),
        to_object_id=str(media.pk),
        base_content_type=ContentType.objects.get_for_model(Page),
    ).values_list("object_id", flat=True)
    pages = Page.objects.filter(pk__in=[int(pk) for pk in uses], live=True)
    if page is not None:
        pages = pages.filter(pk=page.pk)
    return any(page_visible_to(used_by, request) for used_by in pages)


def visible_to(obj, request):
    """`is_public(obj)`, widened for this visitor: pages they passed the restrictions of, media used by
    such a page, and the files (media outputs, subtitles, deliverables …) of those."""
    from media_pipeline.models import MediaItem

    if obj is None:
        return False
    for model, (owner, _folder, _fields, released) in OWNED.items():
        if isinstance(obj, model):
            if released is not None and not released(obj):
                return is_staff(request)
            return visible_to(owner(obj), request)
    if isinstance(obj, Page):
        return is_public(obj) or page_visible_to(obj, request)
    if isinstance(obj, MediaItem):
        return media_visible_to(obj, request)
    return is_public(obj)


def file_is_visible(name, request):
    """`file_is_public(name)`, widened for this visitor as `visible_to` is."""
    for model, (_owner, folder, fields, _released) in OWNED.items():
        if name.startswith(folder):
            stored = Q()
            for field in fields:
                stored |= Q(**{field: name})
            return visible_to(model.objects.filter(stored).first(), request)
    return False


# The registries the privacy matrix (tests/privacy/test_matrix.py) is generated from -----------------
DOORS = {}  # name → the views that serve it (none for outbound doors)

# What the door hides; tests/privacy/test_matrix.py builds each and checks it behind every door.
SECRET_STATES = (
    "draft",
    "in_moderation",
    "rejected",
    "scheduled",
    "expired",
    "unpublished_after_live",
    "under_unpublished",
    "login_restricted",
    "group_restricted",
    "password_restricted",
    "restricted_after_live",
    "under_restricted",
    "translation_of_restricted",
    "unpublished_translation",
    "alias_of_restricted",
    "alias_under_restricted",
    "restricted_collection_image",
    "restricted_collection_document",
    "restricted_collection_media",
    "media_of_draft",
    "unprocessed_media",
    "newer_draft",
    "restricted_deliverables",
    "unreleased_source_package",  # a public plan's source files before an approver releases them
    "confidential_kpi_series",  # a plan's KPI marked confidential: never through a public door
    "internal_kpi_series",  # a plan's KPI marked internal: only for signed-in people
)


def register_door(name, *views):
    """Declare a public door (a way content leaves the site) and the views that serve it."""
    DOORS.setdefault(name, set()).update(views)


def door(name):
    """Decorator form of `register_door` for a view function."""

    def register(view):
        register_door(name, view)
        return view

    return register
