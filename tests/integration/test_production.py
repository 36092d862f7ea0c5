"""The production entry point: gunicorn + settings.production + WhiteNoise, as the README runs it."""

import re
import urllib.error
import urllib.request

import pytest

from tests.demo_server import demo_site

pytestmark = pytest.mark.demo_copy  # its own SQLite demo copy: run once, not per database


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def production_server():
    """The demo site under gunicorn -w 2 with settings.production."""
    with demo_site(production=True) as (base, folder):
        yield base, folder


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
