"""Soak, spike and purge-all stampede: a realistic mix of readers at a steady rate, on the production server.

Serves a copy of the demo site with gunicorn (settings.production, 2 workers) and the page cache on Redis
(database 12), then sends requests at a fixed arrival rate, whatever the server's pace (an open loop, as
readers arrive): portal pages from the sitemap, API listings and details, RSS/Atom feeds, search, and Range
requests on podcast audio. Three phases, any of them chosen with `--phases`:

1. soak: `--rate` requests/s for `--minutes` (the issue's figure: 50/s for 10 minutes);
2. spike: ten times the rate for `--spike-seconds` (30);
3. stampede: the rate again for `--stampede-seconds` while every cached response is retired at once (the
   content version bumped, as a publication does) every 5 seconds.

The load comes from `--clients` processes (default: one per core), each an open loop sending its share of
the arrivals (client i sends arrivals i, i + N, i + 2N, … of one schedule), their results merged. One
asyncio process could not send 500 requests/s with httpx and fell behind its own schedule, so its figures
were the client's. Each request records when it was due and when it was sent: a phase whose p99 lag
(sent − due) passes `--max-lag-ms` is reported as BEHIND, its latencies no figure of the server's.

Prints per phase: requests, errors (anything but 2xx/3xx, and failed connections), p50/p95/p99 latency
(from sending to the whole response), the p99 and largest lag, then where the CPU went: the machine's
busy share, the server's (gunicorn, master and workers), the client processes', the rest (Redis, …), in
percent of one core. Exits non-zero when a phase had an error or its client fell behind.
Run: `.venv/bin/python benchmarks/soak.py [--minutes 10] [--phases soak,spike,stampede]`.
"""

import argparse
import asyncio
import multiprocessing
import os
import random
import re
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from the checkout

from tests.demo_server import demo_site  # noqa: E402

MIX = {"page": 50, "api": 20, "feed": 10, "search": 10, "media": 10}  # percent of requests
SEARCH_TERMS = ["تأمین اجتماعی", "گزارش‌ها", "شايستگي", "۱۴۰۳", "performance", "تتا", "KPI", "بازنشستگان"]
PHASES = ("soak", "spike", "stampede")
BUMP_SECONDS = 5
TIMEOUT = 30  # seconds a request may take before it counts as an error
TICKS = os.sysconf("SC_CLK_TCK")


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


# The client processes ----------------------------------------------------------------------------------
async def fetch(host, port, path, headers):
    """GET `path` on a connection of its own (`Connection: close`, as gunicorn's sync workers answer
    anyway) and read the whole response; returns the status code, or "Truncated" when the body is
    shorter than its Content-Length. httpx's pool was the bottleneck here: with thousands of requests
    waiting for a connection it spent 40 ms of CPU per request and fell minutes behind."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        lines = [f"GET {quote(path, safe='/?=&%:')} HTTP/1.1", f"Host: {host}:{port}", "Connection: close"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        response = await reader.read()  # until the server closes
    finally:
        writer.close()
    head, _, body = response.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = re.search(rb"\r\ncontent-length:\s*(\d+)", head, re.IGNORECASE)
    return "Truncated" if length and len(body) < int(length[1]) else status


async def send_share(base, found, rate, seconds, start, index, clients):
    """Send arrivals index, index + clients, … of a schedule of `rate`/s from `start` (this process's
    perf_counter); returns [(kind, status or error name, lag s, latency s)]."""
    kinds, weights = zip(*MIX.items(), strict=True)
    host, port = urlsplit(base).hostname, urlsplit(base).port
    results = []

    async def one(kind, path, headers, due):
        sent = time.perf_counter()
        try:
            outcome = await asyncio.wait_for(fetch(host, port, path, headers), TIMEOUT)
        except (OSError, ValueError, IndexError, TimeoutError) as error:
            outcome = type(error).__name__
        results.append((kind, outcome, sent - due, time.perf_counter() - sent))

    tasks = []
    for number in range(index, int(rate * seconds), clients):
        due = start + number / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        kind = random.choices(kinds, weights)[0]
        tasks.append(asyncio.create_task(one(kind, *random.choice(found[kind]), due)))
    await asyncio.gather(*tasks)
    return results


def client_process(base, found, rate, seconds, start_wall, index, clients):
    """One client process's share: (results, CPU seconds it used). `start_wall` is a wall-clock time
    shared by every client, turned into this process's monotonic clock."""
    random.seed(f"{start_wall}:{index}")
    start = time.perf_counter() + (start_wall - time.time())
    cpu = time.process_time()
    results = asyncio.run(send_share(base, found, rate, seconds, start, index, clients))
    return results, time.process_time() - cpu


