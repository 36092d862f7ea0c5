"""Background jobs for the worker's process tests: they note each run's start (and end) in a file."""

import os
import signal
import time
from pathlib import Path

from django_tasks import task


@task()
def slow_job(log, seconds):
    path = Path(log)
    with path.open("a") as handle:
        handle.write("start\n")
    time.sleep(seconds)
    with path.open("a") as handle:
        handle.write("end\n")
    return "done"


@task()
def deadly_job(log):
    """A job that kills its own worker, as one that runs the machine out of memory would."""
    with Path(log).open("a") as handle:
        handle.write("start\n")
    os.kill(os.getpid(), signal.SIGKILL)
