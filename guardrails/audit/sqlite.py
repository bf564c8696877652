"""The SQLite audit log (the embedded default): append-only through triggers, one successor per
record (`prev_hash` unique), appends serialised with `BEGIN IMMEDIATE` so two processes still
build one chain."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from guardrails.audit.chain import GENESIS, canonical, chain_hash
from guardrails.audit.store import AuditStore, now_iso
from guardrails.errors import AuditError

MIGRATIONS = [
    """CREATE TABLE IF NOT EXISTS audit_records (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        turn_id TEXT NOT NULL UNIQUE,
        thread_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        record TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS audit_thread ON audit_records(thread_id)",
    "CREATE INDEX IF NOT EXISTS audit_created ON audit_records(created_at)",
    # one successor per record: a fork of the chain cannot be stored
    "CREATE UNIQUE INDEX IF NOT EXISTS audit_prev_unique ON audit_records(prev_hash)",
    # append-only: the database itself refuses updates and deletes through normal SQL
    """CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit_records
       BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit_records
       BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END""",
]


class AuditLog(AuditStore):
    """SQLite-backed audit log (the embedded default). Safe to share between threads and processes."""

    backend = "sqlite"

    def __init__(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=10)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA busy_timeout=10000")
            for stmt in MIGRATIONS:
                self.conn.execute(stmt)
        except sqlite3.Error as e:
            raise AuditError(f"The audit database {path} cannot be opened ({e}); check BEACON_DATA_DIR.") from e
        self.path = path
        self._lock = threading.RLock()

    def describe(self) -> str:
        return f"sqlite {self.path}"

    def append(self, record: dict[str, object]) -> str:
        turn_id = str(record["turn_id"])
        body = canonical(record)
        with self._lock:
            try:
                # IMMEDIATE takes the write lock before reading the tail: no other process can
                # append between our read of the last hash and our insert.
                self.conn.execute("BEGIN IMMEDIATE")
                try:
                    row = self.conn.execute("SELECT hash FROM audit_records ORDER BY seq DESC LIMIT 1").fetchone()
                    prev = row[0] if row else GENESIS
                    own = chain_hash(prev, body)
                    self.conn.execute(
                        "INSERT INTO audit_records (turn_id, thread_id, created_at, record, prev_hash, hash)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        (turn_id, str(record.get("thread_id") or ""), now_iso(), body, prev, own),
                    )
                    self.conn.execute("COMMIT")
                except sqlite3.Error:
                    self.conn.execute("ROLLBACK")
                    raise
            except sqlite3.Error as e:
                raise AuditError(f"The audit record for turn {turn_id} could not be written ({e}).") from e
        return own

    def _fetch(self, sql_where: str, args: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
        sql = (
            "SELECT seq, turn_id, created_at, record, prev_hash, hash FROM audit_records"
            f" WHERE {sql_where} ORDER BY seq"
        )
        try:
            with self._lock:
                rows = self.conn.execute(sql, args).fetchall()
        except sqlite3.Error as e:
            raise AuditError(f"The audit database {self.path} cannot be read ({e}).") from e
        yield from rows

    def count(self) -> int:
        with self._lock:
            return int(self.conn.execute("SELECT COUNT(*) FROM audit_records").fetchone()[0])

    def close(self) -> None:
        self.conn.close()