# CPU accounting from /proc ----------------------------------------------------------------------------
def machine_ticks():
    """(busy, total) clock ticks of every core since boot."""
    values = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle and iowait
    return sum(values) - idle, sum(values)


def server_pids(port):
    """The gunicorn master and workers bound to `port` (workers are forks with the master's argv)."""
    needle = f"127.0.0.1:{port}".encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if b"settings.wsgi" in command and needle in command:
            pids.append(int(entry.name))
    return pids


def process_ticks(pids):
    """{pid: user + system clock ticks} of those still running."""
    ticks = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks[pid] = int(fields[11]) + int(fields[12])  # utime, stime
    return ticks


# The stampede's publisher -----------------------------------------------------------------------------
BUMPER = f"""
import sys, time
from cms.cache import bump_content_version
print("ready", flush=True)
start, seconds = map(float, sys.stdin.readline().split())
bumps = 0
while {BUMP_SECONDS} * (bumps + 1) < seconds:
    time.sleep(max(0.0, start + {BUMP_SECONDS} * (bumps + 1) - time.time()))
    bump_content_version()
    bumps += 1
print(bumps, flush=True)
"""


def start_bumper(env):
    """A Django process that retires every cached response every few seconds once told when to start
    (one process for the whole phase: a `manage.py` per bump would cost the machine a second of CPU)."""
    bumper = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", BUMPER],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    for line in bumper.stdout:
        if line.strip() == "ready":
            return bumper
    sys.exit(f"the bumper did not start (exit {bumper.wait()})")


# A phase ----------------------------------------------------------------------------------------------
def run_phase(base, found, rate, seconds, clients, bumper=None):
    """Send `rate` requests/s for `seconds` from `clients` processes; returns the merged results, the
    CPU seconds of the clients, the server and the machine (busy), and the bumps made."""
    port = urlsplit(base).port
    with ProcessPoolExecutor(clients, mp_context=multiprocessing.get_context("fork")) as pool:
        start_wall = time.time() + 1.0  # every client forked and ready before the first arrival
        futures = [
            pool.submit(client_process, base, found, rate, seconds, start_wall, index, clients)
            for index in range(clients)
        ]
        if bumper:
            bumper.stdin.write(f"{start_wall} {seconds}\n")
            bumper.stdin.flush()
        time.sleep(max(0.0, start_wall - time.time()))
        server_before, machine_before = process_ticks(server_pids(port)), machine_ticks()
        shares = [future.result() for future in futures]
        server_after, machine_after = process_ticks(server_pids(port)), machine_ticks()
    bumps = int(bumper.stdout.readline()) if bumper else 0
    server = sum(ticks - server_before.get(pid, 0) for pid, ticks in server_after.items()) / TICKS
    machine = (machine_after[0] - machine_before[0]) / TICKS
    wall = (machine_after[1] - machine_before[1]) / TICKS / os.cpu_count()
    results = [result for share, _cpu in shares for result in share]
    cpu = {"client": sum(cpu for _share, cpu in shares), "server": server, "machine": machine, "wall": wall}
    return results, cpu, bumps


def quantile(values, percent):
    return statistics.quantiles(values, n=100)[percent - 1] if len(values) > 1 else (values or [0])[0]


