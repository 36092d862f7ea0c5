"""Benchmark deliverable generation: seconds per deliverable per plan, and the content-hash cache.

Builds a throw-away SQLite demo site in a temporary folder, generates every deliverable of the chosen
plans (both languages), then asks again: unchanged plans are skipped by their content hash, and the
time of that check is compared with a full build. See benchmarks/README.md.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from the checkout: `python benchmarks/deliverables.py`

COLUMNS = ("qr", "report_pdf", "summary_pdf", "guide_pdf", "epub", "pptx", "package")


def setup(folder):
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "settings.dev",
            "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
            "MEDIA_ROOT": f"{folder}/media",
            "REVAYAT_DELIVERABLES_ON_PUBLISH": "0",
        }
    )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("load_demo", "--no-admin", verbosity=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=2, help="plans to build, per language (default 2)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="revayat-bench-") as folder:
        print("Building the demo site (migrate, load_demo)…", flush=True)
        setup(folder)
        from plans.deliverables.build import build
        from plans.models import PlanDeliverables, PlanPage

        plans = [
            plan
            for language in ("fa", "en")
            for plan in PlanPage.objects.filter(locale__language_code=language).order_by("plan_number")[
                : options.plans
            ]
        ]
        print(f"\n{'plan':<10} {'lang':<4} " + " ".join(f"{c:>11}" for c in COLUMNS) + f" {'total s':>8}")
        built = []
        for plan in plans:
            started = time.perf_counter()
            outcome = build(plan)
            total = time.perf_counter() - started
            timings = PlanDeliverables.objects.get(page=plan).timings
            qr = sum(v for k, v in timings.items() if "qr" in k)
            cells = [qr, *(timings.get(c) for c in COLUMNS[1:])]
            print(
                f"{plan.code:<10} {plan.locale.language_code:<4} "
                + " ".join(f"{v:>11.3f}" if v is not None else f"{'—':>11}" for v in cells)
                + f" {total:>8.2f}  {outcome}"
            )
            built.append(total)
        skipped = []
        for plan in plans:
            started = time.perf_counter()
            outcome = build(plan)
            skipped.append(time.perf_counter() - started)
            assert outcome == "cached", outcome
        full, check = sum(built) / len(built), sum(skipped) / len(skipped)
        print(
            f"\nUnchanged plans: {len(skipped)}/{len(plans)} skipped by the content hash "
            f"(mean {check:.2f} s against {full:.2f} s for a build, ratio {check / full:.3f})."
        )


if __name__ == "__main__":
    main()
