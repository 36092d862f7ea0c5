"""What the demo media say and show, written from a plan's content (its executive summary, goals and KPIs).

The podcast is a conversation that walks the executive summary: a chapter per heading, the host asking,
the guest answering with the summary's own sentences and the KPI table read out. The film is five
scenes (title, key facts, KPI bars, goals, closing card), each with its narration in both languages.
"""

import json
from dataclasses import dataclass, field

from cms.i18n import format_number
from plans.demo.narration import Line, sentences

TEXTS = {
    "fa": {
        "sso": "سازمان تأمین اجتماعی",
        "series": "پادکست روایت",
        "plan": "طرح {number}",
        "opening": "آغاز",
        "closing": "پایان",
        "welcome": "به پادکست روایت خوش آمدید؛ روایت طرح‌های تحول سازمان تأمین اجتماعی.",
        "topic": "در این قسمت دربارهٔ طرح {number}، {title}، گفت‌وگو می‌کنیم.",
        "ask_summary": "این طرح در چند جمله چه کرد؟",
        "ask_section": "برویم سراغ {heading}.",
        "kpi": "{name}: از {before} به {after} {unit} رسید؛ هدف {target} بود.",
        "lesson": "{title}: {lesson}",
        "goodbye": "متن کامل گزارش این طرح در درگاه روایت در دسترس است. از همراهی شما سپاسگزاریم.",
        "facts": "نکته‌های کلیدی",
        "results": "نتایج: پیش و پس از اجرا",
        "goals": "اهداف کلان",
        "film_opening": "سازمان تأمین اجتماعی روایت می‌کند: طرح {number}، {title}.",
        "film_results": "نتایج طرح، پیش و پس از اجرا.",
        "film_goals": "اهداف کلان طرح.",
        "film_closing": "گزارش کامل را با این کد در درگاه روایت بخوانید.",
        "read_more": "گزارش کامل در درگاه روایت",
        "before": "پیش",
        "after": "پس",
        "illustrative": "ارقام نمونه",
    },
    "en": {
        "sso": "Social Security Organization",
        "series": "Revayat podcast",
        "plan": "Plan {number}",
        "opening": "Opening",
        "closing": "Closing",
        "welcome": "Welcome to the Revayat podcast, the story of the Social Security Organization's "
        "transformation plans.",
        "topic": "In this episode we talk about plan {number}, {title}.",
        "ask_summary": "What did the plan do, in a few sentences?",
        "ask_section": "Let's turn to {heading}.",
        "kpi": "{name}: from {before} to {after} {unit}, against a target of {target}.",
        "lesson": "{title}: {lesson}",
        "goodbye": "The full report of this plan is on the Revayat portal. Thank you for listening.",
        "facts": "Key facts",
        "results": "Results: before and after",
        "goals": "Goals",
        "film_opening": "The Social Security Organization presents plan {number}, {title}.",
        "film_results": "The plan's results, before and after.",
        "film_goals": "The plan's goals.",
        "film_closing": "Read the full report on the Revayat portal with this code.",
        "read_more": "The full report on the Revayat portal",
        "before": "Before",
        "after": "After",
        "illustrative": "Illustrative figures",
    },
}
MAX_FACTS, MAX_KPIS, MAX_GOALS = 4, 4, 4


def kpi_rows(series, language):
    """The KPI snippets (plans.kpi_data Series) as rows with display numbers in the language."""
    rows = []
    for item in series:
        if item.baseline is None or item.latest is None:
            continue
        rows.append(
            {
                "name": item.name,
                "unit": item.unit,
                "before": float(item.baseline.value),
                "after": float(item.latest.value),
                "target": float(item.target.value) if item.target else None,
                "before_label": format_number(item.baseline.value, language),
                "after_label": format_number(item.latest.value, language),
                "target_label": format_number(item.target.value, language) if item.target else "",
            }
        )
    return rows


def podcast_lines(data, language):
    """The episode's conversation from the plan's executive summary."""
    texts, plan = TEXTS[language], data[language]
    summary = plan["executive_summary"]
    number = format_number(data["plan_number"], language)
    lines = [
        Line("host", texts["welcome"], chapter=texts["opening"]),
        Line("host", texts["topic"].format(number=number, title=plan["title"])),
        Line("host", texts["ask_summary"]),
        *(Line("guest", sentence) for sentence in sentences(summary["summary"])),
    ]
    for block in summary["body"]:
        kind, value = block["type"], block["value"]
        if kind == "heading":
            heading = value["text"]
            lines.append(Line("host", texts["ask_section"].format(heading=heading), chapter=heading))
        elif kind == "paragraph":
            lines += [Line("guest", sentence) for sentence in sentences(value)]
        elif kind == "kpi_table":
            lines += [
                Line(
                    "guest",
                    texts["kpi"].format(
                        name=row["indicator"],
                        before=format_number(row["before"], language),
                        after=format_number(row["after"], language),
                        unit=row["unit"],
                        target=format_number(row["target"], language),
                    ),
                )
                for row in value["rows"]
            ]
        elif kind == "lessons":
            lines += [Line("guest", texts["lesson"].format(**item)) for item in value["items"]]
    lines.append(Line("host", texts["goodbye"], chapter=texts["closing"]))
    return lines


@dataclass
class Scene:
    """One card of the film: what it shows (`kind`, `content`) and what is said over it, per language."""

    kind: str  # title | facts | kpis | goals | closing
    content: dict
    narration: dict = field(default_factory=dict)  # language → [sentences]


def film_scenes(data, kpis, url):
    """The film's five scenes, in both languages (the texts are parallel: same blocks, same order)."""
    scenes = {}
    for language in ("fa", "en"):
        texts, plan = TEXTS[language], data[language]
        number = format_number(data["plan_number"], language)
        facts = key_facts(plan)[:MAX_FACTS]
        goals = plan["macro_goals"][:MAX_GOALS]
        rows = kpis[language][:MAX_KPIS]
        per_language = [
            (
                "title",
                {
                    "plan": texts["plan"].format(number=number),
                    "title": plan["title"],
                    "subtitle": plan["full_title"],
                    "sso": texts["sso"],
                },
                [texts["film_opening"].format(number=number, title=plan["title"])],
            ),
            ("facts", {"heading": texts["facts"], "items": facts}, facts),
            (
                "kpis",
                {"heading": texts["results"], "rows": rows, "note": texts["illustrative"]},
                [texts["film_results"]]
                + [
                    texts["kpi"].format(
                        name=row["name"],
                        before=row["before_label"],
                        after=row["after_label"],
                        unit=row["unit"],
                        target=row["target_label"],
                    )
                    for row in rows
                ],
            ),
            ("goals", {"heading": texts["goals"], "items": goals}, [texts["film_goals"], *goals]),
            (
                "closing",
                {"text": texts["read_more"], "url": url, "sso": texts["sso"]},
                [texts["film_closing"]],
            ),
        ]
        for kind, content, narration in per_language:
            scene = scenes.setdefault(kind, Scene(kind, {}))
            scene.content[language] = content
            scene.narration[language] = narration
    return list(scenes.values())


def key_facts(plan):
    """The executive summary's first sentences that are facts (its first list, else its first paragraph)."""
    for block in plan["executive_summary"]["body"]:
        if block["type"] == "paragraph":
            return sentences(block["value"])
    return sentences(plan["summary"])


def fingerprint(*parts):
    """A stable text of everything a generated file depends on (for its content hash)."""
    return json.dumps(parts, ensure_ascii=False, sort_keys=True, default=lambda o: o.__dict__)
