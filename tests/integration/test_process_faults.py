"""The relay and the scheduler survive the faults a deployment sees (cms/loops.py).

Scenarios: a pass that fails with a database error is retried with a growing pause and fresh
connections instead of ending the process; SIGTERM lets the current pass finish and the process exit
cleanly; on PostgreSQL, the real relay process keeps running while its database refuses connections
and kills its sessions, reconnects when the database is back, and stops on SIGTERM with status 0
(before, the first failed query ended the relay and deliveries stopped until someone restarted it).
The task worker (`manage.py db_worker`) does the same: a job the outage cut short is handed back and
runs again once the database is back, and SIGTERM lets the running job finish before the worker exits
(upstream's worker ended on the first failed query, leaving its job RUNNING for ever).
"""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
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
    query = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND application_name = %s"
    return admin.execute(query, [database, "revayat-fault-test"]).fetchone()[0]


def wait_until(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


on_postgresql = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="the PostgreSQL pass runs it"
)


@contextmanager
def copied_database():
    """(admin connection, database name, environment) of a fresh copy of the demo database."""
    name = urlsplit(os.environ["DATABASE_URL"]).path.lstrip("/")
    template, database = f"{name}_demo_template", f"{name}_outage_{os.getpid()}"
    with admin_connection() as admin:
        with locked(postgres_demo_folder(template)):  # PostgreSQL copies a template nobody else is using
            admin.execute(f'DROP DATABASE IF EXISTS "{database}"')
            admin.execute(f'CREATE DATABASE "{database}" TEMPLATE "{template}"')
        url = urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{database}")
        env = {**os.environ, "DATABASE_URL": urlunsplit(url), "PGAPPNAME": "revayat-fault-test"}
        try:
            yield admin, database, env
        finally:
            admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def outage(admin, database, process, seconds=3):
    """Refuse connections and end every session for `seconds`; the process must stay up and reconnect."""
    admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false')
    admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [database])
    time.sleep(seconds)  # passes fail: connections are refused
    assert process.poll() is None, f"the process died in the outage:\n{process.stderr.read()}"
    admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')
    assert wait_until(lambda: sessions(admin, database) > 0), "the process did not reconnect"


@contextmanager
def started(command, env):
    process = subprocess.Popen(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@on_postgresql
def test_relay_process_outlives_a_database_outage(db):  # db: the run's demo template exists
    with (
        copied_database() as (admin, database, env),
        started(["distribution_relay", "--interval", "0.2"], env) as relay,
    ):
        assert wait_until(lambda: sessions(admin, database) > 0), "the relay never connected"
        outage(admin, database, relay)
        relay.send_signal(signal.SIGTERM)
        assert relay.wait(timeout=30) == 0


def job_status(admin, database):
    with psycopg.connect(admin.info.dsn.replace("dbname=postgres", f"dbname={database}")) as connection:
        return connection.execute("SELECT status FROM django_tasks_database_dbtaskresult").fetchall()


@on_postgresql
def test_worker_process_outlives_a_database_outage_and_finishes_its_job_on_sigterm(db, tmp_path):
    log = tmp_path / "runs.log"
    with copied_database() as (admin, database, env):
        env = {**env, "DJANGO_SETTINGS_MODULE": "settings.dev", "DEBUG": "0"}  # the database task backend
        enqueue = f"from tests.integration.jobs import slow_job; slow_job.enqueue({str(log)!r}, 2)"
        subprocess.run([sys.executable, "manage.py", "shell", "-c", enqueue], cwd=ROOT, env=env, check=True)
        with started(["db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay"], env) as worker:
            assert wait_until(lambda: log.exists()), f"the job never started:\n{worker.stderr.read()}"
            outage(admin, database, worker)  # the job ends while the database is away: handed back
            assert wait_until(lambda: log.read_text().count("start") == 2), "the job was not run again"
            worker.send_signal(signal.SIGTERM)  # during the second run: it finishes first
            assert worker.wait(timeout=30) == 0
        assert log.read_text().split() == ["start", "end", "start", "end"]
        assert job_status(admin, database) == [("SUCCESSFUL",)]
