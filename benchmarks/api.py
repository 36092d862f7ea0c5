"""Benchmark the headless API on the production server: a page listing and a plan's detail vs a static file.

Builds a throw-away SQLite demo site (settings.production), serves it with gunicorn on 127.0.0.1 and runs
`wrk --latency` against each URL; prints requests/s and each API target as a ratio of the static file
served by the same server (the practical ceiling). See benchmarks/README.md.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from the checkout: `python benchmarks/api.py`

from benchmarks.portal import get, measure, production_site, wrk_options  # noqa: E402

LISTING = (
    "/api/v2/pages/?locale=fa&type=plans.PlanPage&limit=20"
    "&fields=plan_number,start_date,approved_budget_rials,lead_unit,hero_image,translations"
)


def main():
    options = wrk_options(__doc__.splitlines()[0])
    with production_site() as (base, static):
        status, body = get(base + LISTING, timeout=120)  # the first call makes the renditions
        items = json.loads(body)["items"]
        if status != 200 or not items:
            sys.exit(f"{LISTING} answered {status} with {len(items)} plans.")
        detail = f"/api/v2/pages/{items[0]['id']}/"
        plan = json.loads(get(base + detail, timeout=120)[1])
        missing = [s["field"] for s in plan["sections"] if s["field"] and s["field"] not in plan]
        if missing:
            sys.exit(f"{detail} lacks sections {missing}.")
        measure(
            base,
            {"listing": LISTING, "detail": detail, "static": static},
            options,
            compared=("detail", "listing"),
        )


if __name__ == "__main__":
    main()
