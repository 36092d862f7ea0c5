#!/usr/bin/env python3
"""Validate the Revayat demo content JSON files (stdlib only).

Usage: python3 plans/demo/check_content.py [content_dir]  (default: plans/demo/content)

Checks shared.json and every plan-*.json in the directory:
  * every file parses;
  * fa and en trees of each plan are structurally identical (same keys, list lengths,
    block types, same <p>/<li> sequence in every HTML string, identical non-text values);
  * no Arabic yeh/kaf (U+064A, U+0643) and no bidi control characters anywhere;
  * every unit / person / upstream-document key referenced by a plan exists in shared.json;
  * section requirements (section_5 KPI table + impact forecast with revenue/costs/satisfaction
    + one figure, section_6 >= 6 lessons, >= 2 quotes, factor matrix with >= 3 success and
    >= 2 failure rows, section_8 >= 4 references, ...);
  * Persian prose uses Persian digits; English text has none; only allowed HTML tags.
Prints errors and warnings, then word counts per file and language. Exit status 1 on errors.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DIR = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "content")

errors, warnings = [], []


def err(where, msg):
    errors.append(f"ERROR   {where}: {msg}")


def warn(where, msg):
    warnings.append(f"WARNING {where}: {msg}")


ARABIC = {"\u064a": "Arabic yeh U+064A", "\u0643": "Arabic kaf U+0643"}
BIDI = {c: f"bidi control U+{ord(c):04X}" for c in
        "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"}

# values that are not translated and must be identical in fa and en
SHARED_KEYS = {"type", "kind", "category", "status", "area", "level", "image", "url", "start",
               "end", "year", "achievement_percent", "before", "after", "target", "illustrative"}
CHOICES = {
    "kind": {"success", "failure", "info", "illustrative"},
    "category": {"institutional", "legal", "financial", "social", "managerial", "technical", "cultural"},
    "status": {"done", "in_progress", "planned", "delayed"},
    "area": {"revenue", "costs", "satisfaction"},
    "level": {"h3", "h4"},
}
BLOCK_TYPES = {"heading", "paragraph", "quote", "lessons", "factor_matrix", "kpi_table", "roadmap",
               "governance", "challenges", "actions", "impact_forecast", "goal_achievement",
               "checklist", "note", "figure", "reference", "external_link"}
SECTIONS = ["section_1", "section_3", "section_4", "section_5", "section_6", "section_7", "section_8"]
LANG_KEYS = ["title", "full_title", "summary", "illustrative_notice", "team_responsibilities",
             "macro_goals", "smart_goals", *SECTIONS, "executive_summary"]
ALLOWED_TAGS = {"p", "ul", "ol", "li", "b", "i", "a"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
KEY_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
TAG_RE = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)([^>]*)>")
HTML_HINT = re.compile(r"<(p|ul|ol|li)>")


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            raw = f.read()
    except OSError as e:
        err(os.path.basename(path), f"cannot read: {e}")
        return None, ""
    try:
        return json.loads(raw), raw
    except json.JSONDecodeError as e:
        err(os.path.basename(path), f"invalid JSON: {e}")
        return None, raw


def check_chars(name, raw):
    for line_no, line in enumerate(raw.splitlines(), 1):
        for ch, label in list(ARABIC.items()) + list(BIDI.items()):
            if ch in line:
                err(f"{name}:{line_no}", f"contains {label}")


def block_seq(html):
    """Sequence of block-level opening tags (<p>, <li>) in an HTML string."""
    return [m.group(2).lower() for m in TAG_RE.finditer(html)
            if not m.group(1) and m.group(2).lower() in ("p", "li")]


def check_html(where, html):
    for m in TAG_RE.finditer(html):
        tag, attrs = m.group(2).lower(), m.group(3).strip()
        if tag not in ALLOWED_TAGS:
            err(where, f"tag <{tag}> not allowed")
        elif tag == "a" and not m.group(1):
            if not re.fullmatch(r'href="https://[^"\s]+"', attrs):
                err(where, f"<a> must have only href=\"https://...\": {attrs!r}")
        elif attrs:
            err(where, f"<{tag}> must not have attributes: {attrs!r}")
    if "\n" in html:
        warn(where, "line break inside HTML string")


def text_only(s):
    return re.sub(r"<[^>]+>", " ", s)


def check_digits(where, s, lang):
    t = text_only(s)
    if lang == "fa":
        # ASCII digits are fine only inside Latin tokens such as TP-12, C102, ISO 9001
        for tok in re.findall(r"[A-Za-z0-9][A-Za-z0-9.\-/]*", t):
            if re.search(r"\d", tok) and not re.search(r"[A-Za-z]", tok):
                err(where, f"ASCII digits in Persian text: {tok!r}")
                break
    else:
        if re.search(r"[\u06f0-\u06f9\u0660-\u0669]", t):
            err(where, "Persian/Arabic digits in English text")
        if re.search(r"[\u0600-\u06ff]", t):
            warn(where, "Arabic-script characters in English text")


def compare(fa, en, path):
    """Recursive structural comparison of the fa and en trees."""
    key = path.rsplit(".", 1)[-1].split("[")[0]
    if type(fa) is not type(en):
        err(path, f"type differs: fa {type(fa).__name__} vs en {type(en).__name__}")
        return
    if isinstance(fa, dict):
        if list(fa.keys()) != list(en.keys()):
            err(path, f"keys differ: fa {list(fa.keys())} vs en {list(en.keys())}")
        for k in fa:
            if k in en:
                compare(fa[k], en[k], f"{path}.{k}")
    elif isinstance(fa, list):
        if len(fa) != len(en):
            err(path, f"list length differs: fa {len(fa)} vs en {len(en)}")
        for i, (a, b) in enumerate(zip(fa, en, strict=False)):
            compare(a, b, f"{path}[{i}]")
    elif isinstance(fa, str):
        if key in SHARED_KEYS:
            if fa != en:
                err(path, f"shared value differs: fa {fa!r} vs en {en!r}")
            return
        if HTML_HINT.search(fa) or HTML_HINT.search(en):
            sa, sb = block_seq(fa), block_seq(en)
            if sa != sb:
                err(path, f"HTML block structure differs: fa {sa.count('p')}p/{sa.count('li')}li "
                          f"vs en {sb.count('p')}p/{sb.count('li')}li")
            check_html(path + " (fa)", fa)
            check_html(path + " (en)", en)
        if fa.strip() == "" or en.strip() == "":
            err(path, "empty text")
        check_digits(path + " (fa)", fa, "fa")
        check_digits(path + " (en)", en, "en")
    else:
        if fa != en:
            err(path, f"value differs: fa {fa!r} vs en {en!r}")


def words(node):
    if isinstance(node, str):
        return len(text_only(node).split())
    if isinstance(node, dict):
        return sum(words(v) for k, v in node.items() if k not in SHARED_KEYS)
    if isinstance(node, list):
        return sum(words(v) for v in node)
    return 0


def blocks_of(stream, type_):
    return [b["value"] for b in stream if isinstance(b, dict) and b.get("type") == type_]


def check_blocks(where, stream):
    if not isinstance(stream, list):
        err(where, "stream must be a list of blocks")
        return
    for i, b in enumerate(stream):
        w = f"{where}[{i}]"
        if not isinstance(b, dict) or set(b.keys()) != {"type", "value"}:
            err(w, "block must be {type, value}")
            continue
        t, v = b["type"], b["value"]
        if t not in BLOCK_TYPES:
            err(w, f"unknown block type {t!r}")
            continue
        if t == "heading" and (not isinstance(v, dict) or v.get("level") not in CHOICES["level"]):
            err(w, "heading needs level h3/h4")
        if t == "paragraph" and not (isinstance(v, str) and HTML_HINT.search(v)):
            err(w, "paragraph must be an HTML string with <p>/<ul>/<ol>")
        if t == "kpi_table":
            if v.get("illustrative") is not True:
                err(w, "kpi_table must have illustrative: true")
            for j, r in enumerate(v.get("rows", [])):
                for f in ("before", "after", "target"):
                    if not isinstance(r.get(f), (int, float)) or isinstance(r.get(f), bool):
                        err(f"{w}.rows[{j}]", f"{f} must be a number")
        if t == "roadmap":
            for j, m in enumerate(v.get("milestones", [])):
                for f in ("start", "end"):
                    if not ISO_DATE.match(str(m.get(f, ""))):
                        err(f"{w}.milestones[{j}]", f"{f} must be YYYY-MM-DD")
                if str(m.get("start")) > str(m.get("end")):
                    err(f"{w}.milestones[{j}]", "start after end")
        if t == "goal_achievement":
            for j, g in enumerate(v.get("items", [])):
                p = g.get("achievement_percent")
                if not isinstance(p, int) or not 0 <= p <= 100:
                    err(f"{w}.items[{j}]", "achievement_percent must be int 0-100")
        if t == "figure" and v.get("image") != "figure":
            err(w, "figure image key must be 'figure'")
        if t in ("external_link",) and not str(v.get("url", "")).startswith("https://"):
            err(w, "external_link url must start with https://")
        if t == "reference" and v.get("url") and not str(v["url"]).startswith("https://"):
            err(w, "reference url must be empty or https://")
        # choice values anywhere in the block
        for item in walk_dicts(v):
            for ck, allowed in CHOICES.items():
                if (ck in item and isinstance(item[ck], str) and item[ck] not in allowed
                        and not (t == "heading" and ck != "level")):
                    err(w, f"{ck}={item[ck]!r} not in {sorted(allowed)}")


def walk_dicts(v):
    if isinstance(v, dict):
        yield v
        for x in v.values():
            yield from walk_dicts(x)
    elif isinstance(v, list):
        for x in v:
            yield from walk_dicts(x)


def check_plan_lang(name, lang, d):
    w = f"{name}.{lang}"
    missing = [k for k in LANG_KEYS if k not in d]
    if missing:
        err(w, f"missing keys {missing}")
        return
    if len(d["title"]) > 60:
        err(w, f"title longer than 60 chars ({len(d['title'])})")
    if not 3 <= len(d["macro_goals"]) <= 5:
        err(w, "macro_goals must have 3-5 items")
    if not 2 <= len(d["smart_goals"]) <= 4:
        err(w, "smart_goals must have 2-4 items")
    for i, g in enumerate(d["smart_goals"]):
        if set(g) != {"specific", "measurable", "achievable", "relevant", "time_bound"}:
            err(f"{w}.smart_goals[{i}]", "needs specific/measurable/achievable/relevant/time_bound")
    for s in SECTIONS:
        check_blocks(f"{w}.{s}", d[s])
        n = words(d[s])
        if n < 80:
            warn(f"{w}.{s}", f"only {n} words (expected a substantial section)")
    es = d["executive_summary"]
    if not isinstance(es, dict) or set(es) != {"title", "summary", "body"}:
        err(f"{w}.executive_summary", "needs title, summary, body")
    else:
        check_blocks(f"{w}.executive_summary.body", es["body"])
        if not 6 <= len(es["body"]) <= 12:
            err(f"{w}.executive_summary.body", f"{len(es['body'])} blocks (expected 6-12)")

    # section requirements
    s3 = d["section_3"]
    if not blocks_of(s3, "challenges"):
        err(f"{w}.section_3", "needs a challenges block")
    s4 = d["section_4"]
    for t in ("roadmap", "governance", "actions"):
        if not blocks_of(s4, t):
            err(f"{w}.section_4", f"needs a {t} block")
    for r in blocks_of(s4, "roadmap"):
        if not 5 <= len(r.get("milestones", [])) <= 8:
            err(f"{w}.section_4", f"roadmap has {len(r.get('milestones', []))} milestones (expected 5-8)")
    s5 = d["section_5"]
    kpis = blocks_of(s5, "kpi_table")
    if not kpis:
        err(f"{w}.section_5", "needs a kpi_table")
    for k in kpis:
        if not 4 <= len(k.get("rows", [])) <= 6:
            warn(f"{w}.section_5", f"kpi_table has {len(k.get('rows', []))} rows (expected 4-6)")
    imp = blocks_of(s5, "impact_forecast")
    areas = {i.get("area") for b in imp for i in b.get("items", [])}
    if not imp or not {"revenue", "costs", "satisfaction"} <= areas:
        found = sorted(a for a in areas if a)
        err(f"{w}.section_5", f"impact_forecast must cover revenue, costs and satisfaction (has {found})")
    figs = [(s, b) for s in SECTIONS for b in blocks_of(d[s], "figure")] + \
        [("executive_summary", b) for b in blocks_of(es.get("body", []), "figure")]
    if len(figs) != 1 or figs[0][0] != "section_5":
        err(w, f"expected exactly one figure block, in section_5 (found {[f[0] for f in figs]})")
    s6 = d["section_6"]
    lessons = sum(len(b.get("items", [])) for b in blocks_of(s6, "lessons"))
    if lessons < 6:
        err(f"{w}.section_6", f"{lessons} lessons (need >= 6)")
    quotes = len(blocks_of(s6, "quote"))
    if quotes < 2:
        err(f"{w}.section_6", f"{quotes} quotes (need >= 2)")
    rows = [r for b in blocks_of(s6, "factor_matrix") for r in b.get("rows", [])]
    succ = sum(1 for r in rows if r.get("kind") == "success")
    fail = sum(1 for r in rows if r.get("kind") == "failure")
    if not rows or succ < 3 or fail < 2:
        err(f"{w}.section_6", f"factor_matrix needs >= 3 success and >= 2 failure rows (has {succ}/{fail})")
    s7 = d["section_7"]
    for t in ("goal_achievement", "checklist"):
        if not blocks_of(s7, t):
            err(f"{w}.section_7", f"needs a {t} block")
    s8 = d["section_8"]
    refs = len(blocks_of(s8, "reference"))
    if refs < 4:
        err(f"{w}.section_8", f"{refs} references (need >= 4)")
    links = len(blocks_of(s8, "external_link"))
    if links != 2:
        warn(f"{w}.section_8", f"{links} external_link blocks (expected 2)")
    if not blocks_of(s8, "note"):
        warn(f"{w}.section_8", "no note block listing the appendices")


def check_shared(data):
    keys = {"units": set(), "people": set(), "upstream_documents": set()}
    if data is None:
        return keys
    for top in ("home", "plan_index"):
        node = data.get(top)
        if not isinstance(node, dict) or set(node) != {"fa", "en"}:
            err(f"shared.{top}", "needs fa and en")
            continue
        compare(node["fa"], node["en"], f"shared.{top}")
        for lang in ("fa", "en"):
            if set(node[lang]) != {"title", "intro", "summary"}:
                err(f"shared.{top}.{lang}", "needs title, intro, summary")
    fields = {"units": ("name", "description"), "people": ("name", "position"),
              "upstream_documents": ("title", "issuer")}
    for coll, (f1, f2) in fields.items():
        for i, item in enumerate(data.get(coll, [])):
            w = f"shared.{coll}[{i}]"
            k = item.get("key", "")
            if not KEY_RE.match(k):
                err(w, f"bad key {k!r}")
            if k in keys[coll]:
                err(w, f"duplicate key {k!r}")
            keys[coll].add(k)
            for lang in ("fa", "en"):
                if set(item.get(lang, {})) != {f1, f2}:
                    err(f"{w}.{lang}", f"needs {f1} and {f2}")
            compare(item.get("fa"), item.get("en"), f"{w}[{k}]")
            if coll == "upstream_documents":
                if not re.fullmatch(r"\d{4}", str(item.get("year", ""))):
                    err(w, "year must be a 4-digit string")
                if item.get("url") and not str(item["url"]).startswith("https://"):
                    err(w, "url must be empty or https://")
    required = {
        "units": {"ceo-office", "transformation-office", "strategic-planning", "human-capital",
                  "finance-economic", "insurance-affairs", "health-services", "it-center",
                  "legal-affairs", "research-institute"},
        "people": {"ali-heidari"} | {f"p{n}-{r}" for n in (14, 15, 18) for r in ("lead",)} |
                  {f"p{n}-{r}" for n in (12, 14, 15, 18)
                   for r in ("secretary", "analyst", "it-lead", "finance-lead")},
        "upstream_documents": {"general-policies-social-security", "seventh-development-plan",
                               "second-step-statement", "islamic-iranian-progress-model",
                               "national-vision-1404", "sso-20-plans-program", "social-security-law",
                               "civil-service-management-law"},
    }
    for coll, req in required.items():
        miss = sorted(req - keys[coll])
        if miss:
            err(f"shared.{coll}", f"missing required keys {miss}")
    return keys


def check_plan(name, data, keys):
    for f in ("plan_number", "code", "slug", "start_date", "end_date", "approved_budget_rials",
              "actual_cost_rials", "lead_unit", "partner_units", "team", "upstream_documents", "fa", "en"):
        if f not in data:
            err(name, f"missing field {f!r}")
    if not isinstance(data.get("plan_number"), int):
        err(name, "plan_number must be an integer")
    if not re.fullmatch(r"TP-\d+", str(data.get("code", ""))):
        err(name, "code must look like TP-NN")
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", str(data.get("slug", ""))):
        err(name, "slug must be lowercase ASCII with hyphens")
    for f in ("start_date", "end_date"):
        if not ISO_DATE.match(str(data.get(f, ""))):
            err(name, f"{f} must be YYYY-MM-DD")
    if str(data.get("start_date")) > str(data.get("end_date")):
        err(name, "start_date after end_date")
    for f in ("approved_budget_rials", "actual_cost_rials"):
        v = data.get(f)
        if not isinstance(v, int) or isinstance(v, bool) or v <= 0:
            err(name, f"{f} must be a positive integer (rials)")
    if data.get("lead_unit") not in keys["units"]:
        err(name, f"lead_unit {data.get('lead_unit')!r} not in shared units")
    for u in data.get("partner_units", []):
        if u not in keys["units"]:
            err(name, f"partner unit {u!r} not in shared units")
    team = data.get("team", [])
    for t in team:
        if t.get("person") not in keys["people"]:
            err(name, f"team person {t.get('person')!r} not in shared people")
        if t.get("role") not in ("senior_manager", "team_member"):
            err(name, f"bad team role {t.get('role')!r}")
    sm = sum(1 for t in team if t.get("role") == "senior_manager")
    tm = sum(1 for t in team if t.get("role") == "team_member")
    if not 2 <= sm <= 3 or not 3 <= tm <= 5:
        warn(name, f"team has {sm} senior managers and {tm} team members (expected 2-3 and 3-5)")
    docs = data.get("upstream_documents", [])
    if not 2 <= len(docs) <= 5:
        warn(name, f"{len(docs)} upstream documents (expected 2-5)")
    for dk in docs:
        if dk not in keys["upstream_documents"]:
            err(name, f"upstream document {dk!r} not in shared documents")
    fa, en = data.get("fa"), data.get("en")
    if isinstance(fa, dict) and isinstance(en, dict):
        compare(fa, en, f"{name}")
        for lang, d in (("fa", fa), ("en", en)):
            check_plan_lang(name, lang, d)
            if len(d.get("team_responsibilities", [])) != len(team):
                err(f"{name}.{lang}", "team_responsibilities must have one entry per team member")


def main():
    counts = []
    shared_path = os.path.join(DIR, "shared.json")
    shared, raw = load(shared_path)
    check_chars("shared.json", raw)
    keys = check_shared(shared)
    if shared:
        def shared_words(lang):
            total = sum(words(shared.get(t, {}).get(lang)) for t in ("home", "plan_index"))
            return total + sum(words(i.get(lang)) for c in ("units", "people", "upstream_documents")
                               for i in shared.get(c, []))
        counts.append(("shared.json", shared_words("fa"), shared_words("en")))
    plans = sorted(f for f in os.listdir(DIR) if re.fullmatch(r"plan-\d+\.json", f))
    seen_numbers = {}
    for f in plans:
        data, raw = load(os.path.join(DIR, f))
        check_chars(f, raw)
        if data is None:
            continue
        n = data.get("plan_number")
        if f != f"plan-{n}.json":
            warn(f, f"file name does not match plan_number {n}")
        if n in seen_numbers:
            err(f, f"plan_number {n} also used by {seen_numbers[n]}")
        seen_numbers[n] = f
        check_plan(f.replace(".json", ""), data, keys)
        counts.append((f, words(data.get("fa")), words(data.get("en"))))

    for line in errors + warnings:
        print(line)
    print()
    print(f"{'file':<16}{'fa words':>10}{'en words':>10}")
    for f, a, b in counts:
        print(f"{f:<16}{a:>10}{b:>10}")
    print()
    print(f"{len(plans)} plan file(s) checked: {len(errors)} error(s), {len(warnings)} warning(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
