"""One database for every store: a SQLAlchemy engine on SQLite or PostgreSQL, with a bounded pool.

`Database.read()` and `Database.write()` hand out a connection inside one transaction. On SQLite a
write transaction starts with `BEGIN IMMEDIATE` (the write lock is taken up front, so a
read-modify-write such as a rate-limit bucket cannot interleave with another process's); on
PostgreSQL the stores lock the rows they change (`SELECT ... FOR UPDATE`) or use one atomic upsert.
A database that cannot be reached, or does not answer within `BEACON_DATABASE_TIMEOUT_S`, raises
`UnavailableError` (one sentence, no password): callers answer fail-closed, and the next call
tries again (`pool_pre_ping` replaces dead connections, so the service resumes with no manual step).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Table, create_engine, event, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.pool import StaticPool

from assistant.errors import UnavailableError

SQLITE_BUSY_MS = 10000
"""how long a SQLite write waits for another connection's (thread's or process's) write to finish"""


def redact_url(url: str | URL) -> str:
    """The URL with its password hidden (safe for messages and logs)."""
    return make_url(str(url)).render_as_string(hide_password=True)


class Database:
    """The engine of Beacon's stores (see the module docstring)."""

    def __init__(
        self, url: str, pool_size: int = 5, max_overflow: int = 5, timeout_s: float = 5.0, echo: bool = False
    ) -> None:
        self.url = make_url(url)
        self.timeout_s = timeout_s
        self.is_postgres = self.url.get_backend_name() == "postgresql"
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        if not (self.is_postgres or self.is_sqlite):
            raise UnavailableError(
                f"BEACON_DATABASE_URL names '{self.url.get_backend_name()}'; use PostgreSQL or SQLite."
            )
        common: dict[str, Any] = {"pool_size": pool_size, "max_overflow": max_overflow, "pool_timeout": timeout_s}
        if self.is_sqlite:
            args = {"check_same_thread": False, "timeout": SQLITE_BUSY_MS / 1000}
            if self.url.database and self.url.database != ":memory:":
                Path(self.url.database).parent.mkdir(parents=True, exist_ok=True)
                self.engine = create_engine(self.url, connect_args=args, **common)
            else:  # one in-memory database: every checkout is the same connection
                self.engine = create_engine(self.url, connect_args=args, poolclass=StaticPool)
            event.listen(self.engine, "connect", _sqlite_on_connect)
            event.listen(self.engine, "begin", _sqlite_on_begin)
        else:
            ms = int(timeout_s * 1000)
            limits = (
                f"-c statement_timeout={ms * 6} -c lock_timeout={ms} -c idle_in_transaction_session_timeout={ms * 12}"
            )
            given = self.url.query.get("options")  # e.g. -csearch_path=... in the URL: kept, not replaced
            options = " ".join([*(given if isinstance(given, tuple) else [given] if given else []), limits])
            self.engine = create_engine(
                self.url,
                pool_pre_ping=True,
                pool_recycle=1800,
                connect_args={"connect_timeout": max(1, int(timeout_s)), "options": options},
                echo=echo,
                **common,
            )
        self._closed = False
        self._lock = threading.Lock()

    # connections ----------------------------------------------------------------------------
    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection in a (deferred) transaction, committed on exit."""
        with self._guard(), self.engine.begin() as conn:
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A connection in a write transaction (SQLite: BEGIN IMMEDIATE), committed on exit, rolled
        back on an error: nothing half-written."""
        with self._guard():
            conn = self.engine.connect().execution_options(beacon_immediate=True)
            try:
                with conn.begin():
                    yield conn
            finally:
                conn.close()

    @contextmanager
    def _guard(self) -> Iterator[None]:
        if self._closed:
            raise UnavailableError("Beacon's database was closed; restart the process.")
        try:
            yield
        except (OperationalError, PoolTimeout) as e:
            raise self.unavailable(e) from e
        except DBAPIError as e:
            if e.connection_invalidated:
                raise self.unavailable(e) from e
            raise

    def unavailable(self, e: BaseException) -> UnavailableError:
        detail = str(getattr(e, "orig", None) or e).strip().splitlines()
        return UnavailableError(
            f"Beacon's database ({redact_url(self.url)}) cannot be used right now "
            f"({detail[0][:160] if detail else type(e).__name__}); try again shortly."
        )

    def query(self, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """Rows of one textual statement (`:name` parameters), committed: for tests and diagnostics;
        the stores use the schema's tables."""
        with self.write() as conn:
            result = conn.execute(text(sql), params or {})
            return [tuple(r) for r in result.all()] if result.returns_rows else []

    # helpers for the stores -----------------------------------------------------------------
    def insert(self, table: Table) -> Any:
        """An INSERT with this dialect's ON CONFLICT (`on_conflict_do_nothing`, `on_conflict_do_update`)."""
        if self.is_postgres:
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            return pg_insert(table)
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table)

    def checked_out(self) -> int:
        """Connections of this process's pool in use right now (a leak shows here)."""
        checkedout = getattr(self.engine.pool, "checkedout", None)
        return int(checkedout()) if checkedout else 0

    def sqlite_path(self) -> Path | None:
        return Path(self.url.database) if self.is_sqlite and self.url.database not in (None, "", ":memory:") else None

    def checkpoint_wal(self) -> None:
        """SQLite: fold the WAL back into the file, so deleted rows leave no copy behind (erasure)."""
        if self.is_sqlite:
            with self._guard(), self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def describe(self) -> str:
        return redact_url(self.url)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self.engine.dispose()


def _sqlite_on_connect(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # SQLAlchemy's "begin" event below emits BEGIN itself
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cur.execute("PRAGMA secure_delete=ON")  # an erased row is overwritten in the file
    cur.close()


def _sqlite_on_begin(conn: Connection) -> None:
    immediate = conn.get_execution_options().get("beacon_immediate")
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def ping(db: Database) -> None:
    """One round trip; UnavailableError when the database cannot be reached."""
    with db.read() as conn:
        conn.execute(text("SELECT 1"))


__all__ = ["Database", "Engine", "ping", "redact_url"]
