"""Saving a worksheet: validation, the deadline, optimistic locking and submission versions.

A save names the version it was edited from. The row is claimed with one conditional UPDATE
(`version = expected`), so two tabs or devices saving at once cannot both win: the loser gets a
`Conflict` carrying the server copy, and nothing is silently overwritten.

Autosave is the hot path (300 people typing at once, benchmarks/cocreation.py): a save is the session
read, one SELECT of the worksheet, then UPDATE + DELETE + INSERT in one transaction. The allowed domains
and scales come from the cache (`choices()`), dropped whenever the secretariat edits them.
"""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from cocreation.models import Domain, Kind, Submission, Worksheet, WorksheetItem, WorksheetScales

MAX_ITEMS = 60
TEXT_LIMITS = {"title": 300, "description": 5000, "analysis": 10000}


class Closed(Exception):
    """The participant's deadline has passed (or the round has not started, or the link was revoked)."""


class Conflict(Exception):
    def __init__(self, server):
        super().__init__("version conflict")
        self.server = server


def _int_or_none(value, low, high, name):
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(f"{name}: not a number") from None
    if not low <= number <= high:
        raise ValidationError(f"{name}: must be between {low} and {high}")
    return number


CHOICES_KEY = "cocreation:worksheet-choices"
CHOICES_SECONDS = 60  # bounds staleness where the cache is per process (no CACHE_URL)


def choices():
    """(domain ids, horizon bands, confidence codes) a save may use, from the cache when it can."""
    found = cache.get(CHOICES_KEY)
    if found is None:
        scales = WorksheetScales.load()
        found = (
            set(Domain.objects.values_list("pk", flat=True)),
            set(scales.horizons()),
            {code for code, _label in scales.confidences()},
        )
        cache.set(CHOICES_KEY, found, CHOICES_SECONDS)
    return found


@receiver([post_save, post_delete], sender=Domain)
@receiver([post_save, post_delete], sender=WorksheetScales)
def _forget_choices(**kwargs):
    cache.delete(CHOICES_KEY)


def clean_items(raw_items):
    """Validated item dicts from the client's JSON; raises ValidationError."""
    if not isinstance(raw_items, list) or len(raw_items) > MAX_ITEMS:
        raise ValidationError(f"items: a list of at most {MAX_ITEMS}")
    domains, horizons, confidences = choices()
    items = []
    for raw in raw_items:
        if not isinstance(raw, dict):
            raise ValidationError("items: objects expected")
        item = {
            "kind": raw.get("kind") or Kind.TREND,
            "domain": _int_or_none(raw.get("domain"), 1, 2**31, "domain"),
            "impact": _int_or_none(raw.get("impact"), -2, 2, "impact"),
            "likelihood": _int_or_none(raw.get("likelihood"), 1, 5, "likelihood"),
            "horizon": str(raw.get("horizon") or ""),
            "confidence": str(raw.get("confidence") or ""),
        }
        for name, limit in TEXT_LIMITS.items():
            text = str(raw.get(name) or "")
            if len(text) > limit:
                raise ValidationError(f"{name}: at most {limit} characters")
            item[name] = text
        if item["kind"] not in Kind.values:
            raise ValidationError("kind: unknown")
        if item["domain"] is not None and item["domain"] not in domains:
            raise ValidationError("domain: unknown")
        if item["horizon"] and item["horizon"] not in horizons:
            raise ValidationError("horizon: unknown band")
        if item["confidence"] and item["confidence"] not in confidences:
            raise ValidationError("confidence: unknown level")
        items.append(item)
    return items


def _write_items(worksheet, items):
    # One DELETE: the ORM's delete() would first SELECT the rows to send signals nobody needs here.
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {WorksheetItem._meta.db_table} WHERE worksheet_id = %s",
            [worksheet.pk],
        )
    WorksheetItem.objects.bulk_create(
        [
            WorksheetItem(
                worksheet=worksheet,
                position=position,
                kind=item["kind"],
                domain_id=item["domain"],
                title=item["title"],
                description=item["description"],
                impact=item["impact"],
                likelihood=item["likelihood"],
                horizon=item["horizon"],
                confidence=item["confidence"],
                analysis=item["analysis"],
            )
            for position, item in enumerate(items)
        ]
    )


