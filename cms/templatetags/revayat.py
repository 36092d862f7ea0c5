"""Template filters for locale-aware output (`{{ value|jdate }}`, `{{ amount|money:unit }}`,
`{{ code|direction }}`, `{{ url|absolute_url:page }}`, …) and the visibility door's tag
(`{% public page.hero_image as hero %}`)."""

from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language
from wagtail.models import Site

from cms import i18n, links, visibility
from cms.cache import FRAGMENT_TIMEOUT, content_version

register = template.Library()


@register.filter
def jdate(value):
    """A date in the active language: Jalali with Persian digits on fa, Gregorian on en."""
    return i18n.format_date(value)


@register.filter
def number(value):
    """A number with grouped thousands and localized digits."""
    return i18n.format_number(value)


@register.filter
def digits(value):
    """Localized digits in free text (Persian digits on fa)."""
    return i18n.localize_digits(value)


@register.filter
def money(value, unit="rial"):
    """An amount stored in rials, in the display unit with a scale word (۳۲۰ میلیارد ریال)."""
    return i18n.format_money(value, unit)


@register.filter
def money_exact(value, unit="rial"):
    """An amount stored in rials with every digit (۳۲۰٬۰۰۰٬۰۰۰٬۰۰۰ ریال)."""
    return i18n.format_money(value, unit, exact=True)


@register.filter
def direction(language):
    """The HTML `dir` of a language code: `dir="{{ LANGUAGE_CODE|direction }}"`."""
    return i18n.direction(language)


@register.filter
def absolute_url(url, page):
    """A URL made absolute on the page's site: `{{ rendition.url|absolute_url:page }}`."""
    return links.absolute_url(url, links.site_root_url(page))


@register.simple_tag(takes_context=True)
def public(context, *objects):
    """The first of `objects` (images, documents, media items, pages) that `cms.visibility` lets the
    public see, else None: `{% public page.social_image page.hero_image as image %}`."""
    request = context.get("request")
    return next((obj for obj in objects if visibility.is_public(obj, request)), None)


@register.simple_tag(takes_context=True)
def playable(context, media, page):
    """`media` when this visitor may play it on `page` (public, or `page` is restricted and the visitor
    passed its password or login), else None: `{% playable page.audio page as audio %}`."""
    request = context.get("request")
    return media if request is not None and visibility.media_visible_to(media, request, page) else None


@register.simple_tag(takes_context=True)
def page_alternates(context, page, subpath=""):
    """(language, absolute URL) of the page in every language it is public in, itself included;
    `subpath` is a route of the page (`media/podcasts/`), the same in every language."""
    request = context.get("request")
    versions = visibility.public_versions(page)
    return [
        (code, versions[code].get_full_url(request) + subpath)
        for code, _name in settings.LANGUAGES
        if code in versions
    ]


def locale_home(request, language=None):
    """The public home page of `language` (the current one by default) on the request's site, or None."""
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    site = Site.find_for_request(request) if request else None
    site = site or Site.objects.filter(is_default_site=True).select_related("root_page").first()
    return visibility.public_translation(site.root_page, language) if site else None


def _menu_items(request, language):
    """The menu links of the language's home page, cached until content changes (`content_version`,
    bumped by publication, moves and privacy changes; bounded by FRAGMENT_TIMEOUT across processes):
    every portal page shows the menu, and working it out takes a dozen queries."""
    host = request.get_host() if request else ""  # the site, and whether its links are relative
    key = f"revayat:menu:{host}:{language}:{content_version()}"
    items = cache.get(key)
    if items is None:
        home = locale_home(request, language)
        items = home.specific.menu_links(request) if home is not None else []
        cache.set(key, items, FRAGMENT_TIMEOUT)
    return items


@register.inclusion_tag("includes/site_menu.html", takes_context=True)
def site_menu(context):
    """The header menu of the current language (plans, dashboards, media, search, about), as the
    language's home page type describes it, and the search box."""
    request = context.get("request")
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    items = _menu_items(request, language)
    current = request.path if request else ""
    search = next((item["url"] for item in items if item["key"] == "search"), f"/{language}/search/")
    return {
        "items": [item for item in items if item["key"] != "search"],
        "search_url": search,
        "current": current,
        "query": request.GET.get("q", "") if request and current.endswith("/search/") else "",
    }


def _other_language_links(request, page, subpath=""):
    """For each other language: the page's public translation, or that language's home page."""
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    site = Site.find_for_request(request) if request else None
    links = []
    for code, name in settings.LANGUAGES:
        if code == current:
            continue
        target = visibility.public_translation(page, code) if page else None
        is_translation = target is not None
        if target is None and site is not None:
            target = visibility.public_translation(site.root_page, code)
        if target is not None:
            url = target.get_url(request) + (subpath if is_translation else "")
            links.append({"code": code, "name": name, "url": url, "is_translation": is_translation})
    return links


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context, page=None, subpath=""):
    """Links to this page (and its route `subpath`) in the other languages (or to their home pages
    when untranslated)."""
    request = context.get("request")
    return {"links": _other_language_links(request, page, subpath or ""), "request": request}
