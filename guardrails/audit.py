"""The audit log: one append-only, hash-chained record per turn (SQLite).

Each row stores the record as canonical JSON, the previous row's hash and its own hash
`sha256(prev_hash + canonical_json(record))`. `verify` recomputes the whole chain and names the
first record that does not match.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from guardrails.errors import AuditError

GENESIS = "0" * 64

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
    # append-only: the database itself refuses updates and deletes through normal SQL
    """CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit_records
       BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit_records
       BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END""",
]


def canonical(record: dict[str, object]) -> str:
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def chain_hash(prev_hash: str, record_json: str) -> str:
    return hashlib.sha256((prev_hash + record_json).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    records: int
    broken_turn_id: str | None = None
    reason: str | None = None


class AuditLog:
    """SQLite-backed audit log. Safe to share between threads."""

    def __init__(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
            self.conn.execute("PRAGMA journal_mode=WAL")
            for stmt in MIGRATIONS:
                self.conn.execute(stmt)
        except sqlite3.Error as e:
            raise AuditError(f"The audit database {path} cannot be opened ({e}); check BEACON_DATA_DIR.") from e
        self.path = path
        self._lock = threading.Lock()

    def append(self, record: dict[str, object]) -> str:
        """Append one record; returns its hash."""
        turn_id = str(record["turn_id"])
        body = canonical(record)
        with self._lock:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                row = self.conn.execute("SELECT hash FROM audit_records ORDER BY seq DESC LIMIT 1").fetchone()
                prev = row[0] if row else GENESIS
                own = chain_hash(prev, body)
                self.conn.execute(
                    "INSERT INTO audit_records (turn_id, thread_id, created_at, record, prev_hash, hash)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (turn_id, str(record.get("thread_id", "")), dt.datetime.now(dt.UTC).isoformat(), body, prev, own),
                )
                self.conn.execute("COMMIT")
            except sqlite3.Error as e:
                self.conn.execute("ROLLBACK")
                raise AuditError(f"The audit record for turn {turn_id} could not be written ({e}).") from e
        return own

    def get(self, turn_id: str) -> dict[str, object] | None:
        row = self.conn.execute(
            "SELECT record, prev_hash, hash FROM audit_records WHERE turn_id = ?", (turn_id,)
        ).fetchone()
        if row is None:
            return None
        record: dict[str, object] = json.loads(row[0])
        record["_prev_hash"], record["_hash"] = row[1], row[2]
        return record

    def iter_records(self, since: str | None = None) -> Iterator[dict[str, object]]:
        sql = "SELECT record FROM audit_records"
        args: tuple[str, ...] = ()
        if since:
            sql += " WHERE created_at >= ?"
            args = (since,)
        for (body,) in self.conn.execute(sql + " ORDER BY seq", args):
            yield json.loads(body)

    def count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM audit_records").fetchone()[0])

    def verify(self) -> VerifyReport:
        prev = GENESIS
        n = 0
        for turn_id, body, prev_hash, own in self.conn.execute(
            "SELECT turn_id, record, prev_hash, hash FROM audit_records ORDER BY seq"
        ):
            n += 1
            if prev_hash != prev:
                return VerifyReport(False, n, turn_id, "its previous-hash link does not match the record before it")
            try:
                recomputed = chain_hash(prev, canonical(json.loads(body)))
            except json.JSONDecodeError:
                return VerifyReport(False, n, turn_id, "its stored record is not valid JSON")
            if recomputed != own or canonical(json.loads(body)) != body:
                return VerifyReport(False, n, turn_id, "its content does not match its hash (the record was altered)")
            prev = own
        return VerifyReport(True, n)

    def close(self) -> None:
        self.conn.close()
