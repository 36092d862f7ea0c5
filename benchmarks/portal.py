"""Benchmark the production server: the Persian home page, a plan page and a static file, with wrk.

Builds a throw-away SQLite demo site (settings.production), serves it with gunicorn on 127.0.0.1 and
runs `wrk --latency` against each URL. See benchmarks/README.md.
"""

import argparse
import contextlib
import json
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from the checkout: `python benchmarks/portal.py`

from tests.demo_server import ServerError, demo_site  # noqa: E402

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def get(url, timeout=5):
    """(status, body) of a GET request."""
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read().decode("utf-8", "replace")


def first_plan(base):
    """Path of the first plan linked from the Persian plan index."""
    match = re.search(r'href="(/fa/plans/[^"/]+/)"', get(f"{base}/fa/plans/")[1])
    if not match:
        sys.exit("No plan found on /fa/plans/.")
    return match.group(1)


def wrk(url, duration, connections, headers=()):
    """Run wrk against `url` (with `headers`, "Name: value" each); return (requests/s, p99 latency in
    ms, non-2xx count)."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url]
    command += [argument for header in headers for argument in ("-H", header)]
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=duration + 30).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s|m)\b", output, re.M)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if not (rps and p99):
        sys.exit(f"Could not read wrk's output:\n{output}")
    return float(rps[1]), float(p99[1]) * UNITS[p99[2]], int(errors[1]) if errors else 0


def measure(base, targets, options, compared):
    """Run wrk on each of `targets` ({name: path}, with "static"); print req/s, p99 and the ratios."""
    get(base + targets["static"])  # raises on an error status
    print(f"gunicorn -w 2 on {base}; wrk -t2 -c{options.connections} -d{options.duration}s\n")
    print(f"{'target':<8} {'req/s':>10} {'p99 ms':>9} {'non-2xx':>8}  path")
    results = {}
    for name, path in targets.items():
        rps, p99, errors = wrk(base + path, options.duration, options.connections)
        results[name] = rps
        print(f"{name:<8} {rps:>10.1f} {p99:>9.2f} {errors:>8}  {path}", flush=True)
    print()
    for name in compared:
        ratio = results[name] / results["static"]
        print(f"{name} ÷ static req/s: {ratio:.4f} (static {1 / ratio:.0f}× faster)")


def wrk_options(description):
    """The wrk options (--duration, --connections) from the command line; exit if wrk is missing."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: run `bin/ensure-system-packages bench` (or `make bench`).")
    return options


@contextlib.contextmanager
def production_site():
    """(base URL, path of the portal's CSS file) of a fresh production demo site; exits on a server error."""
    print("Building the demo site (migrate, load_demo, collectstatic) and starting gunicorn…", flush=True)
    try:
        with demo_site(production=True) as (base, folder):
            manifest = json.loads((folder / "static" / "staticfiles.json").read_text())
            yield base, "/static/" + manifest["paths"]["css/portal.css"]
    except ServerError as error:
        sys.exit(str(error))


def main():
    options = wrk_options(__doc__.splitlines()[0])
    with production_site() as (base, static):
        targets = {"home": "/fa/", "plan": first_plan(base), "static": static}
        plan_html = get(base + targets["plan"])[1]
        missing = [n for n in range(1, 9) if f'id="section-{n}"' not in plan_html]
        if missing:
            sys.exit(f"{targets['plan']} lacks sections {missing}.")
        measure(base, targets, options, compared=("plan", "home"))


if __name__ == "__main__":
    main()
