"""Run the distribution relay: hand due outbox rows to delivery tasks, every few seconds."""

from django.core.management.base import BaseCommand

from cms.distribution.outbox import relay
from cms.loops import run_periodically


class Command(BaseCommand):
    help = "Hand due outbox rows to delivery tasks, recover rows of stopped workers (loops until stopped)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between passes")
        parser.add_argument("--once", action="store_true", help="run one pass and exit")

    def handle(self, *args, interval, once, **options):
        def step():
            handed = relay()
            if handed and options["verbosity"] > 1:
                self.stdout.write(f"handed {handed} outbox rows to delivery tasks")

        run_periodically(step, interval, once, name="distribution_relay")
