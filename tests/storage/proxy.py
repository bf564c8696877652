"""A TCP forwarder between Beacon and the real PostgreSQL, so a test can take the database away
(refuse new connections and cut the open ones, as a stopped server or a lost network does) and
bring it back, without stopping the machine's PostgreSQL that other tests share."""

from __future__ import annotations

import socket
import threading


class Proxy:
    def __init__(self, target: tuple[str, int] = ("127.0.0.1", 5432)) -> None:
        self.target = target
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.listener.listen(64)
        self.up = True
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                client.close()  # refused, as by a stopped server
                continue
            try:
                server = socket.create_connection(self.target, timeout=5)
                server.settimeout(None)  # idle connections stay open, as they do without a proxy
            except OSError:
                client.close()
                continue
            for s in (client, server):  # forward each small protocol message at once, as libpq does itself
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self._open |= {client, server}
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()
            with self._lock:
                self._open -= {src, dst}

    def down(self) -> None:
        """The database goes away: new connections are refused, open ones are cut."""
        self.up = False
        with self._lock:
            conns = list(self._open)
        for s in conns:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def back(self) -> None:
        self.up = True

    def close(self) -> None:
        self.down()
        self.listener.close()
