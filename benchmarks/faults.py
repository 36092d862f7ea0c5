"""Fault campaign for the background processes: publications delivered to five channels while the database,
a worker and the channels fail, then counted: rows lost, posts duplicated, processes still alive.

Builds an empty PostgreSQL site (`revayat_faults`), publishes `--pages` pages to five loopback channel fakes
(Telegram, Bale, Eitaa, X and the portal webhook, from tests/distribution/fakes.py) and starts the relay, two
`db_worker`s and the scheduler against the database through the project's TCP fault proxy
(tests/faultproxy.py), Bale through another. While they deliver:

1. Telegram answers its first posts after the read timeout (the relay must look before posting again);
2. a worker is killed with -9 once a tenth of the rows are sent, and a new one started, as systemd would;
3. the database is cut (every connection reset, new ones refused) for `--outage` seconds once 30 % are;
4. Bale is cut for an hour of simulated time: the distribution's clocks (backoff, cap, leases, sweep) run at
   1/60 of their defaults, so `--channel-outage 60` seconds stands for an hour.

Then it waits until no row is open and prints per channel: rows, rows sent, rows lost (any other end), posts
received and posts beyond one per row (duplicates), and whether the relay and the workers are still running.
Goal: 0 lost, 0 duplicated, every process alive. Exits non-zero otherwise.

Run: `.venv/bin/python benchmarks/faults.py [--pages 100] [--outage 8] [--channel-outage 60]`.
"""

import argparse
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from the checkout

from benchmarks.distribution import KINDS, channels, publish_pages, started_fakes  # noqa: E402
from benchmarks.two_nodes import drop_database, fresh_database  # noqa: E402
from tests.faultproxy import FaultProxy  # noqa: E402

DATABASE = "revayat_faults"
SCALE = 60  # the distribution's clocks run this many times faster: a minute stands for an hour
CLOCKS = {
    "DISTRIBUTION_BACKOFF_BASE": str(30 / SCALE),
    "DISTRIBUTION_BACKOFF_CAP": str(3600 / SCALE),
    "DISTRIBUTION_LEASE_SECONDS": str(600 // SCALE),
    "DISTRIBUTION_QUEUE_SECONDS": str(900 // SCALE),
    "DISTRIBUTION_SWEEP_SECONDS": "1",
    "DISTRIBUTION_READ_TIMEOUT": "2",
    "TASK_LEASE_SECONDS": "6",
}
LATE_ANSWER_SECONDS = 4  # beyond the read timeout above


def setup(database_url):
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "settings.dev",
            "DATABASE_URL": database_url,
            "OUTBOUND_ALLOWLIST": "127.0.0.1",  # the loopback fakes and the proxy in front of Bale
            **CLOCKS,
        }
    )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


class Stack:
    """The relay, the scheduler and the workers, on the proxied database."""

    def __init__(self, env, folder):
        self.env, self.folder, self.processes = env, folder, {}

    def start(self, name, *command):
        log = (self.folder / f"{name}.log").open("w")
        command = [sys.executable, "manage.py", *command]
        self.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )

    def worker(self, name):
        self.start(name, "db_worker", "--interval", "0.1", "--no-startup-delay")

    def kill(self, name):
        self.processes.pop(name).send_signal(signal.SIGKILL)

    def alive(self):
        return {name: process.poll() is None for name, process in self.processes.items()}

    def stop(self):
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def open_rows():
    from cms.distribution.models import OutboxEntry, Status

    return OutboxEntry.objects.exclude(status__in=[Status.SENT, Status.DEAD, Status.UNCERTAIN]).count()


def progress():
    """Rows sent so far, of all rows: to show where in the delivery a fault struck."""
    from cms.distribution.models import OutboxEntry, Status

    return f"{OutboxEntry.objects.filter(status=Status.SENT).count()}/{OutboxEntry.objects.count()} rows sent"


def wait_for_sent(share, timeout=120):
    """Wait until `share` of the rows are sent, so that the next fault strikes in mid-delivery."""
    from cms.distribution.models import OutboxEntry, Status

    deadline, total = time.monotonic() + timeout, OutboxEntry.objects.count()
    while OutboxEntry.objects.filter(status=Status.SENT).count() < share * total:
        if time.monotonic() > deadline:
            raise SystemExit(f"fewer than {share:.0%} of the rows sent after {timeout} s ({progress()})")
        time.sleep(0.2)


