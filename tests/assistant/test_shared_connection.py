"""The stores' shared SQLite connection is one connection per thread underneath: many threads
writing at once (the API's thread pool) neither share a transaction nor lose a write."""

from __future__ import annotations

import sqlite3
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from assistant.records.threads import ThreadStore
from assistant.storage.db import connect_shared


def test_threads_writing_at_once_lose_nothing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = connect_shared(tmp_path / "beacon.db")
    store = ThreadStore(db)

    def write(n: int) -> list[str]:
        ids = []
        for _ in range(40):
            thread_id = uuid.uuid4().hex
            store.record(thread_id, uuid.uuid4().hex, f"P-{n}", "acme", "participant", f"user-{n}")
            assert store.get(thread_id) is not None
            ids.append(thread_id)
        return ids

    with ThreadPoolExecutor(8) as pool:
        written = [t for ids in pool.map(write, range(8)) for t in ids]
    (count,) = db.execute("SELECT COUNT(*) FROM thread_owners").fetchone()
    assert count == len(written) == 320
    assert db.execute("SELECT COUNT(*) FROM thread_turns").fetchone() == (320,)


def test_a_transaction_belongs_to_its_thread(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = connect_shared(tmp_path / "beacon.db")
    db.execute("CREATE TABLE t (x INTEGER)")
    db.commit()
    db.execute("INSERT INTO t VALUES (1)")  # left open in this thread
    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(lambda: db.in_transaction).result() is False  # another thread is not inside it
    db.rollback()
    assert db.execute("SELECT COUNT(*) FROM t").fetchone() == (0,)


def test_closed_means_closed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = connect_shared(tmp_path / "beacon.db")
    db.execute("SELECT 1")
    db.close()
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        db.execute("SELECT 1")
