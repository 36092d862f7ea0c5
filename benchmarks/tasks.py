"""Tasks the benchmarks enqueue. A module of its own: the workers import a task by its module path, which a
script run as `__main__` does not have."""

import os

from django_tasks import task


@task()
def record_execution(number, path):
    """Append "number pid" to `path` (O_APPEND: whole lines from any number of processes), so that the
    caller can count how many times, and by which worker, each job ran."""
    with open(path, "a") as log:
        log.write(f"{number} {os.getpid()}\n")
