"""The PostgreSQL audit backend (`BEACON_AUDIT_URL=postgresql://user@host:5432/db`).

Same table, same chain and same guarantees as the SQLite log:
- append-only in the database: row triggers refuse UPDATE and DELETE, a statement trigger
  refuses TRUNCATE (only an owner who disables the triggers can edit, and `verify` shows it);
- one chain under concurrency: each append locks the table against other writers
  (SHARE ROW EXCLUSIVE; readers are not blocked) before reading the tail, and `prev_hash` is
  UNIQUE so a fork cannot be stored even by a writer that skips the lock;
- bounded waits: connect, lock and statement timeouts turn a stuck server into an AuditError,
  which the turn turns into a fail-closed answer.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

from guardrails.audit.chain import GENESIS, canonical, chain_hash
from guardrails.audit.store import AuditStore, now_iso
from guardrails.errors import AuditConfigError, AuditError

SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

MIGRATIONS = [
    """CREATE TABLE IF NOT EXISTS audit_records (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        turn_id TEXT NOT NULL UNIQUE,
        thread_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        record TEXT NOT NULL,
        prev_hash TEXT NOT NULL UNIQUE,
        hash TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS audit_thread ON audit_records(thread_id)",
    "CREATE INDEX IF NOT EXISTS audit_created ON audit_records(created_at)",
    """CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'audit records are append-only'; END $$""",
    """CREATE OR REPLACE TRIGGER audit_no_update BEFORE UPDATE ON audit_records
       FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()""",
    """CREATE OR REPLACE TRIGGER audit_no_delete BEFORE DELETE ON audit_records
       FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()""",
    """CREATE OR REPLACE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_records
       FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()""",
]


class PostgresAuditLog(AuditStore):
    """PostgreSQL-backed audit log. One connection, shared between threads under a lock."""

    backend = "postgresql"
    _param = "%s"

    def __init__(self, url: str, schema: str | None = None, timeout_s: float = 5.0) -> None:
        if schema is not None and not SCHEMA_NAME.match(schema):
            raise AuditConfigError(
                f"BEACON_AUDIT_SCHEMA '{schema}' is not a plain PostgreSQL name; use lower-case letters, digits and _."
            )
        self._url = url
        self.schema = schema
        self.timeout_s = timeout_s
        self._lock = threading.RLock()
        self._conn: Any = None
        self._connect()

    def describe(self) -> str:
        return f"postgresql {redact_url(self._url)}" + (f" schema {self.schema}" if self.schema else "")

    def _connect(self) -> Any:
        import psycopg

        ms = int(self.timeout_s * 1000)
        try:
            conn = psycopg.connect(
                self._url,
                autocommit=True,
                connect_timeout=max(1, int(self.timeout_s)),
                options=f"-c statement_timeout={ms} -c lock_timeout={ms}",
            )
        except psycopg.ProgrammingError as e:
            raise AuditConfigError(
                f"BEACON_AUDIT_URL is not a valid PostgreSQL URL ({str(e).splitlines()[0]}); "
                "use postgresql://USER@HOST:PORT/DATABASE."
            ) from e
        except psycopg.Error as e:
            raise AuditError(
                f"The PostgreSQL audit database {redact_url(self._url)} cannot be reached "
                f"({str(e).strip().splitlines()[-1] if str(e).strip() else type(e).__name__}); "
                "check BEACON_AUDIT_URL and that the server is running."
            ) from e
        try:
            with conn.transaction():
                # one migrator at a time when several processes start together
                conn.execute("SELECT pg_advisory_xact_lock(hashtext('beacon_audit_migrations'))")
                if self.schema:
                    conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"')
                    conn.execute(f'SET search_path TO "{self.schema}"')
                for stmt in MIGRATIONS:
                    conn.execute(stmt)
            if self.schema:  # SET inside the transaction is kept after commit; make it explicit
                conn.execute(f'SET search_path TO "{self.schema}"')
        except psycopg.Error as e:
            conn.close()
            raise AuditError(
                f"The audit tables in {redact_url(self._url)} cannot be created ({str(e).strip().splitlines()[0]}); "
                "the database user needs CREATE rights on the database or schema."
            ) from e
        self._conn = conn
        return conn

    def _live(self) -> Any:
        """The connection, reopened once if the server dropped it."""
        if self._conn is None or self._conn.closed or self._conn.broken:
            self._connect()
        return self._conn

    def append(self, record: dict[str, object]) -> str:
        import psycopg

        turn_id = str(record["turn_id"])
        body = canonical(record)
        with self._lock:
            try:
                conn = self._live()
                with conn.transaction():
                    conn.execute("LOCK TABLE audit_records IN SHARE ROW EXCLUSIVE MODE")
                    row = conn.execute("SELECT hash FROM audit_records ORDER BY seq DESC LIMIT 1").fetchone()
                    prev = row[0] if row else GENESIS
                    own = chain_hash(prev, body)
                    conn.execute(
                        "INSERT INTO audit_records (turn_id, thread_id, created_at, record, prev_hash, hash)"
                        " VALUES (%s, %s, %s, %s, %s, %s)",
                        (turn_id, str(record.get("thread_id") or ""), now_iso(), body, prev, own),
                    )
            except AuditError:
                raise
            except psycopg.Error as e:
                msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
                raise AuditError(f"The audit record for turn {turn_id} could not be written ({msg}).") from e
        return own

    def _fetch(self, sql_where: str, args: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
        import psycopg

        sql = (
            "SELECT seq, turn_id, created_at, record, prev_hash, hash FROM audit_records"
            f" WHERE {sql_where} ORDER BY seq"
        )
        try:
            with self._lock:
                rows = self._live().execute(sql, args).fetchall()
        except psycopg.Error as e:
            raise AuditError(f"The audit database {redact_url(self._url)} cannot be read ({e}).") from e
        yield from rows

    def count(self) -> int:
        with self._lock:
            return int(self._live().execute("SELECT COUNT(*) FROM audit_records").fetchone()[0])

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()


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
