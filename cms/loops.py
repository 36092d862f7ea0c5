"""The loop of the long-running processes `make run` starts beside the web server (the distribution
relay, the scheduler): one pass every few seconds, surviving the faults a deployment sees.

A database that restarts or drops connections makes a pass fail with a `DatabaseError`; the loop
closes every connection (the next pass opens a fresh one) and waits longer after each failure in a
row, up to a minute, instead of exiting and leaving deliveries or go-lives stopped until someone
notices. SIGTERM and SIGINT let the current pass finish, then the loop returns.
"""

import logging
import signal
import threading

from django.db import DatabaseError, connections

MAX_BACKOFF_SECONDS = 60.0


def run_periodically(step, interval, once=False, name="loop"):
    """Call `step()` every `interval` seconds until stopped; returns the number of passes made."""
    logger = logging.getLogger(f"revayat.{name}")
    stop = threading.Event()
    previous = {}
    if threading.current_thread() is threading.main_thread():  # only the main thread may set handlers
        previous = {
            number: signal.signal(number, lambda *_: stop.set()) for number in (signal.SIGTERM, signal.SIGINT)
        }
    failures = passes = 0
    try:
        while not stop.is_set():
            try:
                step()
                failures = 0
            except DatabaseError:
                failures += 1
                connections.close_all()
                logger.warning("%s: pass failed (%d in a row), retrying", name, failures, exc_info=True)
            passes += 1
            if once or stop.is_set():
                break
            stop.wait(min(interval * 2**failures, MAX_BACKOFF_SECONDS) if failures else interval)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    return passes
