"""The one door for visibility: what the public may see.

Live, under live ancestors only, not expired, without a view restriction (login, group or password)
on the page or any of its ancestors, and in the requested locale; documents, images and media only outside
restricted collections, media only once processed. The portal, sitemaps, the language switcher and — as
they land — the API, search, feeds and distribution ask this module; nothing else filters on `live` or
privacy.
"""

from django.db.models import Q
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, Locale, Page


def public_pages(queryset=None, locale=None):
    """Pages the public may see, optionally only those in `locale` (a Locale or language code)."""
    queryset = Page.objects.all() if queryset is None else queryset
    queryset = queryset.live().public().filter(
        Q(expire_at__isnull=True) | Q(expire_at__gt=timezone.now())
    )
    unpublished = Q()  # descendants of unpublished pages; only those with children can have any
    for path in Page.objects.filter(live=False, numchild__gt=0).values_list("path", flat=True):
        unpublished |= Q(path__startswith=path)
    if unpublished:
        queryset = queryset.exclude(unpublished)
    if locale is not None:
        if isinstance(locale, str):
            locale = Locale.objects.filter(language_code=locale).first()
            if locale is None:
                return queryset.none()
        queryset = queryset.filter(locale=locale)
    return queryset


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


def servable(page):
    """Whether the portal may serve `page` itself: under live ancestors and not past its expiry.

    (An expired page stays `live` until `publish_scheduled` runs; it must not be served meanwhile.)
    """
    if page.expire_at is not None and page.expire_at <= timezone.now():
        return False
    return ancestors_live(page)


def ancestors_live(page):
    """False when the page sits under an unpublished page (it is then not part of the public site)."""
    return not Page.objects.ancestor_of(page).filter(live=False).exists()


def restricted_collections_q(prefix="collection__"):
    """A Q matching objects whose collection (`prefix=""`: the collection itself), or an ancestor of it,
    has a view restriction."""
    restricted = Q()
    paths = CollectionViewRestriction.objects.values_list("collection__path", flat=True).distinct()
    for path in paths:
        restricted |= Q(**{f"{prefix}path__startswith": path})
    return restricted


def public_documents(queryset=None):
    """Documents anyone may download: not in a restricted collection (or under one)."""
    queryset = get_document_model().objects.all() if queryset is None else queryset
    restricted = restricted_collections_q()
    return queryset.exclude(restricted) if restricted else queryset


def public_images(queryset=None):
    """Images the public may see renditions of: not in a restricted collection (or under one)."""
    queryset = get_image_model().objects.all() if queryset is None else queryset
    restricted = restricted_collections_q()
    return queryset.exclude(restricted) if restricted else queryset


def public_media(queryset=None):
    """Audio and video the public may play: processed (ready), not in a restricted collection (or under one).

    Only the processed outputs are public; the uploaded original never is.
    """
    from media_pipeline.models import MediaItem, Status

    queryset = MediaItem.objects.all() if queryset is None else queryset
    queryset = queryset.filter(status=Status.READY)
    restricted = restricted_collections_q()
    return queryset.exclude(restricted) if restricted else queryset


def restricted_collection_ids():
    """Ids of the collections whose images, documents and media the public may not see (two queries)."""
    restricted = restricted_collections_q(prefix="")
    if not restricted:
        return frozenset()
    return frozenset(Collection.objects.filter(restricted).values_list("pk", flat=True))
