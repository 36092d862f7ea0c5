"""The demo site served by a real server process on 127.0.0.1, as a person would run it.

Used by the browser tests (runserver, settings.dev), the production integration test and the
benchmarks (gunicorn with 2 workers, settings.production, WhiteNoise).
"""

import atexit
import fcntl
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class ServerError(RuntimeError):
    """The demo site could not be built or did not start; the message carries the output."""


def free_port():
    """A TCP port that is free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(*args, env):
    """Run a manage.py command quietly; raise ServerError with its output if it fails."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode:
        raise ServerError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


def start_command(env, *command):
    """Start a long-running manage.py command (worker, relay, scheduler) quietly, in a process group of its
    own so that a test can stop or kill it with everything it started."""
    return subprocess.Popen(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_for(url, server, log_path, timeout=60):
    """Poll `url` until it answers 200; raise ServerError with the server's log otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise ServerError(
        f"The server did not answer {url} within {timeout} s (exit code "
        f"{server.poll()}). Its log:\n{Path(log_path).read_text()}"
    )


BUILD_FOLDER_VARIABLE = "REVAYAT_DEMO_BUILD"  # set by tests/conftest.py: one build per test run


@contextmanager
def locked(folder):
    """Hold an exclusive lock on `folder` (the run's processes, pytest-xdist workers, build it once)."""
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def build_folder():
    """The folder this run's demo builds go to: shared by the run's processes, else one per process."""
    shared = os.environ.get(BUILD_FOLDER_VARIABLE)
    if shared:
        return Path(shared)
    if not _own_folder:
        _own_folder.append(tempfile.mkdtemp(prefix="revayat-demo-build-"))
        atexit.register(shutil.rmtree, _own_folder[0], ignore_errors=True)
    return Path(_own_folder[0])


_own_folder = []


def build_demo(database_url, folder):
    """Migrate the database at `database_url` and load the demo into it, its media into `folder/media`,
    with the test settings (tasks run at once, so search index and media outputs are complete)."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(folder / "media"),
        "DJANGO_SETTINGS_MODULE": "settings.test",
    }
    manage("migrate", "--noinput", env=env)
    manage("load_demo", "--no-admin", env=env)


def built_demo():
    """A folder holding a migrated demo database (`demo.sqlite3`) and its media, built once per test run
    (`migrate` and `load_demo` take most of a minute): every test database and every served site starts
    from a copy of it."""
    folder = build_folder() / "sqlite"
    folder.mkdir(parents=True, exist_ok=True)
    with locked(folder):
        if not (folder / "demo.sqlite3").exists():
            build_demo(f"sqlite:///{folder}/building.sqlite3", folder)
            (folder / "building.sqlite3").rename(folder / "demo.sqlite3")
    return folder


def postgres_demo_folder(template_name):
    """The folder (with its lock) for this run's PostgreSQL demo template `template_name` and its media."""
    folder = build_folder() / f"postgres-{template_name}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextmanager
def demo_copy():
    """A fresh copy of the built demo (database and media) in a temporary folder; yields (env, folder)
    where env points manage.py commands at the copy."""
    with tempfile.TemporaryDirectory(prefix="revayat-demo-") as tmp:
        source = built_demo()
        shutil.copy(source / "demo.sqlite3", tmp)
        if (source / "media").exists():
            shutil.copytree(source / "media", Path(tmp, "media"))
        yield (
            {
                **os.environ,
                "DATABASE_URL": f"sqlite:///{tmp}/demo.sqlite3",
                "MEDIA_ROOT": f"{tmp}/media",
                "STATIC_ROOT": f"{tmp}/static",
            },
            Path(tmp),
        )


@contextmanager
def demo_site(production=False, environment=None):
    """Serve a fresh copy of the demo site from a temporary folder, with `environment` added to the
    server's; yields (base URL, folder)."""
    with demo_copy() as (env, tmp):
        env.update(environment or {})
        port = free_port()
        if production:
            env.pop("DEBUG", None)
            env.update(
                DJANGO_SETTINGS_MODULE="settings.production",
                SECRET_KEY=secrets.token_urlsafe(48),
                ALLOWED_HOSTS="127.0.0.1",
                SECURE_COOKIES="0",
                SERVE_MEDIA="1",
            )
            command = [
                str(Path(sys.executable).with_name("gunicorn")),
                "settings.wsgi",
                "-w",
                "2",
                "-b",
                f"127.0.0.1:{port}",
            ]
        else:
            env.update(DJANGO_SETTINGS_MODULE="settings.dev", DEBUG="1")
            command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
        if production:
            manage("collectstatic", "--noinput", env=env)
        log_path = Path(tmp, "server.log")
        with log_path.open("w") as log:
            server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(f"{base}/healthz", server, log_path)
            yield base, Path(tmp)
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
