"""SQLite connections for Beacon's embedded stores (WAL, a busy timeout), and the per-thread
connection the stores share (`connect_shared`)."""

from __future__ import annotations

import sqlite3
import threading
import weakref
from pathlib import Path
from typing import Any, cast

BUSY_TIMEOUT_MS = 10000
"""how long a write waits for another connection's (another thread's or process's) write to finish"""


def connect(path: Path) -> sqlite3.Connection:
    """One connection, for one thread at a time (the CLI, or a user with its own lock like SqliteSaver)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return conn


class _Held:
    """A thread's connection; closed when its thread ends (the thread-local drops it) or on close()."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __del__(self) -> None:
        self.conn.close()


class PerThreadConnection:
    """A stand-in for `sqlite3.Connection` that gives every thread its own connection to one file.

    The stores (`users`, `threads`, `handoffs`, ...) are called from many threads at once (the API's
    thread pool, the graph's nodes). One `sqlite3.Connection` shared between them shares one
    transaction: one thread's commit ends another's, statements interleave ("cannot start a
    transaction within a transaction", "database is locked" that never clears). With a connection
    per thread, SQLite's own locking (WAL, busy timeout) serialises writers between threads and
    between server processes alike.
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._local = threading.local()
        self._held: weakref.WeakSet[_Held] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._closed = False

    def _conn(self) -> sqlite3.Connection:
        if self._closed:
            raise sqlite3.ProgrammingError("Cannot operate on a closed database.")
        held = getattr(self._local, "held", None)
        if held is None:
            held = _Held(connect(self.path))
            self._local.held = held
            with self._lock:
                self._held.add(held)
        return held.conn

    def __getattr__(self, name: str) -> Any:  # execute, executemany, commit, rollback, cursor, ...
        return getattr(self._conn(), name)

    def __enter__(self) -> sqlite3.Connection:
        return self._conn().__enter__()

    def __exit__(self, *exc: Any) -> Any:
        return self._conn().__exit__(*exc)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for held in list(self._held):
                held.conn.close()


def connect_shared(path: Path) -> sqlite3.Connection:
    """The connection the stores share: per thread underneath (see `PerThreadConnection`)."""
    return cast(sqlite3.Connection, PerThreadConnection(path))