def report(name, rate, results, cpu, clients, max_lag_ms):
    """Print the phase's line and its CPU line; returns (errors, whether the client fell behind)."""
    latencies = [latency * 1000 for *_rest, latency in results]
    lags = [lag * 1000 for _kind, _outcome, lag, _latency in results]
    errors = [
        (kind, outcome)
        for kind, outcome, *_rest in results
        if not (isinstance(outcome, int) and outcome < 400)
    ]
    lag99, lag_max = quantile(lags, 99), max(lags, default=0)
    behind = lag99 > max_lag_ms
    print(
        f"{name:<9} {rate:>6.0f} {len(results):>8} {len(errors):>7} {quantile(latencies, 50):>8.1f} "
        f"{quantile(latencies, 95):>8.1f} {quantile(latencies, 99):>8.1f} {lag99:>8.1f} {lag_max:>8.1f}"
        f"  {'BEHIND' if behind else 'on time'}",
        flush=True,
    )
    for kind, outcome in sorted(set(errors), key=str)[:10]:
        count = errors.count((kind, outcome))
        print(f"          error: {kind} → {outcome} ×{count}")
    wall = cpu["wall"]
    shares = {key: cpu[key] / wall * 100 for key in ("machine", "server", "client")}
    other = shares["machine"] - shares["server"] - shares["client"]
    per_request = {key: cpu[key] / max(len(results), 1) * 1000 for key in ("server", "client")}
    print(
        f"          CPU over {wall:.1f} s, % of one core ({os.cpu_count()} cores): machine "
        f"{shares['machine']:.0f}, server {shares['server']:.0f} ({per_request['server']:.2f} ms/request), "
        f"client {shares['client']:.0f} ({clients} processes, {per_request['client']:.2f} ms/request), "
        f"other {other:.0f}; load {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    if behind:
        print(
            f"          the client fell behind its schedule (p99 lag > {max_lag_ms} ms):"
            " its latencies are not the server's figures"
        )
    return len(errors), behind


def phase_list(text):
    phases = [name.strip() for name in text.split(",") if name.strip()]
    unknown = set(phases) - set(PHASES)
    if unknown or not phases:
        raise argparse.ArgumentTypeError(f"phases are among {', '.join(PHASES)}")
    return phases


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=50, help="requests per second in the soak")
    parser.add_argument("--minutes", type=float, default=10, help="length of the soak")
    parser.add_argument("--spike-seconds", type=float, default=30)
    parser.add_argument("--stampede-seconds", type=float, default=60)
    parser.add_argument("--phases", type=phase_list, default=list(PHASES), help="e.g. spike,stampede")
    parser.add_argument("--clients", type=int, default=os.cpu_count(), help="client processes")
    parser.add_argument("--max-lag-ms", type=float, default=50, help="p99 lag beyond which a phase is BEHIND")
    options = parser.parse_args()
    os.environ["CACHE_URL"] = "redis://127.0.0.1:6379/12"
    import redis

    redis.Redis(db=12).flushdb()
    errors, behind = 0, []
    with demo_site(production=True) as (base, folder):
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/demo.sqlite3",
            "MEDIA_ROOT": f"{folder}/media",
            "DJANGO_SETTINGS_MODULE": "settings.test",
        }
        found = targets(base)
        warm(base, found)
        print(f"{base}: gunicorn -w 2, settings.production, page cache on Redis; mix {MIX}")
        print(
            f"{options.clients} client processes (asyncio, a connection per request);"
            " lag = sent − due, latency from sending"
        )
        header = ("phase", "rate/s", "requests", "errors", "p50 ms", "p95 ms", "p99 ms", "lag p99", "lag max")
        print(f"{header[0]:<9} {header[1]:>6} " + " ".join(f"{h:>8}" for h in header[2:]))
        plan = {
            "soak": (options.rate, options.minutes * 60),
            "spike": (options.rate * 10, options.spike_seconds),
            "stampede": (options.rate, options.stampede_seconds),
        }
        for name in options.phases:
            rate, seconds = plan[name]
            bumper = start_bumper(env) if name == "stampede" else None
            try:
                results, cpu, bumps = run_phase(base, found, rate, seconds, options.clients, bumper)
            finally:
                if bumper:
                    bumper.stdin.close()
                    bumper.wait(timeout=30)
            failed, late = report(name, rate, results, cpu, options.clients, options.max_lag_ms)
            if bumper:
                print(f"          {bumps} purges of every cached response, one each {BUMP_SECONDS} s")
            errors += failed
            behind += [name] if late else []
    if errors or behind:
        sys.exit(f"{errors} request(s) failed; client behind in: {', '.join(behind) or 'no phase'}")


if __name__ == "__main__":
    main()
