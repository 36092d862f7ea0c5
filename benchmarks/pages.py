"""Benchmark the public side with the page cache: the plan page (cached and not), the API listing and detail.

Serves a fresh production demo (gunicorn -w 2, settings.production) with Redis as the cache (`--cache-url`,
default db 7 on 127.0.0.1), runs wrk against each target and prints requests/s, p99 and the ratio to the
hashed static file served by the same server; then counts the SQL queries each target costs in a Django
client on the same database and cache. "uncached" is the plan page with the page cache off
(PAGE_CACHE_SECONDS=0, a second server on a copy of the demo): the report fragment, the menu and the site
root paths still come from Redis, as they would for a page the page cache has not seen. See
benchmarks/README.md.
"""

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from the checkout: `python benchmarks/pages.py`

from benchmarks.api import LISTING  # noqa: E402
from benchmarks.portal import first_plan, get, wrk  # noqa: E402
from tests.demo_server import ServerError, demo_site  # noqa: E402

GOALS = {"plan": 0.5, "uncached": 0.025, "listing": 0.06, "detail": 0.07}
QUERY_GOALS = {"uncached": 15, "listing": 10, "detail": 10}

COUNT = """
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client, counts = Client(SERVER_NAME="127.0.0.1"), {}
for name, path in json.loads(PATHS).items():
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200, path
    counts[name] = len(captured)
print(json.dumps(counts))
"""


def query_counts(folder, paths, page_cache_seconds):
    """{name: SQL queries of the second request} for `paths`, in a process on the served demo's database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "settings.production",
        "SECRET_KEY": "benchmark-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "0",
        "DATABASE_URL": f"sqlite:///{folder}/demo.sqlite3",
        "MEDIA_ROOT": f"{folder}/media",
        "STATIC_ROOT": f"{folder}/static",
        "PAGE_CACHE_SECONDS": str(page_cache_seconds),
    }
    code = f"PATHS = {json.dumps(json.dumps(paths))}\n{COUNT}"
    output = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if output.returncode:
        sys.exit(output.stderr[-2000:])
    return json.loads(output.stdout.strip().splitlines()[-1])


@contextlib.contextmanager
def served():
    """(base URL, hashed static CSS path, folder) of a fresh production demo; exits on a server error."""
    print("(building the demo copy, collectstatic, starting gunicorn…)", flush=True)
    try:
        with demo_site(production=True) as (base, folder):
            manifest = json.loads((folder / "static" / "staticfiles.json").read_text())
            yield base, "/static/" + manifest["paths"]["css/portal.css"], folder
    except ServerError as error:
        sys.exit(str(error))


def run(targets, options):
    """{name: (requests/s, p99 ms, non-2xx)} for each of `targets` ({name: URL})."""
    results = {}
    for name, url in targets.items():
        results[name] = wrk(url, options.duration, options.connections)
        rps, p99, errors = results[name]
        print(f"{name:<9} {rps:>10.1f} {p99:>9.2f} {errors:>8}  {url.split('/', 3)[-1][:70]}", flush=True)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/7", help="the Redis cache")
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: run `bin/ensure-system-packages bench` (or `make bench`).")
    os.environ["CACHE_URL"] = options.cache_url
    subprocess.run(["redis-cli", "-u", options.cache_url, "flushdb"], check=True, capture_output=True)
    print(f"gunicorn -w 2, settings.production, cache {options.cache_url}; ", end="")
    print(f"wrk -t2 -c{options.connections} -d{options.duration}s\n")
    print(f"{'target':<9} {'req/s':>10} {'p99 ms':>9} {'non-2xx':>8}  path")

    os.environ["PAGE_CACHE_SECONDS"] = "600"
    with served() as (base, static, _folder):
        plan = first_plan(base)
        items = json.loads(get(base + LISTING, timeout=120)[1])["items"]  # the first call makes renditions
        detail = f"/api/v2/pages/{items[0]['id']}/"
        get(base + detail, timeout=120)
        paths = {"plan": plan, "listing": LISTING, "detail": detail, "static": static}
        results = run({name: base + path for name, path in paths.items()}, options)

    os.environ["PAGE_CACHE_SECONDS"] = "0"
    with served() as (base, static, folder):
        get(base + plan, timeout=120)
        results |= run({"uncached": base + plan, "static2": base + static}, options)
        api = {"listing": LISTING, "detail": detail}
        counts = query_counts(folder, {"uncached": plan, **api}, page_cache_seconds=0)
        cached_counts = query_counts(folder, api, page_cache_seconds=600)

    print()
    failed = []
    for name, goal in GOALS.items():
        static_rps = results["static2" if name == "uncached" else "static"][0]
        ratio = results[name][0] / static_rps
        line = f"{name} ÷ static req/s: {ratio:.4f} (goal ≥ {goal})"
        if name in QUERY_GOALS:
            line += f"; {counts[name]} queries rendered"
            if name in cached_counts:
                line += f", {cached_counts[name]} from the page cache"
            line += f" (goal ≤ {QUERY_GOALS[name]})"
        queries = cached_counts.get(name, counts.get(name, 0))  # what a reader's request costs
        if ratio < goal or queries > QUERY_GOALS.get(name, queries):
            failed.append(name)
        print(line)
    if any(result[2] for result in results.values()):
        failed.append("non-2xx responses")
    print("\nall goals met" if not failed else f"\ngoals missed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
