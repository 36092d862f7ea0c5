"""The KPI dashboards: one per plan (`<plan>/dashboard/`, the URL the QR codes and PDFs point to) and
one for all plans (`<plan index>/dashboard/`), each with CSV and XLSX downloads (`dashboard/csv/`,
`dashboard/xlsx/`: Wagtail serves paths of words and slashes only), and social cards (PNG) of the plan's
KPIs (`dashboard/cards/square/`, the generated infographic) and of each KPI (`dashboard/cards/<id>/wide/`).

They are sub-routes of the plan and plan-index pages, so they answer only where the page itself is
public (`cms.visibility` through the page's `serve`); which series they show is decided by
`KPI.objects.visible_to()`: public ones for everyone, internal ones for signed-in people, confidential
ones never. A response that shows internal series is marked private so no shared cache keeps it.
"""

from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

from cms.i18n import to_ascii_digits
from plans import kpi_data, kpi_exports, social_cards

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def year_param(request, name):
    """A Jalali year from the query string (any digits), or None when absent or not a plausible year."""
    text = to_ascii_digits(request.GET.get(name, "")).strip()
    if text.isdigit() and 1300 <= int(text) <= 1500:
        return int(text)
    return None


def period_filter(request):
    return {"first_year": year_param(request, "from"), "last_year": year_param(request, "to")}


def cards(series_list, language=None):
    """What the template shows per KPI: its chart (SVG) and the series for its data table."""
    return [
        {
            "series": series,
            "anchor": f"kpi-{series.id}",
            "chart": series.chart(language),
        }
        for series in series_list
    ]


def private_if_signed_in(request, response):
    """Signed-in people may see internal series: such a response is theirs alone."""
    patch_vary_headers(response, ["Cookie"])
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_store=True)
    return response


def download(request, series_list, fmt, stem):
    if fmt not in FORMATS:
        raise Http404
    language = get_language()
    if fmt == "csv":
        content = kpi_exports.to_csv(series_list, language).encode()
    else:
        content = kpi_exports.to_xlsx(series_list, language)
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return private_if_signed_in(request, response)


def query_string(request):
    """The filters of this request, for the download links (only the keys the dashboard knows)."""
    keep = {key: request.GET[key] for key in ("from", "to", "plan") if request.GET.get(key)}
    return "?" + "&".join(f"{key}={value}" for key, value in keep.items()) if keep else ""


def plan_dashboard(page, request):
    """A plan's dashboard page."""
    filters = period_filter(request)
    series_list = kpi_data.plan_series(page, request.user, **filters)
    all_years = kpi_data.years_of(kpi_data.plan_series(page, request.user)) if any(filters.values()) else None
    context = page.get_context(request)
    context.update(
        groups=[(page, cards(series_list, get_language()))],
        years=all_years if all_years is not None else kpi_data.years_of(series_list),
        filters=filters,
        query=query_string(request),
        overall=False,
        overall_url=page.url.rstrip("/").rsplit("/", 1)[0] + "/dashboard/",  # the plan index's dashboard
    )
    response = TemplateResponse(request, "plans/dashboard_page.html", context)
    return private_if_signed_in(request, response)


def plan_download(page, request, fmt):
    series_list = kpi_data.plan_series(page, request.user, **period_filter(request))
    return download(request, series_list, fmt, f"plan-{page.plan_number or page.pk}-kpis")


def overall_groups(index, request):
    plans = list(index.plans())
    numbers = [plan.plan_number for plan in plans]
    chosen = to_ascii_digits(request.GET.get("plan", "")).strip()
    chosen = int(chosen) if chosen.isdigit() and int(chosen) in numbers else None
    shown = [plan for plan in plans if chosen is None or plan.plan_number == chosen]
    return plans, chosen, kpi_data.grouped_series(shown, request.user, **period_filter(request))


def overall_dashboard(index, request):
    """The dashboard of every public plan under the index, filterable by plan and period."""
    plans, chosen, groups = overall_groups(index, request)
    language = get_language()
    context = index.get_context(request)
    context.update(
        groups=[(plan, cards(series_list, language)) for plan, series_list in groups],
        plans=plans,
        chosen_plan=chosen,
        years=kpi_data.years_of(s for _plan, series_list in groups for s in series_list),
        filters=period_filter(request),
        query=query_string(request),
        overall=True,
    )
    response = TemplateResponse(request, "plans/dashboard_page.html", context)
    return private_if_signed_in(request, response)


def overall_download(index, request, fmt):
    _plans, _chosen, groups = overall_groups(index, request)
    return download(request, [s for _plan, series_list in groups for s in series_list], fmt, "plans-kpis")


def png(request, content, stem):
    response = HttpResponse(content, content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="{stem}.png"'
    return private_if_signed_in(request, response)


def kpi_card(page, request, kpi_id, size):
    """One KPI's social card, if the reader may see its series."""
    series = next((s for s in kpi_data.plan_series(page, request.user) if s.id == kpi_id), None)
    if series is None:
        raise Http404
    return png(request, social_cards.kpi_card(series, get_language(), size), f"kpi-{kpi_id}-{size}")


def plan_card(page, request, size):
    """The plan's generated infographic: its KPIs' before, latest and target numbers."""
    series_list = kpi_data.plan_series(page, request.user)
    if not series_list:
        raise Http404
    content = social_cards.plan_card(page.title, series_list, get_language(), size)
    return png(request, content, f"plan-{page.plan_number or page.pk}-{size}")
