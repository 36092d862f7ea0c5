"""Two app nodes behind nginx on loopback, as `deploy/` sets them up on real servers: checks, then throughput.

Starts the whole stack on this machine from Debian's packages and the project's venv: a fresh PostgreSQL
database, Redis (cache and content version), SeaweedFS (S3, every file), two gunicorn nodes with
settings.production, nginx from `deploy/nginx.conf.template`, two task workers, the relay and the scheduler.
Then checks, as a person and a machine would see it:

1. a session made on node A works on node B (sessions are rows in PostgreSQL);
2. a page published through node A's admin is served fresh by node B, whose cache was warm (the content
   version lives in Redis);
3. a document uploaded through node A is read, byte for byte, through node B (S3);
4. every queued job runs exactly once with two workers (the database queue's row locks), on both workers,
   once the demo's own jobs (its media above all) are done;
5. nginx serves the portal and the hashed static files.

Finally it measures the Persian plan page with wrk, cached and rendered: one node pinned to core 0
(`taskset`), then nginx over two nodes pinned to cores 0 and 1, and prints both and their ratio.

Run: `.venv/bin/python benchmarks/two_nodes.py [--duration 10] [--connections 16] [--jobs 200]`
(`bin/ensure-system-packages deploy` installs nginx, wrk and Redis when missing; PostgreSQL must answer on
TEST_POSTGRES_URL's server, which `bin/ensure-postgres` starts). Exits non-zero when a check fails.
"""

import argparse
import contextlib
import os
import re
import secrets
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from the checkout

from benchmarks.portal import wrk  # noqa: E402
from tests.demo_server import ServerError, free_port, manage, wait_for  # noqa: E402
from tests.media.s3server import ACCESS_KEY, BUCKET, SECRET_KEY, SeaweedS3  # noqa: E402

POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres:postgres@127.0.0.1:5432/revayat")
DATABASE = "revayat_two_nodes"
REDIS_DATABASE = 11
ADMIN, PASSWORD = "root", secrets.token_urlsafe(12)
failures = []


def check(condition, label):
    print(f"  {'ok  ' if condition else 'FAIL'} {label}", flush=True)
    if not condition:
        failures.append(label)


def fresh_database(name=DATABASE):
    """Drop and create the benchmark's own database; return its URL."""
    drop_database(name, create=True)
    return urlunsplit(urlsplit(POSTGRES)._replace(path=f"/{name}"))


def drop_database(name=DATABASE, create=False):
    import psycopg

    parts = urlsplit(POSTGRES)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')


def flush_redis():
    import redis

    redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DATABASE).flushdb()


def stack_environment(database_url, s3, folder, base_url, redis_database=REDIS_DATABASE):
    """The environment of every process of the stack: production settings on PostgreSQL, Redis and S3."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "settings.production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "0",
        "DATABASE_URL": database_url,
        "DB_CONN_MAX_AGE": "60",
        "CACHE_URL": f"redis://127.0.0.1:6379/{redis_database}",
        "MEDIA_STORAGE": "s3",
        "S3_ENDPOINT_URL": s3.endpoint,
        "S3_ACCESS_KEY_ID": ACCESS_KEY,
        "S3_SECRET_ACCESS_KEY": SECRET_KEY,
        "S3_BUCKET": BUCKET,
        "STATIC_ROOT": str(folder / "static"),
        "WAGTAILADMIN_BASE_URL": base_url,
        "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
    }
    env.pop("DEBUG", None)
    return env


class Processes:
    """The stack's processes, each in its own process group, stopped with SIGTERM (then SIGKILL)."""

    def __init__(self, folder):
        self.folder = folder
        self.running = []

    def start(self, name, command, env, cpu=None):
        if cpu is not None:
            command = ["taskset", "-c", str(cpu), *command]
        log = (self.folder / f"{name}.log").open("w")
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.running.append((name, process))
        return process

    def stop(self, only=None):
        for name, process in list(self.running):
            if only and name not in only:
                continue
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            self.running.remove((name, process))


def gunicorn(port):
    return [
        str(Path(sys.executable).with_name("gunicorn")),
        "settings.wsgi",
        "-w",
        "2",
        "-b",
        f"127.0.0.1:{port}",
    ]


