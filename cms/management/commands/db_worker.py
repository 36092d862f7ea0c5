"""`manage.py db_worker`: django-tasks-db's worker, made to outlive a database outage (this command
shadows upstream's because `cms` comes before `django_tasks_db` in INSTALLED_APPS).

Upstream's worker ends on the first database error that is not SQLite's "database is locked": a
PostgreSQL restart stops every background job (search index, renditions, deliveries) until someone
restarts the worker. Here the loop closes its connections and starts again after a growing pause (as
`cms.loops` does for the relay and the scheduler), and a job the outage interrupted is handed back
(READY) once the database answers, instead of staying RUNNING for ever; jobs must therefore be safe to
run again, as the delivery task is (it claims its outbox row). A job whose worker was killed outright
goes back to the queue when its lease runs out (`cms.task_lease`). SIGTERM keeps upstream's behaviour:
the current job finishes, then the worker exits; a second SIGTERM hands the job back (upstream marks it
FAILED) and exits at once.
"""

import functools
import logging
import os
import signal
import threading
import time

from django.db import DatabaseError, InterfaceError, connections
from django_tasks_db.management.commands import db_worker as upstream
from django_tasks_db.models import DBTaskResult

from cms import task_lease
from cms.loops import MAX_BACKOFF_SECONDS

logger = logging.getLogger("revayat.worker")


class Worker(upstream.Worker):
    interrupted = None  # the id of a job a database error cut short, to hand back
    keeper = None  # the lease thread (cms.task_lease), while the worker runs

    def run(self):
        self.keeper = task_lease.Keeper(self.worker_id)
        self.keeper.start()
        try:
            self.retry_after_outages()
        finally:
            self.keeper.stop()

    def retry_after_outages(self):
        failures = 0
        while True:
            try:
                self.hand_back()
                return super().run()
            except (DatabaseError, InterfaceError):
                if not self.running:  # asked to stop (SIGTERM) while the database is away
                    raise
                failures += 1
                connections.close_all()
                self.startup_delay = False
                logger.warning("worker: database error (%d in a row), retrying", failures, exc_info=True)
                time.sleep(min(max(self.interval, 0.5) * 2**failures, MAX_BACKOFF_SECONDS))

    def run_task(self, db_task_result):
        for name in ("set_successful", "set_failed"):  # upstream calls them on this instance
            setattr(db_task_result, name, on_a_live_connection(getattr(db_task_result, name)))
        try:
            task_lease.hold(db_task_result.pk, self.worker_id)
            self.keeper.job = db_task_result.pk
            return super().run_task(db_task_result)
        except (DatabaseError, InterfaceError):  # the database went away before the outcome was saved
            self.interrupted = db_task_result.pk
            raise
        finally:
            self.keeper.job = None

    def hand_back(self):
        """Return the interrupted job to the queue (its run never finished, so it runs again)."""
        if self.interrupted is not None:
            task_lease.hand_back(self.interrupted)
            self.interrupted = None

    def shutdown(self, signum, frame):
        """A second signal while a job runs: hand the job back and leave now. Upstream would raise
        SystemExit into the job and mark it FAILED. The job's own thread stays where the signal
        stopped it while another thread (a connection of its own) writes, then the process ends."""
        job = self.keeper and self.keeper.job
        if self.running or job is None:
            return super().shutdown(signum, frame)
        logger.warning("Received %s again - handing job %s back and stopping.", signal.strsignal(signum), job)
        writer = threading.Thread(target=self.hand_back_from_thread, args=(job,))
        writer.start()
        writer.join(timeout=10)
        logging.shutdown()
        os._exit(1)

    @staticmethod
    def hand_back_from_thread(job):
        try:
            task_lease.hand_back(job)
        finally:
            connections.close_all()


def on_a_live_connection(save):
    """Upstream saves a job's outcome on the connection the job started with. A database restart while
    a long job ran ended that connection, so the outcome of a job that finished after the database was
    back could not be saved, and the job ran again. Check the connection first; reopen it if it is gone."""

    @functools.wraps(save)
    def saving(*args, **kwargs):
        connection = connections[DBTaskResult.objects.db]
        if connection.connection is not None and not connection.is_usable():
            connection.close()
        return save(*args, **kwargs)

    return saving


class Command(upstream.Command):
    def handle(self, **options):
        original = upstream.Worker
        upstream.Worker = Worker  # upstream's handle() builds the worker by this name
        try:
            return super().handle(**options)
        finally:
            upstream.Worker = original
