"""Template filters for locale-aware output (`{{ value|jdate }}`, `{{ amount|money:unit }}`,
`{{ code|direction }}`, `{{ url|absolute_url:page }}`, …) and the visibility door's tag
(`{% public page.hero_image as hero %}`)."""

from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Site

from cms import charts, i18n, links, visibility
from cms.cache import FRAGMENT_TIMEOUT, content_version, remembered, remembered_object

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
def percent(value):
    """A percentage with the language's sign (۴۵٪ on fa, 45% on en)."""
    return i18n.format_percent(value)


@register.filter
def reference(value):
    """A reference block's citation with its year, as `cms.i18n.format_reference` writes it."""
    return i18n.format_reference(value["citation"], value.get("year"), value.get("url"))


@register.simple_tag
def list_separator():
    """The comma between list items in the active language."""
    return i18n.list_separator()


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


@register.simple_tag
def public(*objects):
    """The first of `objects` (images, documents, media items, pages) that `cms.visibility` lets the
    public see, else None: `{% public page.social_image page.hero_image as image %}`."""
    return next((obj for obj in objects if visibility.is_public(obj)), None)


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


def _site(request):
    site = Site.find_for_request(request) if request else None
    return site or Site.objects.filter(is_default_site=True).select_related("root_page").first()


def locale_home(request, language=None):
    """The public home page of `language` (the current one by default) on the request's site, or None."""
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    site = _site(request)
    return visibility.public_translation(site.root_page, language) if site else None


def menu_items(request, language):
    """The language home page's `menu_links`, kept under the content version (any publish, unpublish,
    move or privacy change makes a new one) in the cache and by the process (`remembered`): every page
    shows the same menu. Its links depend on the request only through its site (Wagtail's URLs are
    relative on the request's own site)."""
    site = _site(request)
    name = f"menu:{site.pk if site else ''}:{language}"

    def read():
        key = f"revayat:{name}:{content_version()}"
        items = cache.get(key)
        if items is None:
            home = locale_home(request, language)
            items = home.specific.menu_links(request) if home is not None else []
            cache.set(key, items, FRAGMENT_TIMEOUT)
        return items

    return remembered_object(name, read)  # a copy: the list is the request's to change


@register.inclusion_tag("includes/site_menu.html", takes_context=True)
def site_menu(context):
    """The header menu of the current language (plans, dashboards, media, search, about), as the
    language's home page type describes it, and the search box."""
    request = context.get("request")
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    items = menu_items(request, language)
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
    links = []
    for code, name in settings.LANGUAGES:
        if code == current:
            continue
        target = visibility.public_translation(page, code) if page else None
        if target is not None:
            url = target.get_url(request) + subpath
            links.append({"code": code, "name": name, "url": url, "is_translation": True})
        elif (home_url := _home_urls(request).get(code)) is not None:
            links.append({"code": code, "name": name, "url": home_url, "is_translation": False})
    return links


def _home_urls(request):
    """{language: URL of its public home page} on the request's site, kept like the menu: pages without
    a translation, and pages that are not Wagtail's (search, sitemap), link to them."""
    site = Site.find_for_request(request) if request else None
    if site is None:
        return {}

    def read():
        versions = visibility.public_versions(site.root_page)
        return tuple((code, version.get_url(request)) for code, version in versions.items())

    return dict(remembered(f"home-urls:{site.pk}", read))


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context, page=None, subpath=""):
    """Links to this page (and its route `subpath`) in the other languages (or to their home pages
    when untranslated)."""
    request = context.get("request")
    return {"links": _other_language_links(request, page, subpath or ""), "request": request}


@register.simple_tag(takes_context=True)
def gantt(context, milestones):
    """The roadmap's milestones as a Gantt chart (inline SVG, cms.charts; an image in print documents,
    whose context says `print_charts`); the roadmap's table is its accessible alternative, so the chart
    names itself and points to it."""
    from cms.blocks import PROGRESS_STATUSES  # the blocks import this module's filters

    language = get_language()
    statuses = {code: str(label) for code, label in PROGRESS_STATUSES}
    rows = [dict(milestone) for milestone in milestones]
    label = _("Gantt chart of the roadmap; the table below lists its milestones")
    spec = charts.gantt_spec(rows, statuses, str(label), language)
    if spec is None:
        return ""
    if context.get("print_charts"):
        return charts.print_image(spec, language, "gantt-chart", label)
    return charts.inline_svg(charts.render_svg(spec, language), "gantt-chart", label)
