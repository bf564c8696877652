"""Per-user rate limits: a token bucket per (kind, user), kept in the database so every API worker
process and every host on it spends from the same bucket (`beacon serve --api-only --workers N`).

A bucket holds up to `per_minute` tokens and refills continuously at `per_minute / 60` a second,
so a user may burst up to a minute's allowance and then continues at the steady rate. Each take is
one short write transaction (SQLite `BEGIN IMMEDIATE`, PostgreSQL a row lock); if the database cannot be read or written the request is
refused with 503 (`UnavailableError`), never let through unmetered.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from assistant.errors import UnavailableError
from assistant.storage import schema
from assistant.storage.database import Database

_buckets = schema.rate_buckets


class RateLimiter:
    def __init__(
        self, per_minute: int, kind: str, db: Database | None = None, clock: Callable[[], float] = time.time
    ) -> None:
        from assistant.storage import open_database

        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.kind = kind
        self.clock = clock
        self.db = db if db is not None else open_database("sqlite://")  # a private in-memory bucket store

    def take(self, key: str) -> float:
        """Spend one token: 0.0 when allowed, else the seconds to wait before the next is available."""
        bucket = f"{self.kind}:{key}"
        b = _buckets.c
        try:
            with self.db.write() as conn:
                # SQLite: BEGIN IMMEDIATE; PostgreSQL: the bucket row is locked (a new bucket is
                # inserted first, so there is always a row to lock)
                conn.execute(
                    self.db.insert(_buckets)
                    .values(key=bucket, tokens=self.capacity, updated=self.clock())
                    .on_conflict_do_nothing()
                )
                now = self.clock()
                tokens, last = conn.execute(select(b.tokens, b.updated).where(b.key == bucket).with_for_update()).one()
                tokens = min(self.capacity, float(tokens) + max(0.0, now - float(last)) * self.rate)
                wait = 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.rate
                conn.execute(
                    _buckets.update()
                    .where(b.key == bucket)
                    .values(tokens=tokens - 1.0 if wait == 0.0 else tokens, updated=now)
                )
        except (SQLAlchemyError, UnavailableError) as e:
            raise UnavailableError(
                f"Beacon cannot check the request limit right now ({type(e).__name__}); try again shortly."
            ) from e
        return wait

    @staticmethod
    def retry_after(wait_s: float) -> int:
        return max(1, math.ceil(wait_s))
