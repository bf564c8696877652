"""The store conformance fixtures: every store test runs on SQLite and on the machine's real
PostgreSQL (127.0.0.1:5432, database `test`), each test in a fresh schema that is dropped after it.
The PostgreSQL leg skips with the reason only when the server cannot be reached."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.storage import Database, open_database

PG_URL = os.environ.get("BEACON_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite", "postgresql"]


def postgres_or_skip() -> str:
    import psycopg

    try:
        psycopg.connect(PG_URL, connect_timeout=3).close()
    except psycopg.Error as e:
        pytest.skip(f"PostgreSQL at {PG_URL} is unreachable ({str(e).strip().splitlines()[-1]})")
    return PG_URL


def schema_url(schema: str) -> str:
    """PG_URL with every unqualified name in `schema` (its own tables, alembic_version included)."""
    return f"{PG_URL}?options=-csearch_path%3D{schema}"


def create_schema(schema: str) -> str:
    import psycopg

    with psycopg.connect(postgres_or_skip(), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    return schema_url(schema)


def drop_schema(schema: str) -> None:
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A fresh PostgreSQL schema (URL selecting it), dropped after the test."""
    schema = f"beacon_test_{uuid.uuid4().hex[:12]}"
    url = create_schema(schema)
    try:
        yield url
    finally:
        drop_schema(schema)


def open_backend(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Database:
    if backend == "sqlite":
        return open_database(tmp_path / "beacon.db")
    schema = f"beacon_test_{uuid.uuid4().hex[:12]}"
    url = create_schema(schema)
    request.addfinalizer(lambda: drop_schema(schema))
    return open_database(url.replace("postgresql://", "postgresql+psycopg://", 1))


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An empty Beacon database at the newest schema, on each backend."""
    database = open_backend(request.param, tmp_path, request)
    try:
        yield database
    finally:
        database.close()
