"""A small TCP fault proxy for tests and the fault campaign: put it between a client and PostgreSQL, Redis,
S3 or a channel fake, then switch what the network does.

    proxy = FaultProxy(("127.0.0.1", 5432)).start()     # clients connect to proxy.port
    proxy.mode = "blackhole"    # accept and read, never answer (a firewall dropping packets, a hung server)
    proxy.mode = "cut"          # close every connection, and each new one at once (a crashed server)
    proxy.mode = "reset_after_request"  # forward the request, then reset before the answer comes back
    proxy.mode = "pass"         # forward both ways
    proxy.stop()

Faults apply to connections opened after the switch; "cut" also closes the open ones. A connection is
reset (RST, not FIN) so the client sees what a dead peer gives it. Upstream is optional in "blackhole".
"""

import contextlib
import socket
import struct
import threading

MODES = ("pass", "blackhole", "cut", "reset_after_request")


def _reset(sock):
    """Close with RST (SO_LINGER on, zero timeout). Shutting reading down first wakes a thread blocked
    in recv() on it; a bare close() would wait for that call and send nothing meanwhile."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.shutdown(socket.SHUT_RD)
    sock.close()


class FaultProxy:
    def __init__(self, upstream=None, mode="pass"):
        self.upstream, self.mode = upstream, mode
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.address = f"127.0.0.1:{self.port}"
        self.sockets, self.lock, self.stopped = set(), threading.Lock(), threading.Event()
        self.accepted = 0

    def __setattr__(self, name, value):
        if name == "mode":
            if value not in MODES:
                raise ValueError(f"Unknown mode {value!r}")
            if value == "cut" and hasattr(self, "sockets"):
                self.close_all()
        super().__setattr__(name, value)

    def start(self):
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def stop(self):
        self.stopped.set()
        _reset(self.listener)
        self.close_all()

    def close_all(self):
        with self.lock:
            sockets, self.sockets = list(self.sockets), set()
        for sock in sockets:
            _reset(sock)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def _track(self, sock):
        with self.lock:
            self.sockets.add(sock)
        return sock

    def _accept(self):
        while not self.stopped.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.accepted += 1
            threading.Thread(target=self._serve, args=(self._track(client), self.mode), daemon=True).start()

    def _serve(self, client, mode):
        if mode == "cut":
            return _reset(client)
        if mode == "blackhole":
            return self._pump(client, None)
        try:
            server = self._track(socket.create_connection(self.upstream, timeout=5))
        except OSError:
            return _reset(client)
        server.settimeout(None)
        threading.Thread(target=self._pump, args=(client, server), daemon=True).start()
        self._pump(server, client, reset_on_answer=mode == "reset_after_request")

    def _pump(self, source, target, reset_on_answer=False):
        """Copy `source` to `target` (or discard when None) until either side closes."""
        try:
            while chunk := source.recv(65536):
                if reset_on_answer:  # the request reached the server; its answer is lost
                    _reset(target)
                    return _reset(source)
                if target is not None:
                    target.sendall(chunk)
        except OSError:
            pass
        for sock in (source, target):
            if sock is not None:
                _reset(sock)
