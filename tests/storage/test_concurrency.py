"""Many threads (the API's thread pool) and several connections (processes, hosts) writing one
database at once lose nothing, on SQLite and PostgreSQL; a closed database refuses further use."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from assistant.errors import UnavailableError
from assistant.records.ratelimit import RateLimiter
from assistant.records.threads import ThreadStore
from assistant.records.users import LOCK_AFTER, LoginLocked, UserStore
from assistant.storage import Database


def test_threads_writing_at_once_lose_nothing(db: Database) -> None:
    store = ThreadStore(db)

    def write(n: int) -> list[str]:
        ids = []
        for _ in range(25):
            thread_id = uuid.uuid4().hex
            store.record(thread_id, uuid.uuid4().hex, f"P-{n}", "acme", "participant", f"user-{n}")
            assert store.get(thread_id) is not None
            ids.append(thread_id)
        return ids

    with ThreadPoolExecutor(8) as pool:
        written = [t for ids in pool.map(write, range(8)) for t in ids]
    assert db.query("SELECT COUNT(*) FROM thread_owners") == [(len(written),)] == [(200,)]
    assert db.query("SELECT COUNT(*) FROM thread_turns") == [(200,)]
    assert db.checked_out() == 0  # every connection went back to the pool


def test_one_bucket_under_concurrent_takes(db: Database) -> None:
    """40 takes at once from a 10-token bucket: exactly 10 are allowed (no lost update)."""
    limiter = RateLimiter(10, "turns", db, clock=lambda: 1000.0)
    with ThreadPoolExecutor(8) as pool:
        waits = list(pool.map(lambda _: limiter.take("ana"), range(40)))
    assert sum(1 for w in waits if w == 0.0) == 10


def test_failed_sign_ins_counted_at_once_lock_the_name(db: Database) -> None:
    users = UserStore(db)
    users.add("ana", "correct horse battery", "agent")
    with ThreadPoolExecutor(LOCK_AFTER) as pool:
        assert (
            list(pool.map(lambda _: users.authenticate("ana", "wrong password!", now=50.0), range(LOCK_AFTER)))
            == [None] * LOCK_AFTER
        )
    with pytest.raises(LoginLocked):
        users.authenticate("ana", "correct horse battery", now=51.0)


def test_closed_means_closed(db: Database) -> None:
    assert db.query("SELECT 1") == [(1,)]
    db.close()
    with pytest.raises(UnavailableError, match="closed"):
        db.query("SELECT 1")