ITEM_COLUMNS = (  # (column, key in a cleaned item, PostgreSQL type of its values); position first
    ("position", None, "smallint"),
    ("kind", "kind", "text"),
    ("domain_id", "domain", "bigint"),
    ("title", "title", "text"),
    ("description", "description", "text"),
    ("impact", "impact", "smallint"),
    ("likelihood", "likelihood", "smallint"),
    ("horizon", "horizon", "text"),
    ("confidence", "confidence", "text"),
    ("analysis", "analysis", "text"),
)


def _claim_and_write_postgres(pk, expected, commentary, now, items):
    """Claim, clear and rewrite in ONE statement (one round trip, atomic without BEGIN/COMMIT): the
    save under load waits on round trips far more than on work. The conditional UPDATE locks the row;
    DELETE and INSERT act only when it claimed it. They read the snapshot taken when the statement
    began, which already holds every committed save this one builds on: a client learns a version
    only from a committed save. A domain deleted meanwhile is stored as none (as deleting it does)."""
    columns = ", ".join(name for name, _key, _type in ITEM_COLUMNS)
    arrays = ", ".join(f"%s::{kind}[]" for _name, _key, kind in ITEM_COLUMNS)
    values = [list(range(len(items)))] + [[item[key] for item in items] for _c, key, _t in ITEM_COLUMNS[1:]]
    items_table, domains = WorksheetItem._meta.db_table, Domain._meta.db_table
    sql = f"""
        WITH claimed AS (
            UPDATE {Worksheet._meta.db_table} SET version = version + 1, commentary = %s, updated_at = %s
            WHERE id = %s AND version = %s RETURNING id
        ), cleared AS (
            DELETE FROM {items_table} WHERE worksheet_id IN (SELECT id FROM claimed)
        ), added AS (
            INSERT INTO {items_table} (worksheet_id, {columns})
            SELECT claimed.id, v.position, v.kind, d.id, v.title, v.description, v.impact, v.likelihood,
                   v.horizon, v.confidence, v.analysis
            FROM claimed CROSS JOIN unnest({arrays}) AS v({columns})
            LEFT JOIN {domains} d ON d.id = v.domain_id
        )
        SELECT count(*) FROM claimed"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [commentary, now, pk, expected, *values])
        return cursor.fetchone()[0]


def _claim_and_write(worksheet, expected, commentary, now, items):
    """The same on other databases (SQLite for development): a transaction of three statements."""
    try:
        with transaction.atomic():
            claimed = Worksheet.objects.filter(pk=worksheet.pk, version=expected).update(
                version=F("version") + 1, commentary=commentary, updated_at=now
            )
            if claimed:
                _write_items(worksheet, items)
            return claimed
    except IntegrityError:  # a domain deleted since the cached choices were read
        _forget_choices()
        raise ValidationError("domain: unknown") from None


def save(worksheet, data, now=None):
    """Store the participant's worksheet; returns the new version.

    Raises Closed after the deadline, Conflict when `data["version"]` is not the stored version,
    ValidationError for bad input.
    """
    now = now or timezone.now()
    if not worksheet.invitation.may_edit(now):
        raise Closed()
    items = clean_items(data.get("items", []))
    commentary = str(data.get("commentary") or "")[:20000]
    try:
        expected = int(data.get("version"))
    except (TypeError, ValueError):
        raise ValidationError("version: required") from None
    if connection.vendor == "postgresql":
        claimed = _claim_and_write_postgres(worksheet.pk, expected, commentary, now, items)
    else:
        claimed = _claim_and_write(worksheet, expected, commentary, now, items)
    if not claimed:
        raise Conflict(Worksheet.objects.get(pk=worksheet.pk).as_data())
    # The claim matched `version = expected` under the row lock, so the new version is known.
    worksheet.version, worksheet.commentary, worksheet.updated_at = expected + 1, commentary, now
    return worksheet.version


def submit(worksheet, now=None):
    """Hand the worksheet in (again): a new Submission version; editing stays possible until the deadline."""
    now = now or timezone.now()
    if not worksheet.invitation.may_edit(now):
        raise Closed()
    with transaction.atomic():
        worksheet = Worksheet.objects.select_for_update().get(pk=worksheet.pk)
        number = worksheet.submissions.count() + 1
        Submission.objects.create(
            worksheet=worksheet, number=number, submitted_at=now, data=worksheet.as_data()
        )
        worksheet.submitted_at = now
        worksheet.save(update_fields=["submitted_at"])
    return number


def start_from(worksheet, previous):
    """A round-2 worksheet starts from the participant's round-1 answers."""
    _write_items(worksheet, [item.as_data() for item in previous.items.all()])
    worksheet.commentary = previous.commentary
    worksheet.save(update_fields=["commentary"])