def render_nginx(folder, listen, nodes, static_root):
    """nginx.conf from deploy/nginx.conf.template (safe_substitute keeps nginx's own $variables)."""
    template = string.Template((ROOT / "deploy" / "nginx.conf.template").read_text())
    upstream = "\n        ".join(f"server {node} max_fails=3 fail_timeout=10s;" for node in nodes)
    text = template.safe_substitute(
        prefix=folder,
        listen=f"127.0.0.1:{listen}",
        node_a=nodes[0],
        node_b=nodes[-1],
        static_root=static_root,
    )
    # The template names two nodes; the one-node measurement lists one.
    text = re.sub(
        r"server \S+ max_fails=3 fail_timeout=10s;\n\s+server \S+ max_fails=3 fail_timeout=10s;",
        upstream,
        text,
    )
    path = folder / "nginx.conf"
    path.write_text(text)
    return path


def shell(code, env):
    """Run Python in `manage.py shell` with the stack's settings; return what it printed."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise ServerError(f"manage.py shell failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout.strip()


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def figures(rps, p99, errors):
    return f"{rps:9.1f} req/s  p99 {p99:7.1f} ms  non-2xx {errors}"


def browser_checks(base_a, base_b, page_id, plan_path, env, folder):
    """Checks 1–3 in Chromium: the admin through node A, the reader through node B."""
    from playwright.sync_api import sync_playwright

    summary = f"خلاصهٔ تازه از گره الف {secrets.token_hex(3)}"
    upload = folder / "two-nodes.txt"
    upload.write_text("سندی که از گره الف بارگذاری و از گره ب خوانده می‌شود.\n" * 50)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        # Cookies are per host, not per port: one context carries node A's session to node B.
        context = chromium.new_context(locale="fa-IR", viewport={"width": 1280, "height": 1000})
        page = context.new_page()
        page.goto(f"{base_a}/admin/login/")
        page.fill("input[name=username]", ADMIN)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/admin/")
        page.goto(f"{base_b}/admin/")
        check(page.url == f"{base_b}/admin/", "a session made on node A works on node B")

        check(
            summary not in fetch(base_b + plan_path)[2].decode(), "node B serves (and caches) the plan page"
        )
        page.goto(f"{base_a}/admin/pages/{page_id}/edit/")
        page.fill("textarea[name=summary]", summary)
        page.locator("footer [data-w-dropdown-target=toggle]").last.click()
        page.fill("input[name=revayat-force-reason]", "بررسی استقرار دوگرهی")
        with page.expect_navigation():
            page.locator("button[name=action-publish]").click()
        check(
            summary in fetch(base_b + plan_path)[2].decode(), "a page published through node A is fresh on B"
        )

        page.goto(f"{base_a}/admin/documents/multiple/add/")
        page.set_input_files("input[type=file]", str(upload))
        page.wait_for_selector(".upload-list form", timeout=60_000)
        context.close()
        chromium.close()
    url = shell(
        "from wagtail.documents import get_document_model as m; "
        "print(m().objects.filter(title__startswith='two-nodes').latest('pk').url)",
        env,
    )
    status, _headers, body = fetch(base_b + url)
    check(
        status == 200 and body == upload.read_bytes(), "a document uploaded through node A is read through B"
    )


def wait_for_the_queue(env, timeout=900):
    """Wait until the workers have run every queued job (the demo's media first: while one worker makes
    it, the other takes every job of check 4, and the throughput would share the cores with ffmpeg)."""
    started = time.monotonic()
    code = (
        "from django_tasks_db.compat import TaskResultStatus as S\n"
        "from django_tasks_db.models import DBTaskResult as R\n"
        "print(R.objects.filter(status__in=[S.READY, S.RUNNING]).count())"
    )
    while (waiting := int(shell(code, env))) and time.monotonic() - started < timeout:
        time.sleep(5)
    print(f"  queue empty after {time.monotonic() - started:.0f} s ({waiting} jobs left)", flush=True)
    return not waiting


def jobs_run_once(env, count, folder):
    """Check 4: `count` jobs through the database queue, two workers; each must run once."""
    log = folder / "jobs.log"
    shell(
        "from benchmarks.tasks import record_execution\n"
        f"for number in range({count}): record_execution.enqueue(number, {str(log)!r})",
        env,
    )
    deadline = time.monotonic() + 120
    lines = []
    while time.monotonic() < deadline:
        lines = log.read_text().split() if log.exists() else []
        if len(lines) // 2 >= count:
            break
        time.sleep(0.5)
    time.sleep(2)  # a duplicate would come late
    pairs = log.read_text().splitlines()
    numbers = [int(line.split()[0]) for line in pairs]
    workers = {line.split()[1] for line in pairs}
    check(sorted(numbers) == list(range(count)), f"{count} jobs, each run exactly once ({len(numbers)} runs)")
    check(len(workers) == 2, f"both workers took jobs ({len(workers)} worker processes seen)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--jobs", type=int, default=200)
    options = parser.parse_args()
    for tool in ("nginx", "wrk", "taskset", "chromium"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: bin/ensure-system-packages deploy (and test for chromium)")

    folder = Path(tempfile.mkdtemp(prefix="revayat-two-nodes-"))
    folder.chmod(0o755)  # nginx's workers (not root) read the collected static files in it
    processes = Processes(folder)
    s3 = SeaweedS3()
    try:
        print("Starting PostgreSQL database, Redis, SeaweedFS …", flush=True)
        database_url = fresh_database()
        flush_redis()
        s3.start()
        port_a, port_b, port_nginx = free_port(), free_port(), free_port()
        env = stack_environment(database_url, s3, folder, f"http://127.0.0.1:{port_nginx}")
        started = time.monotonic()
        print("migrate, load_demo, collectstatic (the workers process the demo's media) …", flush=True)
        manage("migrate", "--noinput", env=env)
        manage("createsuperuser", "--noinput", "--username", ADMIN, "--email", "root@revayat.local", env=env)
        for number in (1, 2):
            processes.start(f"worker-{number}", [sys.executable, "manage.py", "db_worker"], env)
        processes.start("relay", [sys.executable, "manage.py", "distribution_relay"], env)
        processes.start("scheduler", [sys.executable, "manage.py", "run_scheduler"], env)
        manage("load_demo", "--no-admin", env=env)
        manage("collectstatic", "--noinput", env=env)
        print(f"  stack ready in {time.monotonic() - started:.0f} s", flush=True)

        node_a = processes.start("node-a", gunicorn(port_a), env, cpu=0)
        node_b = processes.start("node-b", gunicorn(port_b), env, cpu=1)
        base_a, base_b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
        wait_for(f"{base_a}/healthz", node_a, folder / "node-a.log")
        wait_for(f"{base_b}/healthz", node_b, folder / "node-b.log")
        nodes = [f"127.0.0.1:{port_a}", f"127.0.0.1:{port_b}"]
        conf = render_nginx(folder, port_nginx, nodes, folder / "static")
        nginx = processes.start("nginx", ["nginx", "-p", str(folder), "-c", str(conf)], env)
        base = f"http://127.0.0.1:{port_nginx}"
        wait_for(f"{base}/healthz", nginx, folder / "nginx.log")

        page_id, plan_path = shell(
            "from plans.models import PlanPage; "
            "plan = PlanPage.objects.live().filter(locale__language_code='fa').first(); "
            "print(plan.pk, plan.url)",
            env,
        ).split()
        print("Checks:", flush=True)
        browser_checks(base_a, base_b, page_id, plan_path, env, folder)
        check(wait_for_the_queue(env), "the workers ran the demo's jobs (media, search, deliverables)")
        jobs_run_once(env, options.jobs, folder)
        status, _headers, body = fetch(base + plan_path)
        check(status == 200 and b'dir="rtl"' in body, "nginx serves the Persian plan page")
        css = re.search(r'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', body.decode())[1]
        status, headers, _body = fetch(base + css, {"Accept-Encoding": "gzip"})
        check(
            status == 200 and "immutable" in headers.get("Cache-Control", ""),
            "nginx serves hashed static files",
        )

        load = f"wrk -t2 -c{options.connections} -d{options.duration}s"
        errors = 0
        for label, headers in (
            ("the cached Persian plan page", ()),
            # a session cookie (a visitor who signed in once) skips the page cache: the page is rendered
            ("the plan page rendered (a session cookie skips the page cache)", ("Cookie: sessionid=none",)),
        ):
            print(f"\nThroughput of {label}, {load}:")
            one_rps, one_p99, one_errors = wrk(
                base_a + plan_path, options.duration, options.connections, headers
            )
            print(f"  one node on core 0:            {figures(one_rps, one_p99, one_errors)}")
            two_rps, two_p99, two_errors = wrk(
                base + plan_path, options.duration, options.connections, headers
            )
            print(f"  nginx, nodes on cores 0 and 1: {figures(two_rps, two_p99, two_errors)}")
            print(f"  two nodes ÷ one node: {two_rps / one_rps:.2f} (wrk and nginx share the same two cores)")
            errors += one_errors + two_errors
        check(errors == 0, "no error under load")
    finally:
        processes.stop()
        s3.stop()
        with contextlib.suppress(Exception):
            drop_database()
        print(f"\nLogs: {folder}")
    if failures:
        sys.exit(f"{len(failures)} check(s) failed: {', '.join(failures)}")
    print("All checks passed.")


if __name__ == "__main__":
    main()
