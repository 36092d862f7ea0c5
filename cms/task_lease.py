"""Leases for the jobs `manage.py db_worker` runs: a killed worker's job goes back to the queue.

django-tasks-db marks a job RUNNING when a worker claims it and has no lease: a worker killed with -9
(or out of memory, or on a machine that died) leaves its job RUNNING for ever. Here each worker keeps a
second thread, the `Keeper`: every third of `REVAYAT_TASK_LEASE_SECONDS` it refreshes the heartbeat of
the job its worker runs (`TaskLease`), so a slow job (a long upload or transcode) keeps its lease as
long as its worker lives, and it hands back (READY) every RUNNING job whose heartbeat, or claim when
no heartbeat was written yet, is older than the lease. A job lost `REVAYAT_TASK_MAX_ATTEMPTS` times
(one that kills its worker, say) is marked FAILED with `LeaseExpired` instead of going round again.
Only lost runs count: a job a worker hands back itself (a database outage, a second SIGTERM) is not
held against it. A worker that lost the database waits one lease after it answers again before
reclaiming: the live workers' heartbeats are old too, and need that long to be refreshed.
"""

import logging
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, InterfaceError, connections
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from cms.models import TaskLease

logger = logging.getLogger("revayat.worker")


class LeaseExpired(Exception):
    """The job's worker stopped refreshing its lease (it was killed or its machine died), run after run."""


def hold(job, worker_id):
    """Start the lease of a job this worker has just claimed."""
    TaskLease.objects.update_or_create(
        result_id=job, defaults={"worker_id": worker_id, "heartbeat_at": timezone.now()}
    )


def hand_back(job):
    """Return a job this worker will not finish to the queue (a no-op once it has finished)."""
    DBTaskResult.objects.filter(pk=job, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None
    )


def _expired(cutoff):
    return DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff).exclude(
        lease__heartbeat_at__gte=cutoff
    )


def reclaim_expired():
    """Hand back every RUNNING job whose lease ran out, or fail it when too many of its runs were lost.
    Returns the number of jobs reclaimed."""
    cutoff = timezone.now() - timedelta(seconds=settings.REVAYAT_TASK_LEASE_SECONDS)
    reclaimed = 0
    for pk in list(_expired(cutoff).values_list("pk", flat=True)[:100]):
        with exclusive_transaction(DBTaskResult.objects.db):  # one worker reclaims it, once
            job = _expired(cutoff).select_for_update(skip_locked=True, of=("self",)).filter(pk=pk).first()
            if job is None:  # another worker took it, or its worker answered meanwhile
                continue
            worker = (job.worker_ids or [""])[-1]
            lease, _created = TaskLease.objects.get_or_create(
                result=job, defaults={"worker_id": worker, "heartbeat_at": job.started_at}
            )
            lease.lost_runs += 1
            lease.save(update_fields=["lost_runs"])
            if lease.lost_runs >= settings.REVAYAT_TASK_MAX_ATTEMPTS:
                job.set_failed(
                    LeaseExpired(
                        f"the worker running this job stopped answering {lease.lost_runs} times "
                        f"(lease {settings.REVAYAT_TASK_LEASE_SECONDS:g} s); not trying again"
                    )
                )
                logger.error("worker: job %s (%s) lost %d runs: failed", pk, job.task_path, lease.lost_runs)
            else:
                job.status, job.started_at = TaskResultStatus.READY, None
                job.save(update_fields=["status", "started_at"])
                logger.warning("worker: job %s (%s) lost its worker: handed back", pk, job.task_path)
            reclaimed += 1
    return reclaimed


class Keeper(threading.Thread):
    """A worker's second thread: the heartbeat of the job it runs, and the reclaiming of lost jobs."""

    def __init__(self, worker_id):
        super().__init__(name="task-lease", daemon=True)
        self.worker_id = worker_id
        self.job = None  # the pk of the job the worker runs now
        self.stopped = threading.Event()

    def run(self):
        reclaim_after, cut_off = 0.0, False
        try:
            while True:
                try:
                    if (job := self.job) is not None:
                        TaskLease.objects.filter(result_id=job).update(heartbeat_at=timezone.now())
                    if cut_off:
                        # The database answers again, and every live worker's heartbeat is old: give
                        # them a lease's time to refresh theirs, or a running job would be taken.
                        connections[TaskLease.objects.db].ensure_connection()
                        reclaim_after, cut_off = time.monotonic() + settings.REVAYAT_TASK_LEASE_SECONDS, False
                    if time.monotonic() >= reclaim_after:
                        reclaim_expired()
                except (DatabaseError, InterfaceError):  # the worker logs the outage; the next beat retries
                    logger.warning("worker: could not refresh the lease", exc_info=True)
                    connections.close_all()
                    cut_off = True
                if self.stopped.wait(settings.REVAYAT_TASK_LEASE_SECONDS / 3):
                    return
        finally:
            connections.close_all()  # this thread's own connections

    def stop(self):
        self.stopped.set()
        self.join(timeout=10)
