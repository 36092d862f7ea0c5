"""The portal's search page (/fa/search/, /en/search/), its autocomplete, and the API's search endpoint
(/api/v2/search/). GET only, nothing written; any query string gets results or a 400."""

from urllib.parse import urlencode

from django.apps import apps
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cms import i18n
from cms.visibility import door
from search import service


def _language():
    language = (get_language() or "fa")[:2]
    return language if language in service.LANGUAGES else "fa"


def _links(params):
    """A function making the query string of this search with some parameters changed (`page=2`,
    `plan=""` to drop one): the kept ones are encoded once, not once per facet option."""
    encoded = {
        key: urlencode({key: value})
        for key, value in params.items()
        if key in ("q", "lang", "plan", "type", "year") and value not in (None, "")
    }

    def link(**changes):
        parts = dict(encoded)
        for key, value in changes.items():
            if value in (None, ""):
                parts.pop(key, None)
            else:
                parts[key] = urlencode({key: value})
        return "?" + "&".join(parts.values())

    return link


@door("portal_search")
@require_GET
def search_page(request):
    """Results with highlighted snippets, facets, pagination, "did you mean"; 400 for a bad query."""
    language = _language()
    try:
        search = service.run(request.GET, language, request)
    except service.BadQuery as error:
        context = {"error": str(error), "search": service.Search(language=language)}
        return render(request, "search/search_page.html", context, status=400)
    link = _links(request.GET)
    type_labels = _type_labels() if search.facets.get("type") else {}
    facets = []
    for name, title in (
        ("language", _("Language")),
        ("type", _("Content type")),
        ("plan", _("Plan")),
        ("year", _("Year")),
    ):
        values = sorted(search.facets.get(name, {}).items(), key=lambda item: (-item[1], str(item[0])))
        param = "lang" if name == "language" else name
        chosen = search.language if name == "language" else getattr(search, name)
        options = [
            {
                "label": i18n.localize_digits(_facet_label(name, value, type_labels)),
                "count": i18n.format_number(count),
                "chosen": str(value) == str(chosen),
                "url": link(**{param: value, "page": ""}),
            }
            for value, count in values
        ]
        if options:
            clear = link(**{param: "all" if name == "language" else "", "page": ""})
            facets.append({"name": name, "title": title, "options": options, "clear": clear})
    context = {
        "search": search,
        "facets": facets,
        "previous_url": link(page=search.page - 1) if search.page > 1 else "",
        "next_url": link(page=search.page + 1) if search.page < search.pages else "",
        "did_you_mean_url": _links({"q": search.did_you_mean})() if search.did_you_mean else "",
    }
    return render(request, "search/search_page.html", context)


def _facet_label(name, value, type_labels):
    if name == "language":
        return {"fa": _("Persian"), "en": _("English")}.get(value, value)
    if name == "plan":
        return _("Plan %(number)s") % {"number": value}
    if name == "type":
        return capfirst(type_labels.get(value, str(value)))
    return str(value)


def _type_labels():
    """{"app.model": its verbose name} of every type a result can have (deliverables included)."""
    from django.contrib.contenttypes.models import ContentType

    labels = {}
    for content_type in ContentType.objects.get_for_models(*_models()).values():
        model = content_type.model_class()
        labels[f"{content_type.app_label}.{content_type.model}"] = str(model._meta.verbose_name)
    return labels


def _models():
    from wagtail.documents import get_document_model
    from wagtail.models import get_page_models

    return [*get_page_models(), get_document_model(), apps.get_model("plans", "PlanDeliverables")]


@door("portal_search")
@require_GET
def suggest(request):
    """Autocomplete: page titles completing the query, as JSON."""
    try:
        found = service.suggestions(request.GET, _language())
    except service.BadQuery as error:
        return JsonResponse({"message": str(error)}, status=400)
    return JsonResponse({"suggestions": found}, json_dumps_params={"ensure_ascii": False})


@door("api_search")
@require_GET
def api_search(request):
    """/api/v2/search/?q=…&lang=fa|en|all&page=&plan=&type=&year=: the portal search as JSON."""
    try:
        search = service.run(request.GET, request.GET.get("lang") or "fa", request)
    except service.BadQuery as error:
        return JsonResponse({"message": str(error)}, status=400)
    if not search.query:
        return JsonResponse({"message": "q is required"}, status=400)
    body = {
        "query": search.query,
        "language": search.language,
        "count": search.count,
        "page": search.page,
        "pages": search.pages,
        "results": search.results,
        "facets": {
            name: [{"value": v, "count": c} for v, c in search.facets.get(name, {}).items()]
            for name in service.FACETS
        },
        "did_you_mean": search.did_you_mean,
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response
