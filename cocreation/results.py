"""The aggregated results of a round as a draft page under its call: numbers only, no names and no
personal data. It goes live only through the normal approval workflow (and the publication gate)."""

from django.utils import translation
from django.utils.html import escape

from cms.i18n import format_number, to_persian_digits
from cocreation import analysis
from cocreation.models import ResultsPage, StakeholderGroup


def aggregates(round_):
    return {
        "counts": {str(k): v for k, v in analysis.status_counts(round_).items()},
        "by_domain": analysis.by_domain(round_),
        "heat_map": analysis.heat_map(round_),
        "most_cited": analysis.most_cited(round_),
        # Items and groups with fewer than MIN_SHOWN answers are left out: one person's could be read off.
        "items": analysis.item_statistics(round_, min_answers=analysis.MIN_SHOWN),
    }


def signed(value, language="fa"):
    """A median as read on the page: +۱٫۵, −۱, ۰ or — when nobody answered."""
    if value is None:
        return "—"
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return sign + format_number(abs(value), language)


def items_table(items):
    """Per item: answers, median impact and likelihood, the distributions, and each group's medians."""
    if not items:
        return ""
    with translation.override("fa"):
        groups = {value: str(label) for value, label in StakeholderGroup.choices}
    rows = []
    for item in items:
        by_group = "؛ ".join(
            f"{escape(groups.get(code, code))}: {signed(g['impact_median'])} / "
            f"{format_number(g['likelihood_median'], 'fa') or '—'} ({to_persian_digits(g['n'])})"
            for code, g in item["groups"].items()
        )
        impacts = " ".join(
            f"{signed(value)}:{to_persian_digits(n)}"
            for value, n in zip(analysis.IMPACTS, item["impact_distribution"], strict=True)
        )
        likelihoods = " ".join(
            f"{to_persian_digits(value)}:{to_persian_digits(n)}"
            for value, n in zip(analysis.LIKELIHOODS, item["likelihood_distribution"], strict=True)
        )
        rows.append(
            f"<li><b>{escape(item['title'])}</b> ({to_persian_digits(item['n'])} پاسخ): "
            f"میانهٔ اثر {signed(item['impact_median'])}، میانهٔ احتمال "
            f"{format_number(item['likelihood_median'], 'fa') or '—'}. توزیع اثر {impacts}؛ "
            f"توزیع احتمال {likelihoods}. میانهٔ گروه‌ها (اثر / احتمال): {by_group or '—'}</li>"
        )
    return "<h2>میانه‌ها و توزیع پاسخ‌ها</h2><ul>" + "".join(rows) + "</ul>"


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
        items_table(data.get("items", [])),
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
