"""Benchmark the worksheet's autosave: N invitees saving for D seconds at about R saves/s on PostgreSQL.

Migrates the database named by `--database-url` (default revayat_cocreation_bench on the local
PostgreSQL, created when missing, the demo loaded once), creates an invite-only round with `--clients`
invitees, serves the site with gunicorn on 127.0.0.1 (persistent database connections), and lets every
client exchange its personal link for a session (as a browser does) and then autosave its worksheet
with the version it last got back, each at its own steady pace so that all together make `--rate`
saves/s.

Prints p50/p95/max save latency, the status counts, 5xx, 409s, and lost updates: after the run, each
worksheet in the database must equal the last save its client saw acknowledged (goal: p95 ≤ 300 ms,
0 lost updates, 0 5xx), beside the load average (the machine may be shared).
Run: `.venv/bin/python benchmarks/cocreation.py [--duration 300]`.
"""

import argparse
import asyncio
import datetime
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres:postgres@127.0.0.1:5432/revayat_cocreation_bench"
TITLES = ["سالمندی جمعیت", "کار سکویی", "هوش مصنوعی در درمان", "تورم مزمن", "مهاجرت نیروی کار"]


def ensure_database(url):
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def setup(url, clients):
    """Migrate, then one round and `clients` invitees; returns (round id, [raw tokens])."""
    os.environ.update({"DJANGO_SETTINGS_MODULE": "settings.dev", "DATABASE_URL": url})
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.utils import timezone

    from cocreation.models import CallPage, Invitation, Participant, Round, Worksheet

    if not CallPage.objects.exists():  # the worksheet page is drawn in the site's frame
        call_command("load_demo", "--no-admin", verbosity=0)

    now = timezone.now()
    number = (Round.objects.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    round_ = Round.objects.create(
        call=CallPage.objects.filter(locale__language_code="fa").first(),
        number=number,
        title=f"benchmark {number}",
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(days=1),
    )
    tokens = []
    for n in range(clients):
        person = Participant.objects.create(
            name=f"bench {n}", email=f"bench{n}@example.invalid", group="experts"
        )
        invite = Invitation.objects.create(participant=person, round=round_)
        Worksheet.objects.create(invitation=invite)
        tokens.append(invite.issue_token(datetime.timedelta(days=1)))
        invite.save()
    return round_.pk, tokens


def serve(url, port, workers, threads):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "settings.dev",
        "DATABASE_URL": url,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        # Persistent connections, as production should run: a new PostgreSQL backend per request costs
        # more than the whole save.
        "DB_CONN_MAX_AGE": "600",
    }
    log = Path(tempfile.mkdtemp(prefix="cocreation-bench-")) / "gunicorn.log"
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "settings.wsgi",
        "-w",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        "120",
        "-b",
        f"127.0.0.1:{port}",
    ]
    with log.open("w") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return server, base, log
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    server.terminate()
    raise SystemExit(f"gunicorn did not start; see {log}")


def server_cpu_seconds(master):
    """CPU seconds used so far by gunicorn's workers (Linux /proc): the load-independent cost."""
    ticks = os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    total = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def payload(rng, n):
    return {
        "commentary": f"client {n} at {time.time():.3f}",
        "items": [
            {
                "kind": "trend",
                "title": rng.choice(TITLES),
                "description": "بنچمارک " * rng.randint(1, 30),
                "impact": rng.randint(-2, 2),
                "likelihood": rng.randint(1, 5),
                "analysis": "تحلیل " * rng.randint(1, 60),
            }
            for _ in range(rng.randint(1, 8))
        ],
    }


async def sign_in(client, token, gate):
    """Exchange the personal link and open the worksheet, as a browser does (a few at a time: the
    sign-ins are not what is measured)."""
    async with gate:
        response = await client.get(f"/fa/cocreation/invite/{token}/")
        location = response.headers["location"]
        page = await client.get(location)
    csrf = client.cookies.get("csrftoken")
    assert page.status_code == 200 and csrf, (page.status_code, csrf)
    return location, re.search(r"/worksheet/([0-9a-f-]+)/", location).group(1), csrf


