"""The production entry point: gunicorn + settings.production + WhiteNoise, as the README runs it."""

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("production")
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "settings.production",
           "SECRET_KEY": secrets.token_urlsafe(48), "ALLOWED_HOSTS": "127.0.0.1",
           "DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3", "STATIC_ROOT": str(tmp / "static"),
           "MEDIA_ROOT": str(tmp / "media"), "SECURE_COOKIES": "0"}
    env.pop("DEBUG", None)
    for command in (["migrate", "--noinput"], ["load_demo", "--no-admin"], ["collectstatic", "--noinput"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True,
                       capture_output=True, timeout=300)
    server = subprocess.Popen([str(GUNICORN), "settings.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}"],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(60):
            if is_listening(port) and fetch(f"{base}/healthz")[0] == 200:
                break
            time.sleep(0.5)
        else:
            raise RuntimeError("gunicorn did not answer /healthz within 30 s")
        yield base, tmp
    finally:
        server.terminate()
        server.wait(timeout=20)


def is_listening(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_pages_are_served_by_gunicorn_with_production_settings(production_server):
    base, _ = production_server
    status, _headers, body = fetch(f"{base}/fa/plans/")
    assert status == 200 and b'dir="rtl"' in body
    assert fetch(f"{base}/en/")[0] == 200
    assert fetch(f"{base}/fa/no-such-page/")[0] == 404


def test_static_files_are_hashed_compressed_and_cached_forever(production_server):
    base, tmp = production_server
    collected = {p.name for p in (tmp / "static" / "css").iterdir()}
    hashed = next(name for name in collected if re.fullmatch(r"portal\.[0-9a-f]{12}\.css", name))
    assert f"{hashed}.gz" in collected
    fonts = {p.name for p in (tmp / "static" / "fonts" / "vazirmatn").iterdir()}
    assert any(name.startswith("Vazirmatn[wght].") and name.endswith(".woff2") for name in fonts)

    page = fetch(f"{base}/fa/")[2].decode()
    assert f"/static/css/{hashed}" in page  # templates link the hashed name
    request = urllib.request.Request(f"{base}/static/css/{hashed}", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        assert response.headers["Content-Encoding"] == "gzip"
        assert "immutable" in response.headers["Cache-Control"]
