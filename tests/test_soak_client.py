"""The soak's load generator against a loopback HTTP server: statuses, short bodies, the split of one
schedule over client processes, and the lag check that tells the client's figures from the server's."""

import asyncio
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

import pytest

from benchmarks import soak


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.seen.append((unquote(self.path), self.headers.get("Range")))
        if self.path == "/short":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b"cut")  # the connection closes before the promised 100 bytes
            return
        status = 206 if self.headers.get("Range") else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.seen = []
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_fetch_reads_statuses_and_notices_short_bodies(server):
    host, port = server.server_address
    assert asyncio.run(soak.fetch(host, port, "/fa/search/?q=تأمین اجتماعی", {})) == 200
    assert asyncio.run(soak.fetch(host, port, "/a.mp3", {"Range": "bytes=0-1"})) == 206
    assert asyncio.run(soak.fetch(host, port, "/short", {})) == "Truncated"
    assert server.seen[:2] == [("/fa/search/?q=تأمین اجتماعی", None), ("/a.mp3", "bytes=0-1")]


FOUND = {kind: [(f"/{kind}", {})] for kind in soak.MIX}


def test_clients_share_one_schedule(server):
    """Two shares of 100/s for 1 s send the 100 arrivals once each, none before it is due. Whether
    they were sent on time depends on the machine's load, so that is `report`'s test below."""
    base = "http://{}:{}".format(*server.server_address)

    async def both():
        start = time.perf_counter() + 0.1
        shares = [soak.send_share(base, FOUND, 100, 1, start, index, 2) for index in range(2)]
        return await asyncio.gather(*shares)

    first, second = asyncio.run(both())
    assert (len(first), len(second)) == (50, 50)
    results = first + second
    assert {outcome for _kind, outcome, _lag, _latency in results} == {200}
    assert len(server.seen) == 100
    assert min(lag for _kind, _outcome, lag, _latency in results) > -0.001  # the event loop's clock


CPU = {"client": 0.1, "server": 0.1, "machine": 0.5, "wall": 1.0}


def test_a_client_behind_its_schedule_is_reported(server, capsys):
    """Arrivals due a second before the client could send them: the phase is BEHIND."""
    base = "http://{}:{}".format(*server.server_address)
    results = asyncio.run(soak.send_share(base, FOUND, 20, 1, time.perf_counter() - 1, 0, 1))
    errors, behind = soak.report("late", 20, results, CPU, 1, max_lag_ms=50)
    assert (errors, behind) == (0, True)
    assert "BEHIND" in capsys.readouterr().out


def test_the_p99_lag_decides_on_time_or_behind(capsys):
    """Lags spread up to 49 ms are on time against a 50 ms limit; two late arrivals in a hundred put
    the p99 past it."""
    on_time = [("page", 200, number * 0.00049, 0.01) for number in range(100)]
    assert soak.report("spread", 100, on_time, CPU, 2, max_lag_ms=50) == (0, False)
    behind = [("page", 200, 0.001, 0.01)] * 98 + [("page", 200, 0.5, 0.01)] * 2
    assert soak.report("two late", 100, behind, CPU, 2, max_lag_ms=50) == (0, True)
    spread, two_late = capsys.readouterr().out.split("two late")
    assert "on time" in spread and "BEHIND" not in spread
    assert "BEHIND" in two_late
