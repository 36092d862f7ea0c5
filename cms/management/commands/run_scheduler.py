"""Run scheduled go-live and expiry every few seconds (`make run` starts it beside the worker)."""

import logging
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from cms.scheduler import run_due


class Command(BaseCommand):
    help = "Publish pages whose go-live time has come and unpublish expired ones (loops until stopped)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=10.0, help="seconds between passes")
        parser.add_argument("--once", action="store_true", help="run one pass and exit")

    def handle(self, *args, interval, once, **options):
        while True:
            try:
                expired, published = run_due()
            except DatabaseError:  # e.g. SQLite busy with another writer: the next pass catches up
                logging.getLogger(__name__).warning("Scheduler pass failed", exc_info=True)
                expired = published = 0
            if (expired or published) and options["verbosity"] > 0:
                self.stdout.write(f"published {published}, unpublished {expired} scheduled pages")
            if once:
                return
            time.sleep(interval)
