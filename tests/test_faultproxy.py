"""The fault proxy does what each mode promises, against a loopback echo server (milliseconds)."""

import contextlib
import socket
import threading

import pytest

from tests.faultproxy import FaultProxy


@pytest.fixture
def echo():
    server = socket.create_server(("127.0.0.1", 0))
    received = []

    def answer(connection):
        with connection, contextlib.suppress(OSError):  # the proxy resets connections it ends
            while data := connection.recv(1024):
                received.append(data)
                connection.sendall(data)

    def serve():
        with contextlib.suppress(OSError):
            while True:
                threading.Thread(target=answer, args=(server.accept()[0],), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    yield server.getsockname(), received
    server.close()


def ask(proxy, payload=b"ping"):
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=0.5) as sock:
        sock.sendall(payload)
        return sock.recv(1024)


def test_each_mode(echo):
    address, received = echo
    with FaultProxy(address) as proxy:
        assert ask(proxy) == b"ping"
        proxy.mode = "reset_after_request"  # the server gets the request, the client never the answer
        with pytest.raises(ConnectionResetError):
            ask(proxy, b"lost answer")
        assert b"lost answer" in received
        proxy.mode = "blackhole"
        with pytest.raises(TimeoutError):
            ask(proxy, b"into the void")
        assert b"into the void" not in received
        proxy.mode = "cut"
        with pytest.raises(ConnectionResetError):
            ask(proxy)
        proxy.mode = "pass"
        assert ask(proxy, b"back") == b"back"
    with pytest.raises(ValueError):
        FaultProxy(address, mode="flaky")
