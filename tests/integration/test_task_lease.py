"""A job whose worker dies goes back to the queue, once, and a slow job keeps its lease (cms/task_lease.py).

Real `manage.py db_worker` processes on a real database (a copy of the demo: SQLite file or PostgreSQL),
with a lease of 2 seconds. Scenarios: a worker killed with -9 mid-job leaves its job RUNNING; another
worker hands it back when the lease runs out and it runs to the end exactly once more, while a second
live worker does not run it again although the run outlasts the lease (the heartbeat keeps it); a job
that kills every worker running it fails after REVAYAT_TASK_MAX_ATTEMPTS runs instead of looping; a
second SIGTERM hands the running job back (upstream marked it FAILED) and the worker exits; on
PostgreSQL, a database outage longer than the lease does not make another worker start a job that is
still running (every heartbeat is old when the database comes back).
Before the lease, the killed worker's job stayed RUNNING for ever.
"""

import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager

import psycopg
import pytest
from django.db import connection

from tests.demo_server import ROOT, demo_copy
from tests.integration.test_process_faults import copied_database, on_postgresql, outage, wait_until

LEASE = {"TASK_LEASE_SECONDS": "2", "TASK_MAX_ATTEMPTS": "3"}


@contextmanager
def worker_database():
    """(environment, query) for worker processes on a fresh copy of the demo database."""
    if connection.vendor == "sqlite":
        with demo_copy() as (env, _folder):
            path = env["DATABASE_URL"].removeprefix("sqlite:///")

            def query(sql):
                with sqlite3.connect(path, timeout=10) as database:
                    return database.execute(sql).fetchall()

            yield env, query
    else:
        with copied_database() as (admin, database, env):
            dsn = admin.info.dsn.replace("dbname=postgres", f"dbname={database}")

            def query(sql):
                with psycopg.connect(dsn) as database:
                    return database.execute(sql).fetchall()

            yield env, query


def worker_environment(env):
    """The database task backend, the short lease, and the workers' logs as they write them."""
    return {**env, **LEASE, "DJANGO_SETTINGS_MODULE": "settings.dev", "DEBUG": "0", "PYTHONUNBUFFERED": "1"}


@pytest.fixture
def workers(db):  # db: the run's demo (the PostgreSQL template) exists
    with worker_database() as (env, query):
        yield worker_environment(env), query


def enqueue(env, call):
    program = f"from tests.integration import jobs; jobs.{call}"
    subprocess.run([sys.executable, "manage.py", "shell", "-c", program], cwd=ROOT, env=env, check=True)


@contextmanager
def worker(env, name, folder):
    """A worker process; its log (in `folder`) is in the message of a failed assertion."""
    log = folder / f"{name}.log"
    command = ["db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay", "--worker-id", name]
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, stdout=output, stderr=output
        )
    process.log = log
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def logs(*processes):
    return "\n".join(process.log.read_text() for process in processes)


def job(query):
    """(status, exception class, lost runs) of the one job."""
    sql = (
        "SELECT status, exception_class_path, lost_runs FROM django_tasks_database_dbtaskresult"
        " LEFT JOIN cms_tasklease ON result_id = id"
    )
    [row] = query(sql)
    return row


def test_a_killed_workers_job_runs_again_exactly_once_and_a_slow_run_keeps_its_lease(workers, tmp_path):
    env, query = workers
    log = tmp_path / "runs.log"
    enqueue(env, f"slow_job.enqueue({str(log)!r}, 5)")  # a run outlasts the 2 s lease
    with worker(env, "first", tmp_path) as first:
        assert wait_until(lambda: log.exists(), 60), logs(first)
        first.kill()
        first.wait()
    assert job(query)[0] == "RUNNING"
    with worker(env, "second", tmp_path) as second, worker(env, "third", tmp_path) as third:
        assert wait_until(lambda: job(query)[0] == "SUCCESSFUL", 60), logs(second, third)
        time.sleep(3)  # more than the lease: a lease left to run out would have the job started again
        assert second.poll() is None and third.poll() is None, logs(second, third)
    assert log.read_text().split() == ["start", "start", "end"]
    assert job(query) == ("SUCCESSFUL", "", 1)


def test_a_job_that_keeps_killing_its_worker_fails_after_max_attempts(workers, tmp_path):
    env, query = workers
    log = tmp_path / "runs.log"
    enqueue(env, f"deadly_job.enqueue({str(log)!r})")
    for number in range(4):  # three runs kill their worker; the fourth worker fails the job
        with worker(env, f"worker-{number}", tmp_path) as process:
            ended = wait_until(lambda: process.poll() is not None or job(query)[0] == "FAILED", 60)
            assert ended, logs(process)
            if job(query)[0] == "FAILED":
                assert process.poll() is None, "the worker that failed the job must live on"
                break
            assert process.returncode == -signal.SIGKILL
    assert log.read_text().split() == ["start"] * 3
    assert job(query) == ("FAILED", "cms.task_lease.LeaseExpired", 3)


def test_a_second_sigterm_hands_the_running_job_back(workers, tmp_path):
    env, query = workers
    log = tmp_path / "runs.log"
    enqueue(env, f"slow_job.enqueue({str(log)!r}, 60)")
    with worker(env, "stopping", tmp_path) as process:
        assert wait_until(lambda: log.exists(), 60), logs(process)
        process.send_signal(signal.SIGTERM)  # alone, it lets the job finish
        assert wait_until(lambda: "shutting down gracefully" in logs(process), 10), logs(process)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 1, logs(process)
    assert log.read_text().split() == ["start"]
    assert job(query) == ("READY", "", 0)


@on_postgresql
def test_a_database_outage_longer_than_the_lease_does_not_start_a_running_job_again(db, tmp_path):
    log = tmp_path / "runs.log"
    with copied_database() as (admin, database, env):
        env = worker_environment(env)
        enqueue(env, f"slow_job.enqueue({str(log)!r}, 20)")
        with worker(env, "running", tmp_path) as running:
            assert wait_until(lambda: log.exists(), 60), logs(running)
            with worker(env, "idle", tmp_path) as idle:
                assert wait_until(lambda: "Starting worker" in logs(idle), 60), logs(idle)
                time.sleep(1)  # it polls the queue
                # longer than the lease: when it ends, the running job's heartbeat is older than that
                outage(admin, database, running, seconds=4)
                assert wait_until(lambda: "end" in log.read_text(), 30), logs(running, idle)
                time.sleep(3)
                assert idle.poll() is None and running.poll() is None, logs(running, idle)
    assert log.read_text().split() == ["start", "end"], logs(running, idle)
