"""Run scheduled go-live and expiry every few seconds (`make run` starts it beside the worker)."""

from django.core.management.base import BaseCommand

from cms.loops import run_periodically
from cms.scheduler import run_due


class Command(BaseCommand):
    help = "Publish pages whose go-live time has come and unpublish expired ones (loops until stopped)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=10.0, help="seconds between passes")
        parser.add_argument("--once", action="store_true", help="run one pass and exit")

    def handle(self, *args, interval, once, **options):
        def step():  # a failed pass (database down, SQLite busy) is caught up by the next one
            expired, published = run_due()
            if (expired or published) and options["verbosity"] > 0:
                self.stdout.write(f"published {published}, unpublished {expired} scheduled pages")

        run_periodically(step, interval, once, name="scheduler")
