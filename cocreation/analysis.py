"""The analyst's numbers for a round, and the exports (XLSX right-to-left, CSV), all from the database.

Counts: invited / opened / started / submitted by stakeholder group; items by domain; a heat map of
impact (−2…+2) × likelihood (1–5) per domain; the most cited items (titles compared after light
normalization). Exports are formula-safe: a cell that starts with = + - @ or a control character is
prefixed with an apostrophe, so a spreadsheet never runs what a participant typed.
"""

import csv
import io
import re
import statistics
from collections import Counter, defaultdict

from django.db.models import Count, Q

from cocreation.models import Domain, Invitation, StakeholderGroup, WorksheetItem

IMPACTS = (-2, -1, 0, 1, 2)
LIKELIHOODS = (1, 2, 3, 4, 5)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
HEADERS = [
    ("participant", "مشارکت‌کننده"),
    ("group", "گروه"),
    ("submitted", "ارسال"),
    ("row", "ردیف"),
    ("kind", "نوع"),
    ("domain", "حوزه"),
    ("title", "عنوان"),
    ("description", "شرح"),
    ("impact", "اثر"),
    ("likelihood", "احتمال"),
    ("horizon", "افق"),
    ("confidence", "اطمینان"),
    ("analysis", "تحلیل"),
]


def status_counts(round_):
    """{group: {invited, opened, started, submitted}} plus "all"."""
    base = Invitation.objects.filter(round=round_, revoked_at__isnull=True)
    rows = base.values("participant__group").annotate(
        invited=Count("pk"),
        opened=Count("pk", filter=Q(opened_at__isnull=False)),
        started=Count("pk", filter=Q(worksheet__version__gt=0)),
        submitted=Count("pk", filter=Q(worksheet__submitted_at__isnull=False)),
    )
    labels = dict(StakeholderGroup.choices)
    result = {}
    total = Counter()
    for row in rows:
        counts = {key: row[key] for key in ("invited", "opened", "started", "submitted")}
        result[labels.get(row["participant__group"], row["participant__group"])] = counts
        total.update(counts)
    result["all"] = {key: total.get(key, 0) for key in ("invited", "opened", "started", "submitted")}
    return result


def items_of(round_, submitted_only=True):
    items = WorksheetItem.objects.filter(worksheet__invitation__round=round_)
    if submitted_only:
        items = items.filter(worksheet__submitted_at__isnull=False)
    return items


def by_domain(round_):
    names = dict(Domain.objects.values_list("pk", "name_fa"))
    counts = items_of(round_).values("domain").annotate(n=Count("pk")).order_by("-n")
    return [(names.get(row["domain"], "—"), row["n"]) for row in counts]


def heat_map(round_):
    """{domain name: [[count for likelihood 1..5] for impact −2..+2]}."""
    names = dict(Domain.objects.values_list("pk", "name_fa"))
    grid = defaultdict(lambda: [[0] * len(LIKELIHOODS) for _ in IMPACTS])
    rows = (
        items_of(round_)
        .filter(impact__isnull=False, likelihood__isnull=False)
        .values("domain", "impact", "likelihood")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        grid[names.get(row["domain"], "—")][IMPACTS.index(row["impact"])][row["likelihood"] - 1] += row["n"]
    return dict(grid)


def title_key(title):
    text = re.sub(r"[\u200c\u200f\u200e\s]+", " ", title or "").strip().lower()
    return text.replace("ي", "ی").replace("ك", "ک")


def most_cited(round_, limit=10):
    counter, shown = Counter(), {}
    for title in items_of(round_).values_list("title", flat=True):
        key = title_key(title)
        if key:
            counter[key] += 1
            shown.setdefault(key, title.strip())
    return [(shown[key], n) for key, n in counter.most_common(limit)]


MIN_SHOWN = 3  # outside the secretariat, fewer answers than this are not shown: one person's could be read


def _median(values):
    return statistics.median(values) if values else None


def item_statistics(round_, limit=10, min_answers=1):
    """The most cited items of the submitted worksheets (titles compared as in most_cited) with, per
    item, the distribution of impact (−2…+2) and likelihood (1–5), their medians, and the medians of
    each stakeholder group (Delphi-style feedback). Items and groups with fewer than `min_answers`
    answers are left out."""
    found = {}
    rows = items_of(round_).values_list(
        "title", "impact", "likelihood", "worksheet__invitation__participant__group"
    )
    for title, impact, likelihood, group in rows:
        key = title_key(title)
        if not key:
            continue
        entry = found.setdefault(key, {"title": title.strip(), "answers": [], "groups": defaultdict(list)})
        entry["answers"].append((impact, likelihood))
        entry["groups"][group].append((impact, likelihood))

    def summary(answers):
        impacts = [i for i, _l in answers if i is not None]
        likelihoods = [lk for _i, lk in answers if lk is not None]
        return {
            "n": len(answers),
            "impact_median": _median(impacts),
            "likelihood_median": _median(likelihoods),
            "impact_distribution": [impacts.count(value) for value in IMPACTS],
            "likelihood_distribution": [likelihoods.count(value) for value in LIKELIHOODS],
        }

    ranked = sorted(found.values(), key=lambda entry: (-len(entry["answers"]), entry["title"]))
    result = []
    for entry in ranked:
        if len(entry["answers"]) < min_answers or len(result) == limit:
            continue
        result.append(
            {
                "title": entry["title"],
                **summary(entry["answers"]),
                "groups": {
                    group: summary(answers)
                    for group, answers in sorted(entry["groups"].items())
                    if len(answers) >= min_answers
                },
            }
        )
    return result


def distribution(round_, field):
    return dict(
        items_of(round_).exclude(**{f"{field}__isnull": True}).values_list(field).annotate(n=Count("pk"))
    )


# Exports -----------------------------------------------------------------------------------------------
def safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def export_rows(round_):
    """One row per worksheet item of every worksheet of the round (submitted or not: the secretariat
    decides what to analyse), in a stable order."""
    domains = dict(Domain.objects.values_list("pk", "name_fa"))
    groups = dict(StakeholderGroup.choices)
    items = (
        WorksheetItem.objects.filter(worksheet__invitation__round=round_)
        .select_related("worksheet__invitation__participant")
        .order_by("worksheet__invitation__participant__name", "worksheet_id", "position")
    )
    for item in items:
        participant = item.worksheet.invitation.participant
        yield [
            participant.name,
            str(groups.get(participant.group, participant.group)),
            "yes" if item.worksheet.submitted_at else "no",
            item.position + 1,
            item.kind,
            domains.get(item.domain_id, ""),
            item.title,
            item.description,
            item.impact,
            item.likelihood,
            item.horizon,
            item.confidence,
            item.analysis,
        ]


def export_csv(round_):
    out = io.StringIO()
    out.write("\ufeff")  # Excel opens UTF-8 Persian text correctly only with a BOM
    writer = csv.writer(out)
    writer.writerow([en for en, _fa in HEADERS])
    for row in export_rows(round_):
        writer.writerow([safe(cell) for cell in row])
    return out.getvalue()


def export_xlsx(round_):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "worksheets"
    sheet.sheet_view.rightToLeft = True
    sheet.append([fa for _en, fa in HEADERS])
    sheet.append([en for en, _fa in HEADERS])
    for cell in sheet[1] + sheet[2]:
        cell.font = Font(bold=True)
    for row in export_rows(round_):
        sheet.append([safe(cell) for cell in row])
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
                cell.alignment = Alignment(horizontal="right", readingOrder=2, wrap_text=True)
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
