"""A real task worker killed in the middle of deliveries, then restarted: one post per channel, never two.

The demo site runs from a copy with its database task queue; `manage.py db_worker` and
`manage.py distribution_relay` run as separate processes, as `make run` starts them. Each channel's
loopback fake records the first post and holds its answer; the worker is killed (SIGKILL) while it
waits, and started again, once per channel. The outbox must then show every row finished, and each
fake exactly one post: channels that cannot tell whether a post went out are left for a person to check.
"""

import os
import signal
import sqlite3
import time

import pytest

from tests.demo_server import demo_copy, manage, start_command
from tests.distribution import fakes

pytestmark = pytest.mark.demo_copy  # its own SQLite demo copy: run once, not per database

SETUP = """
from django.db import transaction
from cms.distribution.models import Channel, DistributionRule
from plans.models import PlanPage
from wagtail.models import Locale
import json, os
plan = PlanPage.objects.get(locale__language_code="fa", plan_number=12)
for spec in json.loads(os.environ["CRASH_CHANNELS"]):
    channel = Channel.objects.create(locale=Locale.objects.get(language_code="fa"), **spec)
    DistributionRule.objects.create(name=spec["name"], channel=channel)
from cms import publication
with transaction.atomic(), publication.forced("crash test set-up"):
    plan.save_revision().publish()
"""


def kill(process):
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def rows(database):
    with sqlite3.connect(database, timeout=20) as connection:
        return dict(
            connection.execute(
                "SELECT c.kind, o.status FROM distribution_outboxentry o "
                "JOIN distribution_channel c ON c.id = o.channel_id"
            )
        )


@pytest.fixture
def servers():
    made = {
        "telegram": fakes.TelegramFake(),
        "bale": fakes.BaleFake(),
        "eitaa": fakes.EitaaFake(),
        "instagram": fakes.InstagramFake(fetch_media=False),
        "x": fakes.XFake(),
        "portal_webhook": fakes.PortalFake(),
    }
    for fake in made.values():
        fake.start()
        fake.hold_next(seconds=8)  # the first post is recorded, then the answer waits
    yield made
    for fake in made.values():
        fake.stop()
    for fake in made.values():
        assert fake.errors == [], (fake.service, fake.errors)


def test_killing_the_worker_mid_delivery_never_posts_twice(servers):
    import json

    specs, secrets = [], {}
    for kind, fake in servers.items():
        target = {
            "telegram": "@revayat_fa",
            "bale": "@revayat_fa",
            "eitaa": "revayat_fa",
            "instagram": getattr(fake, "account_id", ""),
            "x": "",
            "portal_webhook": fake.url,
        }[kind]
        specs.append(
            {
                "name": kind,
                "kind": kind,
                "target": target,
                "credentials_name": f"crash-{kind}",
                "base_url": "" if kind == "portal_webhook" else fake.url,
            }
        )
        secrets[f"REVAYAT_CHANNEL_CRASH_{kind.upper()}"] = getattr(fake, "secret", None) or fake.token
    with demo_copy() as (env, folder):
        env.update(
            secrets,
            DJANGO_SETTINGS_MODULE="settings.dev",
            CRASH_CHANNELS=json.dumps(specs),
            DISTRIBUTION_LEASE_SECONDS="3",
            DISTRIBUTION_QUEUE_SECONDS="30",
            DISTRIBUTION_READ_TIMEOUT="30",
            DISTRIBUTION_SWEEP_SECONDS="3600",
            OUTBOUND_ALLOWLIST="127.0.0.1",
        )  # the loopback fakes
        manage("shell", "-c", SETUP, env=env)
        database = folder / "demo.sqlite3"
        assert set(rows(database).values()) == {"pending"} and len(rows(database)) == len(servers)

        relay = start_command(env, "distribution_relay", "--interval", "0.3")
        try:
            kills, deadline = 0, time.monotonic() + 240
            while time.monotonic() < deadline:
                worker = start_command(env, "db_worker", "--interval", "0.2", "--no-startup-delay")
                posted = sum(len(fake.posts) for fake in servers.values())
                while time.monotonic() < deadline and worker.poll() is None:
                    if sum(len(fake.posts) for fake in servers.values()) > posted or not any(
                        status in ("pending", "queued", "sending") for status in rows(database).values()
                    ):
                        break
                    time.sleep(0.05)
                kill(worker)  # during a held answer: the post is recorded, its answer not yet read
                kills += 1
                if not any(status in ("pending", "queued", "sending") for status in rows(database).values()):
                    break
        finally:
            kill(relay)
        statuses = rows(database)

    assert kills >= len(servers)
    assert not any(status in ("pending", "queued", "sending") for status in statuses.values()), statuses
    for kind, fake in servers.items():
        assert len(fake.posts) == 1, (kind, len(fake.posts))  # exactly one post on every channel
    # The portal receives the event again with the same id and drops the replay; Instagram's adapter
    # finds its container published, X's the post among the account's latest, Telegram's and Bale's the
    # channel post among the bot's updates; Eitaa cannot be asked what it holds, so a person checks it.
    assert statuses["portal_webhook"] == "sent" and servers["portal_webhook"].duplicates
    assert {statuses[kind] for kind in ("instagram", "x", "telegram", "bale")} == {"sent"}
    assert statuses["eitaa"] == "uncertain"
