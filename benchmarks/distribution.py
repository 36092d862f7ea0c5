"""Benchmark distribution: publish N pages to 5 loopback channels, then deliver every outbox row.

Builds a throw-away SQLite site (`migrate` only) in a temporary folder with the database task queue, as
`make run` uses it. It times `publish()` for pages without any channel and then with five channels
(Telegram, Bale, Eitaa, X and the portal webhook, each a loopback fake from tests/distribution/fakes.py):
publishing only writes outbox rows, so the two should be close. Then `--workers` `db_worker` processes and
one `distribution_relay` deliver every row; deliveries per second are compared with a plain httpx loop
against the same fakes (the channels' own ceiling on this machine). See benchmarks/README.md.
"""

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from the checkout: `python benchmarks/distribution.py`

from tests.distribution import fakes  # noqa: E402  (after the path set-up)

KINDS = ("telegram", "bale", "eitaa", "x", "portal_webhook")


def setup(folder):
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "settings.dev",
            "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
            "MEDIA_ROOT": f"{folder}/media",
            "DISTRIBUTION_SWEEP_SECONDS": "3600",
            "OUTBOUND_ALLOWLIST": "127.0.0.1",  # the loopback fakes
        }
    )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def publish_pages(count, label):
    """Create `count` home-type pages under the site root and time each `publish()`; returns seconds."""
    from wagtail.models import Page

    from cms import publication
    from home.models import HomePage

    root = Page.objects.get(depth=2)
    timings = []
    for number in range(count):
        page = root.add_child(
            instance=HomePage(
                title=f"صفحهٔ آزمایشی {label} {number}",
                slug=f"{label}-{number}",
                live=False,
                summary="خلاصهٔ کوتاه برای کانال‌ها، با نیم‌فاصله و #هشتگ",
            )
        )
        revision = page.save_revision()
        started = time.perf_counter()
        with publication.forced("benchmark pages"):  # no workflow here: the gate's audited force path
            revision.publish()
        timings.append(time.perf_counter() - started)
    return timings


def started_fakes():
    """{kind: a started loopback fake} for the five channel kinds."""
    servers = {
        "telegram": fakes.TelegramFake(),
        "bale": fakes.BaleFake(),
        "eitaa": fakes.EitaaFake(),
        "x": fakes.XFake(),
        "portal_webhook": fakes.PortalFake(),
    }
    for fake in servers.values():
        fake.start()
    return servers


def channels(servers):
    from cms.distribution.models import Channel, DistributionRule

    for kind, fake in servers.items():
        target = {
            "telegram": "@revayat_fa",
            "bale": "@revayat_fa",
            "eitaa": "revayat_fa",
            "x": "",
            "portal_webhook": fake.url,
        }[kind]
        channel = Channel.objects.create(
            name=kind,
            kind=kind,
            target=target,
            credentials_name=f"bench-{kind}",
            base_url="" if kind == "portal_webhook" else fake.url,
        )
        DistributionRule.objects.create(name=kind, channel=channel)
        os.environ[f"REVAYAT_CHANNEL_BENCH_{kind.upper()}"] = getattr(fake, "secret", None) or fake.token


def ceiling(seconds=3):
    """Requests per second of a plain httpx loop posting messages to a separate Telegram fake."""
    fake = fakes.TelegramFake().start()
    url = f"{fake.url}/bot{fake.token}/sendMessage"
    count, deadline = 0, time.perf_counter() + seconds
    try:
        with httpx.Client() as client:
            started = time.perf_counter()
            while time.perf_counter() < deadline:
                client.post(url, data={"chat_id": "@revayat_fa", "text": f"آزمایش {count}"})
                count += 1
            return count / (time.perf_counter() - started)
    finally:
        fake.stop()


def deliver(workers, timeout):
    """Run the relay and `workers` db_worker processes until no row is open; returns (seconds, statuses)."""
    from django.db.models import Count

    from cms.distribution.models import OutboxEntry, Status

    command = [sys.executable, "manage.py"]
    processes = [subprocess.Popen([*command, "distribution_relay", "--interval", "0.2"], cwd=ROOT)]
    processes += [
        subprocess.Popen(
            [*command, "db_worker", "--interval", "0.05", "--no-startup-delay"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(workers)
    ]
    started = time.perf_counter()
    try:
        while time.perf_counter() - started < timeout:
            open_rows = OutboxEntry.objects.exclude(
                status__in=[Status.SENT, Status.DEAD, Status.UNCERTAIN]
            ).count()
            if not open_rows:
                break
            time.sleep(0.5)
        by_status = OutboxEntry.objects.values_list("status").annotate(rows=Count("pk"))
        return time.perf_counter() - started, dict(by_status)
    finally:
        for process in processes:
            process.terminate()
            process.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000, help="pages published to the channels")
    parser.add_argument("--baseline", type=int, default=200, help="pages published with no channel")
    parser.add_argument("--workers", type=int, default=2, help="db_worker processes")
    parser.add_argument("--timeout", type=float, default=1800)
    options = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the fakes' request log
    servers = started_fakes()
    try:
        with tempfile.TemporaryDirectory(prefix="revayat-bench-") as folder:
            print("Building an empty site (migrate)…", flush=True)
            setup(folder)
            bare = publish_pages(options.baseline, "bare")
            channels(servers)
            with_channels = publish_pages(options.pages, "post")
            from cms.distribution.models import OutboxEntry

            rows = OutboxEntry.objects.count()
            print(
                f"\nPublish latency (the request's own work), {options.baseline} pages without channels "
                f"and {options.pages} with {len(KINDS)}:"
            )
            for label, timings in (("no channel", bare), (f"{len(KINDS)} channels", with_channels)):
                print(
                    f"  {label:<12} median {statistics.median(timings) * 1000:7.1f} ms   "
                    f"p95 {statistics.quantiles(timings, n=20)[-1] * 1000:7.1f} ms"
                )
            ratio = statistics.median(with_channels) / statistics.median(bare)
            print(f"  with ÷ without (median): {ratio:.2f}  — {rows} outbox rows written")
            plain = ceiling()
            print(
                f"\nDelivering {rows} rows with {options.workers} db_worker processes and the relay…",
                flush=True,
            )
            seconds, statuses = deliver(options.workers, options.timeout)
            posts = sum(len(fake.posts) for fake in servers.values())
            print(
                f"  {posts} posts received by the fakes in {seconds:.1f} s: "
                f"{posts / seconds:.1f} deliveries/s; rows by status: {json.dumps(statuses)}"
            )
            print(
                f"  plain httpx loop against one fake: {plain:.1f} requests/s; "
                f"deliveries ÷ plain = {posts / seconds / plain:.3f}"
            )
            print(f"  posts beyond one per row (duplicates): {max(posts - rows, 0)}")
    finally:
        for fake in servers.values():
            fake.stop()


if __name__ == "__main__":
    main()
