"""A background job for the worker's process tests: it notes each run's start and end in a file."""

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