async def client_loop(n, base, token, interval, stats, gate):
    rng = random.Random(n)
    async with httpx.AsyncClient(base_url=base, timeout=30, follow_redirects=False) as client:
        location, public_id, csrf = await sign_in(client, token, gate)
        stats["signed"] += 1
        await stats["ready"].wait()
        deadline = stats["deadline"]
        version, last, unanswered = 0, None, []
        await asyncio.sleep(rng.uniform(0, interval))  # spread the clients over the interval
        while time.monotonic() < deadline:
            body = {"version": version, **payload(rng, n)}
            started = time.perf_counter()
            try:
                response = await client.post(
                    f"/fa/cocreation/worksheet/{public_id}/save",
                    json=body,
                    headers={"X-CSRFToken": csrf, "Referer": base + location},
                )
            except httpx.HTTPError as error:
                # No answer: the server may still have stored it (then the next save gets a 409).
                unanswered.append(body)
                stats["errors"].append(repr(error))
                await asyncio.sleep(interval)
                continue
            stats["latency"].append(time.perf_counter() - started)
            stats["status"][response.status_code] = stats["status"].get(response.status_code, 0) + 1
            if response.status_code == 200:
                version, last = response.json()["version"], body
                unanswered = []
            elif response.status_code == 409:
                version = response.json()["server"]["version"]
            # The pace counts from the save's start, so slow answers do not lower the offered rate.
            await asyncio.sleep(max(0, interval * rng.uniform(0.8, 1.2) - (time.perf_counter() - started)))
        stats["last"][public_id] = (last, unanswered)


def lost_updates(last_saves):
    """(lost, unanswered but stored): a worksheet is lost when the database holds neither the last save
    its client saw acknowledged nor one it sent later without getting an answer (a timeout)."""
    from cocreation.models import Worksheet

    def shape(data):
        items = [(i["title"], i["impact"], i["likelihood"], i["analysis"]) for i in data["items"]]
        return items, data["commentary"]

    lost = unanswered_stored = 0
    for public_id, (acknowledged, unanswered) in last_saves.items():
        if acknowledged is None and not unanswered:
            continue
        stored = shape(Worksheet.objects.get(public_id=public_id).as_data())
        if acknowledged is not None and stored == shape(acknowledged):
            continue
        if any(stored == shape(body) for body in unanswered):
            unanswered_stored += 1
        else:
            lost += 1
    return lost, unanswered_stored


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--rate", type=float, default=25.0, help="saves per second, all clients together")
    parser.add_argument("--duration", type=float, default=300.0, help="seconds")
    parser.add_argument("--port", type=int, default=8108)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()

    load_before = os.getloadavg()
    ensure_database(args.database_url)
    _round, tokens = setup(args.database_url, args.clients)
    server, base, log = serve(args.database_url, args.port, args.workers, args.threads)
    stats = {"latency": [], "status": {}, "errors": [], "last": {}}
    interval = args.clients / args.rate
    timing = {}

    async def run():
        stats["ready"], stats["signed"] = asyncio.Event(), 0
        gate = asyncio.Semaphore(8)
        loops = [
            asyncio.create_task(client_loop(n, base, token, interval, stats, gate))
            for n, token in enumerate(tokens)
        ]
        while stats["signed"] < len(loops):  # the measured part starts once every client is signed in
            failed = [task for task in loops if task.done() and task.exception()]
            if failed:
                raise failed[0].exception()
            await asyncio.sleep(0.2)
        stats["deadline"] = time.monotonic() + args.duration
        timing["started"] = time.monotonic()
        timing["cpu"] = server_cpu_seconds(server.pid)
        timing["client_cpu"] = time.process_time()
        stats["ready"].set()
        await asyncio.gather(*loops)
        timing["elapsed"] = time.monotonic() - timing["started"]
        timing["cpu"] = server_cpu_seconds(server.pid) - timing["cpu"]
        timing["client_cpu"] = time.process_time() - timing["client_cpu"]

    try:
        asyncio.run(run())
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    elapsed = timing["elapsed"]
    latency = sorted(stats["latency"])
    ms = [value * 1000 for value in latency]
    p95 = ms[int(len(ms) * 0.95) - 1] if ms else float("nan")
    server_errors = sum(n for code, n in stats["status"].items() if code >= 500)
    print(
        f"load average before {load_before[0]:.1f}, after {os.getloadavg()[0]:.1f} "
        f"({os.cpu_count()} CPUs); gunicorn {args.workers} workers x {args.threads} threads"
    )
    print(f"clients {args.clients}, {len(ms)} saves in {elapsed:.0f} s = {len(ms) / elapsed:.1f} saves/s")
    print(f"latency ms: p50 {statistics.median(ms):.0f}  p95 {p95:.0f}  max {ms[-1]:.0f}")
    per_save = 1000 / max(len(ms), 1)
    print(
        f"CPU per save: server {timing['cpu'] * per_save:.1f} ms (gunicorn workers), "
        f"load generator {timing['client_cpu'] * per_save:.1f} ms (this process; its latency includes "
        "waiting for this process's CPU)"
    )
    print(
        f"status {dict(sorted(stats['status'].items()))}  5xx {server_errors}  "
        f"transport errors {len(stats['errors'])}"
    )
    lost, unanswered = lost_updates(stats["last"])
    print(f"lost updates {lost} of {len(stats['last'])} worksheets; {unanswered} hold a save whose answer")
    print(f"timed out (stored, not lost); gunicorn log {log}")


if __name__ == "__main__":
    main()
