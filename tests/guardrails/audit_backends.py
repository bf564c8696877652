"""The audit backends under test: embedded SQLite and the machine's real PostgreSQL.

Each PostgreSQL store lives in its own uniquely named schema of the `test` database, dropped
when the test ends, so runs never collide. `BEACON_TEST_POSTGRES_URL` points elsewhere; the
PostgreSQL leg is skipped (with the reason) only when the server cannot be reached.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from guardrails.audit import AuditStore, open_audit

PG_URL = os.environ.get("BEACON_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite", "postgresql"]


def postgres_or_skip() -> str:
    try:
        import psycopg
    except ImportError as e:
        pytest.skip(f"psycopg is not installed ({e}); run make install")
    try:
        psycopg.connect(PG_URL, connect_timeout=3).close()
    except psycopg.Error as e:
        pytest.skip(f"PostgreSQL at {PG_URL} is unreachable ({str(e).strip().splitlines()[-1]})")
    return PG_URL


@dataclass
class Backend:
    """One empty audit store, reopenable (each `open()` is a new connection), and a way to
    edit it the way its owner could: with the append-only triggers switched off."""

    name: str
    url: str
    schema: str | None

    def open(self) -> AuditStore:
        return open_audit(self.url, Path("/nonexistent"), schema=self.schema)

    def tamper(self, sql: str) -> None:
        if self.name == "sqlite":
            conn = sqlite3.connect(self.url.removeprefix("sqlite:///"))
            conn.execute("DROP TRIGGER audit_no_update")
            conn.execute("DROP TRIGGER audit_no_delete")
            conn.execute(sql)
            conn.commit()
            conn.close()
            return
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'SET search_path TO "{self.schema}"')
            conn.execute("ALTER TABLE audit_records DISABLE TRIGGER USER")
            conn.execute(sql)
            conn.execute("ALTER TABLE audit_records ENABLE TRIGGER USER")


def drop_schema(url: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
