"""LangGraph checkpointers on the configured database: `PostgresSaver` (langgraph-checkpoint-postgres,
on a bounded psycopg pool) when `BEACON_DATABASE_URL` names PostgreSQL, else `SqliteSaver` on a file in
the data dir (`checkpoints.db` for conversations, `copilot.db` for suggestions awaiting an agent).

Conversation and copilot checkpoints share PostgreSQL's tables: their thread ids never collide
(copilot threads are `copilot-<turn id>`).
"""

from __future__ import annotations

import logging
import sqlite3
from typing import TYPE_CHECKING, Any, Literal

from assistant.settings import database_url, on_postgres
from assistant.storage.db import connect

if TYPE_CHECKING:
    from assistant.settings import Settings

log = logging.getLogger("beacon.storage")

Kind = Literal["conversations", "copilot"]


def libpq_url(settings: Settings) -> str:
    """BEACON_DATABASE_URL as psycopg itself takes it (no SQLAlchemy driver suffix)."""
    return database_url(settings).replace("postgresql+psycopg://", "postgresql://", 1)


def open_checkpointer(settings: Settings, kind: Kind = "conversations") -> Any:
    """The checkpointer for `kind` (see the module docstring); PostgreSQL tables are set up once,
    under an advisory lock, so hosts starting together do not race."""
    if not on_postgres(settings):
        from langgraph.checkpoint.sqlite import SqliteSaver

        return SqliteSaver(connect(settings.checkpoint_path if kind == "conversations" else settings.copilot_path))
    import psycopg
    from langgraph.checkpoint.postgres import PostgresSaver
    from psycopg.conninfo import conninfo_to_dict
    from psycopg.rows import dict_row
    from psycopg_pool import ConnectionPool

    url = libpq_url(settings)
    ms = int(settings.database_timeout_s * 1000)
    given = str(conninfo_to_dict(url).get("options") or "")  # e.g. a search_path in the URL: kept
    pool = ConnectionPool(
        url,
        min_size=1,
        max_size=settings.database_pool_size + settings.database_max_overflow,
        timeout=settings.database_timeout_s,
        kwargs={
            "autocommit": True,
            "prepare_threshold": 0,
            "row_factory": dict_row,
            "connect_timeout": max(1, int(settings.database_timeout_s)),
            "options": f"{given} -c statement_timeout={ms * 6} -c lock_timeout={ms}".strip(),
        },
        check=ConnectionPool.check_connection,  # a connection the server dropped is replaced, not used
        open=False,
        name=f"beacon-{kind}",
    )
    pool.open(wait=False)
    saver = PostgresSaver(pool)  # type: ignore[arg-type]
    with psycopg.connect(url, autocommit=True, connect_timeout=max(1, int(settings.database_timeout_s))) as conn:
        conn.execute("SELECT pg_advisory_lock(hashtext('beacon_checkpoint_setup'))")
        try:
            saver.setup()
        finally:
            conn.execute("SELECT pg_advisory_unlock(hashtext('beacon_checkpoint_setup'))")
    return saver


def close_checkpointer(saver: Any) -> None:
    conn = getattr(saver, "conn", None)
    if conn is not None and hasattr(conn, "close"):
        conn.close()


def _is_sqlite(saver: Any) -> bool:
    return isinstance(getattr(saver, "conn", None), sqlite3.Connection)


def _sql(saver: Any, sql: str, args: tuple[Any, ...] = ()) -> list[Any]:
    """Run one statement on the saver's own connection (under its lock); rows as tuples."""
    if _is_sqlite(saver):
        with saver.lock, saver.conn:
            return list(saver.conn.execute(sql.replace("%s", "?"), args).fetchall())
    with saver._cursor() as cur:
        cur.execute(sql, args)
        return [tuple(r.values()) for r in cur.fetchall()] if cur.description else []


def thread_ids(saver: Any) -> list[str]:
    """Every conversation thread with a checkpoint."""
    return [r[0] for r in _sql(saver, "SELECT DISTINCT thread_id FROM checkpoints ORDER BY thread_id")]


def delete_threads(saver: Any, ids: list[str]) -> None:
    """Delete threads with every checkpoint, write and blob (SQLite: WAL folded back in, so no copy of
    the deleted pages stays behind)."""
    for thread_id in ids:
        saver.delete_thread(thread_id)
    if ids and _is_sqlite(saver):
        with saver.lock:
            saver.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def rollback(saver: Any, thread_id: str, before: str | None) -> None:
    """Drop the checkpoints a withheld turn wrote after `before` (None: the whole thread)."""
    if before is None:
        saver.delete_thread(thread_id)
        return
    writes = "writes" if _is_sqlite(saver) else "checkpoint_writes"
    for table in ("checkpoints", writes):
        _sql(saver, f"DELETE FROM {table} WHERE thread_id = %s AND checkpoint_id > %s", (thread_id, before))
