"""The aggregated results of a round as a draft page under its call: numbers only, no names and no
personal data. It goes live only through the normal approval workflow (and the publication gate)."""

from django.utils.html import escape

from cms.i18n import to_persian_digits
from cocreation import analysis
from cocreation.models import ResultsPage


def aggregates(round_):
    return {
        "counts": {str(k): v for k, v in analysis.status_counts(round_).items()},
        "by_domain": analysis.by_domain(round_),
        "heat_map": analysis.heat_map(round_),
        "most_cited": analysis.most_cited(round_),
    }


def body_html(data):
    total = data["counts"].get("all", {})
    parts = [
        "<p>"
        + to_persian_digits(
            f"از {total.get('invited', 0)} دعوت‌شده، {total.get('submitted', 0)} نفر پاسخ کامل فرستادند."
        )
        + "</p>",
        "<h2>حوزه‌ها</h2><ul>",
        *(f"<li>{escape(name)}: {to_persian_digits(n)} مورد</li>" for name, n in data["by_domain"]),
        "</ul><h2>پرتکرارترین موارد</h2><ol>",
        *(f"<li>{escape(title)} ({to_persian_digits(n)})</li>" for title, n in data["most_cited"]),
        "</ol>",
    ]
    return "".join(parts)


def create_draft(call, round_, user=None):
    """A new draft ResultsPage under the call (never published here); returns it."""
    data = aggregates(round_)
    page = ResultsPage(
        title=f"نتایج {round_}",
        slug=f"results-round-{round_.number}",
        locale=call.locale,
        body=body_html(data),
        aggregates=data,
        live=False,
    )
    existing = {child.slug for child in call.get_children()}
    base, n = page.slug, 2
    while page.slug in existing:
        page.slug, n = f"{base}-{n}", n + 1
    call.add_child(instance=page)
    page.save_revision(user=user, log_action=True)
    return page
