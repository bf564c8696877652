"""The audit log: one append-only, hash-chained record per turn, on SQLite or PostgreSQL.

Each row stores the record as canonical JSON, the previous row's hash and its own hash
`sha256(prev_hash + canonical_json(record))`. `verify` recomputes the whole chain and names the
first record that does not match. Both backends refuse UPDATE and DELETE in the database itself
(triggers), keep `prev_hash` unique (a forked chain cannot be stored) and serialise appends
(SQLite `BEGIN IMMEDIATE`, PostgreSQL a table lock), so two processes appending at once still
build one chain. `open_audit` picks the backend from a URL (`BEACON_AUDIT_URL`).

Besides turn records the log holds privacy events (`kind`: `erasure`, `legal_hold`,
`hold_release`); every record's unique id is stored in the `turn_id` column.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guardrails.errors import AuditConfigError, AuditError

__all__ = [
    "GENESIS",
    "AuditLog",
    "AuditStore",
    "VerifyReport",
    "canonical",
    "chain_hash",
    "open_audit",
    "parse_when",
    "verify_lines",
]

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
    "CREATE INDEX IF NOT EXISTS audit_created ON audit_records(created_at)",
    # one successor per record: a fork of the chain cannot be stored
    "CREATE UNIQUE INDEX IF NOT EXISTS audit_prev_unique ON audit_records(prev_hash)",
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


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def parse_when(text: str | None, *, end: bool = False) -> str | None:
    """An ISO date or timestamp as a UTC ISO string comparable with `created_at`.

    A bare date as an `until` bound means the end of that day (exclusive next midnight).
    """
    if not text:
        return None
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            start = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
            return (start + dt.timedelta(days=1) if end else start).isoformat()
        when = dt.datetime.fromisoformat(text)
    except ValueError as e:
        raise AuditConfigError(
            f"'{text}' is not an ISO date or timestamp; use e.g. 2026-11-01 or 2026-11-01T09:30:00+00:00."
        ) from e
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).isoformat()


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    records: int
    broken_turn_id: str | None = None
    reason: str | None = None


def _check_chain(rows: Iterable[tuple[str, str, str, str]], start: str = GENESIS) -> VerifyReport:
    """Recompute the chain over (turn_id, record_json, prev_hash, hash) rows in order."""
    prev = start
    n = 0
    for turn_id, body, prev_hash, own in rows:
        n += 1
        if prev_hash != prev:
            return VerifyReport(False, n, turn_id, "its previous-hash link does not match the record before it")
        try:
            recanon = canonical(json.loads(body))
        except json.JSONDecodeError:
            return VerifyReport(False, n, turn_id, "its stored record is not valid JSON")
        if chain_hash(prev, body) != own or recanon != body:
            return VerifyReport(False, n, turn_id, "its content does not match its hash (the record was altered)")
        prev = own
    return VerifyReport(True, n)


def verify_lines(lines: Iterable[str]) -> VerifyReport:
    """Verify an unfiltered `beacon audit export` (JSON lines carrying `_prev_hash` and `_hash`)."""

    def rows() -> Iterator[tuple[str, str, str, str]]:
        for line in lines:
            if not line.strip():
                continue
            record = json.loads(line)
            prev_hash, own = record.pop("_prev_hash", ""), record.pop("_hash", "")
            record.pop("_seq", None)
            record.pop("_created_at", None)
            yield str(record.get("turn_id")), canonical(record), prev_hash, own

    return _check_chain(rows())


class AuditStore(ABC):
    """What every audit backend offers; `verify` and filtering are shared."""

    backend: str = "?"

    @abstractmethod
    def append(self, record: dict[str, object]) -> str:
        """Append one record (its `turn_id` must be new); returns its hash."""

    @abstractmethod
    def _fetch(self, sql_where: str, args: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
        """Rows (seq, turn_id, created_at, record, prev_hash, hash) matching, in chain order."""

    @abstractmethod
    def count(self) -> int: ...

    @abstractmethod
    def describe(self) -> str:
        """Where the log lives, without credentials."""

    @abstractmethod
    def close(self) -> None: ...

    _param = "?"

    def get(self, turn_id: str) -> dict[str, object] | None:
        for row in self._fetch(f"turn_id = {self._param}", (turn_id,)):
            return self._decode(row, with_hashes=True)
        return None

    @staticmethod
    def _decode(row: tuple[Any, ...], with_hashes: bool) -> dict[str, object]:
        seq, _turn_id, created_at, body, prev_hash, own = row
        record: dict[str, object] = json.loads(body)
        if with_hashes:
            record["_seq"], record["_created_at"] = int(seq), created_at
            record["_prev_hash"], record["_hash"] = prev_hash, own
        return record

    def iter_records(
        self,
        since: str | None = None,
        until: str | None = None,
        thread_id: str | None = None,
        participant_key: str | None = None,
        with_hashes: bool = False,
    ) -> Iterator[dict[str, object]]:
        """Records in chain order; `since`/`until` are ISO dates or timestamps (until a date = to its end)."""
        where, args = [], []
        p = self._param
        if (lo := parse_when(since)) is not None:
            where.append(f"created_at >= {p}")
            args.append(lo)
        if (hi := parse_when(until, end=True)) is not None:
            where.append(f"created_at {'<' if until and len(until) == 10 else '<='} {p}")
            args.append(hi)
        if thread_id:
            where.append(f"thread_id = {p}")
            args.append(thread_id)
        for row in self._fetch(" AND ".join(where) or "TRUE", tuple(args)):
            record = self._decode(row, with_hashes)
            if participant_key and record.get("participant_key") != participant_key:
                continue
            yield record

    def verify(self) -> VerifyReport:
        return _check_chain((r[1], r[3], r[4], r[5]) for r in self._fetch("TRUE", ()))


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


def redact_url(url: str) -> str:
    """scheme://host:port/db with any user name and password left out."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        host = parts.hostname or "localhost"
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "(unparseable URL)"
    return f"{parts.scheme}://{host}{port}{parts.path}"


def open_audit(url: str | None, default_path: Path, schema: str | None = None) -> AuditStore:
    """The audit store a URL names: none -> SQLite at `default_path`; `sqlite:///PATH`;
    `postgresql://user@host:port/db` (tables in `schema` when given)."""
    if not url:
        return AuditLog(default_path)
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme == "sqlite":
        if not url.startswith("sqlite:///") or len(url) <= len("sqlite:///"):
            raise AuditConfigError("BEACON_AUDIT_URL for SQLite must look like sqlite:///path/to/audit.db.")
        return AuditLog(Path(url[len("sqlite:///") :]))
    if scheme in ("postgresql", "postgres"):
        from guardrails.audit_postgres import PostgresAuditLog

        return PostgresAuditLog(url, schema=schema)
    raise AuditConfigError(
        f"BEACON_AUDIT_URL must start with postgresql:// or sqlite:///, not '{scheme or url[:12]}'; "
        "leave it unset for the embedded SQLite log in BEACON_DATA_DIR."
    )
