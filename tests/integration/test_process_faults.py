"""The relay and the scheduler survive the faults a deployment sees (cms/loops.py).

Scenarios: a pass that fails with a database error is retried with a growing pause and fresh
connections instead of ending the process; SIGTERM lets the current pass finish and the process exit
cleanly; on PostgreSQL, the real relay process keeps running while its database refuses connections
and kills its sessions, reconnects when the database is back, and stops on SIGTERM with status 0
(before, the first failed query ended the relay and deliveries stopped until someone restarted it).
"""

import os
import signal
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.db import OperationalError

from cms import loops
from tests.demo_server import ROOT, locked, postgres_demo_folder


def test_database_errors_are_retried_with_backoff(monkeypatch):
    calls, pauses = [], []
    monkeypatch.setattr(loops.threading.Event, "wait", lambda self, seconds: pauses.append(seconds))

    def step():
        calls.append(len(calls))
        if len(calls) in (2, 3):
            raise OperationalError("server closed the connection unexpectedly")
        if len(calls) == 5:
            os.kill(os.getpid(), signal.SIGTERM)  # handled by the loop: this pass ends, then the loop

    assert loops.run_periodically(step, interval=1.0, name="test") == 5
    assert pauses == [1.0, 2.0, 4.0, 1.0]
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL, "the loop left its handler installed"


def test_other_errors_still_end_the_process():
    def step():
        raise ValueError("a bug is not an outage")

    with pytest.raises(ValueError):
        loops.run_periodically(step, interval=0.01, name="test")


def admin_connection():
    url = urlsplit(os.environ["DATABASE_URL"])._replace(path="/postgres")
    return psycopg.connect(urlunsplit(url).replace("postgres://", "postgresql://", 1), autocommit=True)


def sessions(admin, database):
    query = (
        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND application_name = 'revayat-relay-test'"
    )
    return admin.execute(query, [database]).fetchone()[0]


def wait_until(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="the PostgreSQL pass runs it"
)
def test_relay_process_outlives_a_database_outage(db):  # db: the run's demo template exists
    name = urlsplit(os.environ["DATABASE_URL"]).path.lstrip("/")
    template, database = f"{name}_demo_template", f"{name}_outage_{os.getpid()}"
    with admin_connection() as admin:
        with locked(postgres_demo_folder(template)):  # PostgreSQL copies a template nobody else is using
            admin.execute(f'DROP DATABASE IF EXISTS "{database}"')
            admin.execute(f'CREATE DATABASE "{database}" TEMPLATE "{template}"')
        url = urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{database}")
        env = {**os.environ, "DATABASE_URL": urlunsplit(url), "PGAPPNAME": "revayat-relay-test"}
        relay = subprocess.Popen(
            [sys.executable, "manage.py", "distribution_relay", "--interval", "0.2"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert wait_until(lambda: sessions(admin, database) > 0), "the relay never connected"
            admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false')
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [database]
            )
            time.sleep(3)  # passes fail: connections are refused
            assert relay.poll() is None, f"the relay died in the outage:\n{relay.stderr.read()}"
            admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')
            assert wait_until(lambda: sessions(admin, database) > 0), "the relay did not reconnect"
            relay.send_signal(signal.SIGTERM)
            assert relay.wait(timeout=30) == 0
        finally:
            if relay.poll() is None:
                relay.kill()
                relay.wait()
            admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
