"""Per-user rate limits: a token bucket per (kind, user), kept in SQLite so every API worker process
on the same data dir spends from the same bucket (`beacon serve --api-only --workers N`).

A bucket holds up to `per_minute` tokens and refills continuously at `per_minute / 60` a second,
so a user may burst up to a minute's allowance and then continues at the steady rate. Each take is
one short `BEGIN IMMEDIATE` transaction; if the database cannot be read or written the request is
refused with 503 (`UnavailableError`), never let through unmetered.
"""

from __future__ import annotations

import math
import sqlite3
import threading
import time
from collections.abc import Callable

from assistant.errors import UnavailableError

SCHEMA = "CREATE TABLE IF NOT EXISTS rate_buckets (key TEXT PRIMARY KEY, tokens REAL NOT NULL, updated REAL NOT NULL)"


def database_file(conn: sqlite3.Connection) -> str:
    """The file behind a connection (":memory:" for an in-memory one), to open a connection of our own."""
    row = conn.execute("PRAGMA database_list").fetchone()
    return str(row[2]) if row and row[2] else ":memory:"


class RateLimiter:
    def __init__(
        self, per_minute: int, kind: str, database: str = ":memory:", clock: Callable[[], float] = time.time
    ) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.kind = kind
        self.clock = clock
        # a connection of its own: the transaction must not interleave with other stores' statements
        self._conn = sqlite3.connect(database, check_same_thread=False, isolation_level=None, timeout=5)
        if database != ":memory:":
            self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute(SCHEMA)
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Spend one token: 0.0 when allowed, else the seconds to wait before the next is available."""
        bucket = f"{self.kind}:{key}"
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    now = self.clock()
                    row = self._conn.execute(
                        "SELECT tokens, updated FROM rate_buckets WHERE key = ?", (bucket,)
                    ).fetchone()
                    tokens, last = (float(row[0]), float(row[1])) if row else (self.capacity, now)
                    tokens = min(self.capacity, tokens + max(0.0, now - last) * self.rate)
                    wait = 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.rate
                    self._conn.execute(
                        "INSERT INTO rate_buckets (key, tokens, updated) VALUES (?, ?, ?) ON CONFLICT(key) "
                        "DO UPDATE SET tokens = excluded.tokens, updated = excluded.updated",
                        (bucket, tokens - 1.0 if wait == 0.0 else tokens, now),
                    )
                    self._conn.execute("COMMIT")
                except BaseException:
                    self._conn.execute("ROLLBACK")
                    raise
            except sqlite3.Error as e:
                raise UnavailableError(
                    f"Beacon cannot check the request limit right now ({type(e).__name__}); try again shortly."
                ) from e
        return wait

    @staticmethod
    def retry_after(wait_s: float) -> int:
        return max(1, math.ceil(wait_s))