def attempts():
    """{outcome: attempts}: how the faults showed in the delivery attempts."""
    from django.db.models import Count

    from cms.distribution.models import Attempt

    by_outcome = Attempt.objects.values_list("outcome").annotate(count=Count("pk")).order_by("outcome")
    return dict(by_outcome)


def report(servers):
    """Per channel: rows, sent, lost, posts, duplicates; returns the totals of lost and duplicated."""
    from cms.distribution.models import OutboxEntry, Status

    lost = duplicated = 0
    print(f"\n{'channel':<15} {'rows':>5} {'sent':>5} {'lost':>5} {'posts':>6} {'dupl.':>6} {'requests':>8}")
    for kind, fake in servers.items():
        rows = OutboxEntry.objects.filter(channel__kind=kind)
        total, sent = rows.count(), rows.filter(status=Status.SENT).count()
        posts = len(fake.live_posts())
        lost += total - sent
        extra, requests = max(posts - sent, 0), len(fake.requests)
        duplicated += extra
        print(f"{kind:<15} {total:>5} {sent:>5} {total - sent:>5} {posts:>6} {extra:>6} {requests:>8}")
    return lost, duplicated


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=100, help="pages published to the five channels")
    parser.add_argument("--outage", type=float, default=8, help="seconds the database is cut")
    parser.add_argument("--channel-outage", type=float, default=60, help="seconds Bale is cut")
    parser.add_argument("--timeout", type=float, default=600)
    options = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    servers = started_fakes()
    database_url = fresh_database(DATABASE)
    parts = urlsplit(database_url)
    database = FaultProxy((parts.hostname, parts.port)).start()
    bale = FaultProxy(("127.0.0.1", servers["bale"].server.port)).start()
    folder = Path(tempfile.mkdtemp(prefix="revayat-faults-"))
    stack, alive = None, {}
    try:
        print(f"Publishing {options.pages} pages to {len(KINDS)} channels ({DATABASE}) …", flush=True)
        setup(database_url)
        channels(servers)
        from cms.distribution.models import Channel

        Channel.objects.filter(kind="bale").update(base_url=f"http://{bale.address}")
        publish_pages(options.pages, "fault")
        credentials = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
        proxied = urlunsplit(parts._replace(netloc=credentials + database.address))
        stack = Stack({**os.environ, "DATABASE_URL": proxied}, folder)

        print("Delivering under faults:", flush=True)
        servers["telegram"].hold_next(LATE_ANSWER_SECONDS, times=3)
        print(f"  Telegram answers its first 3 posts after {LATE_ANSWER_SECONDS} s (read timeout 2 s)")
        stack.start("relay", "distribution_relay", "--interval", "0.2")
        stack.start("scheduler", "run_scheduler")
        for name in ("worker-1", "worker-2"):
            stack.worker(name)
        bale.mode = "cut"
        bale_back = time.monotonic() + options.channel_outage
        print(f"  Bale cut for {options.channel_outage:g} s (an hour at 1/{SCALE} time)", flush=True)
        wait_for_sent(0.1)
        stack.kill("worker-1")
        stack.worker("worker-3")
        print(f"  worker-1 killed with -9, worker-3 started ({progress()})", flush=True)
        wait_for_sent(0.3)
        database.mode = "cut"
        print(f"  database cut for {options.outage:g} s ({progress()})", flush=True)
        time.sleep(options.outage)
        database.mode = "pass"
        print(f"  database back ({progress()})", flush=True)
        time.sleep(max(bale_back - time.monotonic(), 0))
        bale.mode = "pass"
        print(f"  Bale back ({progress()})", flush=True)

        started = time.monotonic()
        while open_rows() and time.monotonic() - started < options.timeout:
            time.sleep(1)
        print(f"  every row ended {time.monotonic() - started:.0f} s after Bale came back", flush=True)
        print(f"  delivery attempts by outcome: {attempts()}")
        lost, duplicated = report(servers)
        alive = stack.alive()
        print(f"\nprocesses alive afterwards: {alive}")
        print(f"lost {lost}, duplicated {duplicated}")
    finally:
        if stack:
            stack.stop()
        for proxy in (database, bale):
            proxy.stop()
        for fake in servers.values():
            fake.stop()
        drop_database(DATABASE)
        print(f"Logs: {folder}")
    if lost or duplicated or not all(alive.values()):
        sys.exit("faults left rows lost, posts duplicated or a process down")


if __name__ == "__main__":
    main()
