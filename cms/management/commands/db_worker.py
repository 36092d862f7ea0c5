"""`manage.py db_worker`: django-tasks-db's worker, made to outlive a database outage (this command
shadows upstream's because `cms` comes before `django_tasks_db` in INSTALLED_APPS).

Upstream's worker ends on the first database error that is not SQLite's "database is locked": a
PostgreSQL restart stops every background job (search index, renditions, deliveries) until someone
restarts the worker. Here the loop closes its connections and starts again after a growing pause (as
`cms.loops` does for the relay and the scheduler), and a job the outage interrupted is handed back
(READY) once the database answers, instead of staying RUNNING for ever; jobs must therefore be safe to
run again, as the delivery task is (it claims its outbox row). SIGTERM keeps upstream's behaviour: the
current job finishes, then the worker exits.
"""

import logging
import time

from django.db import DatabaseError, InterfaceError, connections
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands import db_worker as upstream
from django_tasks_db.models import DBTaskResult

from cms.loops import MAX_BACKOFF_SECONDS

logger = logging.getLogger("revayat.worker")


class Worker(upstream.Worker):
    interrupted = None  # the id of a job a database error cut short, to hand back

    def run(self):
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
        try:
            return super().run_task(db_task_result)
        except (DatabaseError, InterfaceError):  # the database went away before the outcome was saved
            self.interrupted = db_task_result.pk
            raise

    def hand_back(self):
        """Return the interrupted job to the queue (its run never finished, so it runs again)."""
        if self.interrupted is not None:
            DBTaskResult.objects.filter(pk=self.interrupted, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY, started_at=None
            )
            self.interrupted = None


class Command(upstream.Command):
    def handle(self, **options):
        original = upstream.Worker
        upstream.Worker = Worker  # upstream's handle() builds the worker by this name
        try:
            return super().handle(**options)
        finally:
            upstream.Worker = original
