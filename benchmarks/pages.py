"""Benchmark the public side with the page cache: the plan page (cached and not), the API listing and detail.

Serves a fresh production demo (gunicorn -w 2, settings.production) with Redis as the cache (`--cache-url`,
default db 7 on 127.0.0.1), runs wrk against each target and prints requests/s, p99 and the ratio to the
hashed static file served by the same server; then counts the SQL queries each target costs in a Django
client on the same database and cache. "uncached" is the plan page with the page cache off
(PAGE_CACHE_SECONDS=0, a second server on the same copy of the demo): the report fragment still comes
from Redis, and each process keeps the site, the menu and the door's paths under the content version, as
they would be for a page the page cache has not seen. Database connections are kept for a minute
(DB_CONN_MAX_AGE=60), as the deployment keeps them. The
plan's KPI dashboard is measured on that server too, beside the plan page. See
benchmarks/README.md.
"""

import argparse
import contextlib
import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from the checkout: `python benchmarks/pages.py`

from benchmarks.api import LISTING  # noqa: E402
from benchmarks.portal import get, wrk  # noqa: E402
from tests.demo_server import demo_copy, free_port, manage, wait_for  # noqa: E402

GOALS = {"plan": 0.5, "uncached": 0.025, "dashboard": 0.0, "listing": 0.06, "detail": 0.07}
QUERY_GOALS = {"uncached": 15, "dashboard": 15, "listing": 10, "detail": 10}
RENDERED = ("uncached", "dashboard")  # measured on the server without the page cache

COUNT = """
import json, time
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client, counts, cpu = Client(SERVER_NAME="127.0.0.1"), {}, {}
for name, path in json.loads(PATHS).items():
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200, path
    counts[name] = len(captured)
    started = time.process_time()
    for _ in range(20):
        b"".join(client.get(path))
    cpu[name] = (time.process_time() - started) / 20 * 1000
print(json.dumps({"queries": counts, "cpu": cpu}))
"""


def query_counts(env, paths, page_cache_seconds):
    """{"queries": {name: SQL queries of the second request}, "cpu": {name: CPU ms per request}} for
    `paths`, in one process on the served demo's database: CPU time does not depend on what else the
    machine runs, unlike wrk's requests/s."""
    env = {**env, "PAGE_CACHE_SECONDS": str(page_cache_seconds)}
    code = f"PATHS = {json.dumps(json.dumps(paths))}\n{COUNT}"
    output = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if output.returncode:
        sys.exit(output.stderr[-2000:])
    return json.loads(output.stdout.strip().splitlines()[-1])


@contextlib.contextmanager
def demo():
    """(production environment, folder) of a fresh demo copy with its static files collected."""
    print("(copying the demo, collectstatic…)", flush=True)
    with demo_copy() as (env, folder):
        env.pop("DEBUG", None)
        env.update(
            DJANGO_SETTINGS_MODULE="settings.production",
            SECRET_KEY=secrets.token_urlsafe(48),
            ALLOWED_HOSTS="127.0.0.1",
            SECURE_COOKIES="0",
            SERVE_MEDIA="1",
            DB_CONN_MAX_AGE="60",  # connections kept for a minute, as deploy/revayat.env.example serves
        )
        manage("collectstatic", "--noinput", env=env)
        yield env, folder


@contextlib.contextmanager
def gunicorn(env, folder, page_cache_seconds):
    """The base URL of `gunicorn -w 2` serving the demo copy with the page cache for this many seconds."""
    env = {**env, "PAGE_CACHE_SECONDS": str(page_cache_seconds)}
    port = free_port()
    log_path = folder / f"gunicorn-{page_cache_seconds}.log"
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "settings.wsgi",
        "-w",
        "2",
        "-b",
        f"127.0.0.1:{port}",
    ]
    with log_path.open("w") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", server, log_path)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


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

    with demo() as (env, folder):
        static = (
            "/static/"
            + json.loads((folder / "static" / "staticfiles.json").read_text())["paths"]["css/portal.css"]
        )
        with gunicorn(env, folder, 600) as base:
            items = json.loads(get(base + LISTING, timeout=120)[1])["items"]  # makes the renditions
            detail = f"/api/v2/pages/{items[0]['id']}/"
            plan = urlsplit(items[0]["meta"]["html_url"]).path
            for path in (plan, detail):
                get(base + path, timeout=120)
            paths = {"plan": plan, "listing": LISTING, "detail": detail, "static": static}
            results = run({name: base + path for name, path in paths.items()}, options)
        with gunicorn(env, folder, 0) as base:
            get(base + plan, timeout=120)
            dashboard = f"{plan}dashboard/"  # the plan's KPI dashboard (issue 16), beside its page
            get(base + dashboard, timeout=120)
            results |= run(
                {"uncached": base + plan, "dashboard": base + dashboard, "static2": base + static}, options
            )
        api = {"listing": LISTING, "detail": detail}
        rendered = {"uncached": plan, "dashboard": dashboard, **api, "static": static}
        uncached = query_counts(env, rendered, page_cache_seconds=0)
        cached = query_counts(env, {"plan": plan, **api, "static": static}, page_cache_seconds=600)
        counts, cached_counts = uncached["queries"], cached["queries"]

    print()
    failed = []
    for name, goal in GOALS.items():
        static_rps = results["static2" if name in RENDERED else "static"][0]
        ratio = results[name][0] / static_rps
        line = f"{name} ÷ static req/s: {ratio:.4f}" + (f" (goal ≥ {goal})" if goal else " (reported)")
        if name in QUERY_GOALS:
            line += f"; {counts[name]} queries rendered"
            if name in cached_counts:
                line += f", {cached_counts[name]} from the page cache"
            line += f" (goal ≤ {QUERY_GOALS[name]})"
        queries = cached_counts.get(name, counts.get(name, 0))  # what a reader's request costs
        if ratio < goal or queries > QUERY_GOALS.get(name, queries):
            failed.append(name)
        print(line)
    print("\nCPU ms per request in one process (static ÷ target: the ratio on an idle machine):")
    rows = [(name, ms, cached) for name, ms in cached["cpu"].items() if name != "static"]
    rows += [(f"{name} (rendered)", ms, uncached) for name, ms in uncached["cpu"].items() if name != "static"]
    for name, ms, run_of in rows:
        print(f"  {name:<20} {ms:8.2f} ms  ratio {run_of['cpu']['static'] / ms:.4f}")
    print(f"  {'static':<20} {cached['cpu']['static']:8.2f} ms")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} (2 cores)")
    if any(result[2] for result in results.values()):
        failed.append("non-2xx responses")
    print("\nall goals met" if not failed else f"\ngoals missed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
