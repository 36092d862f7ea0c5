"""Soak, spike and purge-all stampede: a realistic mix of readers at a steady rate, on the production server.

Serves a copy of the demo site with gunicorn (settings.production, 2 workers) and the page cache on Redis
(database 12), then sends requests at a fixed arrival rate, whatever the server's pace (an open loop, as
readers arrive): portal pages from the sitemap, API listings and details, RSS/Atom feeds, search, and Range
requests on podcast audio. Three phases:

1. soak: `--rate` requests/s for `--minutes` (the issue's figure: 50/s for 10 minutes);
2. spike: ten times the rate for `--spike-seconds` (30);
3. stampede: the rate again while every cached response is retired at once (the content version bumped,
   as a publication does) every few seconds.

Prints per phase: requests, errors (anything but 2xx/3xx, and failed connections), p50/p95/p99 latency.
Exits non-zero when a phase had an error. Run: `.venv/bin/python benchmarks/soak.py [--minutes 10]`.
"""

import argparse
import asyncio
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from the checkout

from tests.demo_server import demo_site, manage  # noqa: E402

MIX = {"page": 50, "api": 20, "feed": 10, "search": 10, "media": 10}  # percent of requests
SEARCH_TERMS = ["تأمین اجتماعی", "گزارش‌ها", "شايستگي", "۱۴۰۳", "performance", "تتا", "KPI", "بازنشستگان"]


def ranges(client, paths):
    """(path, first byte) of two 64 KB ranges per file, as a player seeking would ask: the start and the
    middle (a start past the end would be a 416, the reader's mistake, not the server's)."""
    for path in paths:
        size = int(client.head(path).headers["content-length"])
        for start in (0, max(size // 2 - 65536, 0)):
            yield path, start


def targets(base):
    """{kind: [(path, headers)]} discovered from the running site, as a crawler would."""
    with httpx.Client(base_url=base, timeout=30) as client:
        pages = re.findall(r"<loc>https?://[^/]+(/[^<]*)</loc>", client.get("/sitemap.xml").text)
        listing = client.get("/api/v2/pages/", params={"locale": "fa", "limit": 50}).json()["items"]
        audio = set()
        for path in pages:
            if "podcast" in path:
                audio.update(re.findall(r'src="(/media/[^"]+\.(?:mp3|m4a))"', client.get(path).text))
        media = [(path, {"Range": f"bytes={start}-{start + 65535}"}) for path, start in ranges(client, audio)]
    details = [f"/api/v2/pages/{item['id']}/" for item in listing]
    found = {
        "page": [(path, {}) for path in pages],
        "api": [("/api/v2/pages/?locale=fa", {}), ("/api/v2/pages/?locale=en", {})]
        + [(p, {}) for p in details],
        "feed": [(f"/feeds/{language}/{kind}/", {}) for language in ("fa", "en") for kind in ("rss", "atom")],
        "search": [(f"/fa/search/?q={term}", {}) for term in SEARCH_TERMS],
        "media": media,
    }
    empty = [kind for kind, items in found.items() if not items]
    if empty:
        sys.exit(f"Nothing found to request for: {', '.join(empty)}")
    return found


def warm(base, found):
    """Ask for every target once, as the readers of a portal in service have: the soak measures the steady
    state, the stampede phase what a cold cache costs."""
    started = time.perf_counter()
    with httpx.Client(base_url=base, timeout=120) as client:
        for items in found.values():
            for path, headers in items:
                client.get(path, headers=headers)
    count = sum(len(items) for items in found.values())
    print(f"warmed {count} targets in {time.perf_counter() - started:.1f} s", flush=True)


async def run_phase(base, found, rate, seconds, bump=None):
    """Send `rate` requests/s for `seconds`; returns [(kind, status or error, seconds)]."""
    kinds, weights = zip(*MIX.items(), strict=True)
    results = []
    limits = httpx.Limits(max_connections=400, max_keepalive_connections=100)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:

        async def one(kind, path, headers):
            started = time.perf_counter()
            try:
                response = await client.get(path, headers=headers)
                outcome = response.status_code
            except httpx.HTTPError as error:
                outcome = type(error).__name__
            results.append((kind, outcome, time.perf_counter() - started))

        tasks, started = [], time.perf_counter()
        next_bump = started + 5
        for number in range(int(rate * seconds)):
            due = started + number / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            if bump and time.perf_counter() >= next_bump:
                tasks.append(asyncio.create_task(asyncio.to_thread(bump)))
                next_bump += 5
            kind = random.choices(kinds, weights)[0]
            tasks.append(asyncio.create_task(one(kind, *random.choice(found[kind]))))
        await asyncio.gather(*tasks)
    return results


def report(name, results):
    latencies = sorted(seconds * 1000 for _kind, _outcome, seconds in results)
    errors = [
        (kind, outcome)
        for kind, outcome, _seconds in results
        if not (isinstance(outcome, int) and outcome < 400)
    ]
    quantiles = statistics.quantiles(latencies, n=100)
    p50, p95, p99 = quantiles[49], quantiles[94], quantiles[98]
    print(f"{name:<9} {len(results):>7} {len(errors):>7} {p50:>8.1f} {p95:>8.1f} {p99:>8.1f}", flush=True)
    for kind, outcome in sorted(set(errors), key=str)[:10]:
        print(f"          error: {kind} → {outcome}")
    return len(errors)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=50, help="requests per second in the soak")
    parser.add_argument("--minutes", type=float, default=10, help="length of the soak")
    parser.add_argument("--spike-seconds", type=float, default=30)
    parser.add_argument("--stampede-seconds", type=float, default=60)
    options = parser.parse_args()
    os.environ["CACHE_URL"] = "redis://127.0.0.1:6379/12"
    import redis

    redis.Redis(db=12).flushdb()
    with demo_site(production=True) as (base, folder):
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/demo.sqlite3",
            "MEDIA_ROOT": f"{folder}/media",
        }
        env["DJANGO_SETTINGS_MODULE"] = "settings.test"

        def bump():
            manage(
                "shell", "--no-imports", "-c", "from cms.cache import bump_content_version as b; b()", env=env
            )

        found = targets(base)
        warm(base, found)
        print(f"{base}: gunicorn -w 2, settings.production, page cache on Redis; mix {MIX}")
        print(f"{'phase':<9} {'requests':>7} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
        errors = report("soak", asyncio.run(run_phase(base, found, options.rate, options.minutes * 60)))
        errors += report(
            "spike", asyncio.run(run_phase(base, found, options.rate * 10, options.spike_seconds))
        )
        stampede = asyncio.run(run_phase(base, found, options.rate, options.stampede_seconds, bump=bump))
        errors += report("stampede", stampede)
    if errors:
        sys.exit(f"{errors} request(s) failed")


if __name__ == "__main__":
    main()
