"""KPI series as CSV and XLSX downloads, safe to open in a spreadsheet.

One row per number: the plan, the indicator, whether the number is the baseline ("before"), an
actual value or the target, its period (code and label) and the value. Values are written as plain
numbers (ASCII digits, `.` decimals) so they can be computed with; text cells that a spreadsheet would
read as a formula (starting with = + - @, a tab or a carriage return) are prefixed with an apostrophe
(OWASP "CSV injection").
"""

import csv
import io

from django.utils.translation import gettext as _

from cms.i18n import is_rtl

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value):
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def header():
    return [
        _("Plan"),
        _("Plan title"),
        _("Indicator"),
        _("Unit"),
        _("Kind"),
        _("Period code"),
        _("Period"),
        _("Value"),
        _("Direction"),
        _("Source"),
        _("Illustrative"),
    ]


def rows(series_list, language=None):
    """[(text cells…, value)] for every baseline, actual and target number of the series."""
    kinds = (("baseline", _("Before")), ("actual", _("Actual")), ("target", _("Target")))
    for series in series_list:
        kpi = series.kpi
        direction = kpi.get_direction_display()
        for kind, label in kinds:
            points = {"baseline": [series.baseline], "actual": series.values, "target": [series.target]}[kind]
            for point in points:
                if point is None:
                    continue
                yield {
                    "text": [
                        str(series.plan_number or ""),
                        series.plan_title,
                        kpi.name,
                        kpi.unit,
                        label,
                        point.code,
                        point.label(language),
                    ],
                    "value": point.value,
                    "after": [direction, kpi.source, _("Yes") if kpi.illustrative else _("No")],
                }


def to_csv(series_list, language=None):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header())
    for row in rows(series_list, language):
        writer.writerow(
            [
                *map(safe_text, row["text"]),
                format(row["value"].normalize(), "f"),
                *map(safe_text, row["after"]),
            ]
        )
    return "\ufeff" + buffer.getvalue()  # a BOM, so spreadsheet programs read the Persian as UTF-8


def to_xlsx(series_list, language=None):
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet(_("KPIs")[:31])
    if is_rtl(language):
        sheet.right_to_left()
    bold = book.add_format({"bold": True, "font_name": "Vazirmatn"})
    plain = book.add_format({"font_name": "Vazirmatn"})
    number = book.add_format({"num_format": "#,##0.##", "font_name": "Vazirmatn"})
    for column, title in enumerate(header()):
        sheet.write_string(0, column, title, bold)
    for line, row in enumerate(rows(series_list, language), start=1):
        cells = row["text"]
        for column, text in enumerate(cells):
            sheet.write_string(line, column, safe_text(text), plain)
        sheet.write_number(line, len(cells), float(row["value"]), number)
        for offset, text in enumerate(row["after"], start=len(cells) + 1):
            sheet.write_string(line, offset, safe_text(text), plain)
    sheet.set_column(1, 1, 48)
    sheet.set_column(2, 9, 16)
    book.close()
    return buffer.getvalue()
