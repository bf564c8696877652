"""Beacon with BEACON_DATABASE_URL on the real PostgreSQL: every store, the conversation checkpoints
(PostgresSaver) and the audit log live there and the data dir holds no SQLite store; when the
database goes away turns fail closed with the "can't answer right now" reply and nothing
half-written; when it comes back the service resumes with no manual step; the pools do not leak."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.services.turn_service import TurnService
from tests.conftest import make_deps
from tests.storage.conftest import PG_URL, create_schema, drop_schema
from tests.storage.proxy import Proxy

BEACON_FILES = ("beacon.db", "checkpoints.db", "audit.db", "nudges.db", "copilot.db", "chat_history.db")


class PgBeacon:
    def __init__(self, deps: Any, proxy: Proxy, schema: str, app: str) -> None:
        self.deps, self.proxy, self.schema, self.app = deps, proxy, schema, app
        self.service = TurnService(deps)

    def count(self, sql: str) -> int:
        """Straight from the server (not through Beacon or the proxy)."""
        import psycopg

        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'SET search_path TO "{self.schema}"')
            return int(conn.execute(sql).fetchone()[0])  # type: ignore[index]


@pytest.fixture
def pg_beacon(models, tmp_path: Path) -> Iterator[PgBeacon]:  # type: ignore[no-untyped-def]
    schema = f"beacon_test_{uuid.uuid4().hex[:12]}"
    create_schema(schema)
    proxy = Proxy()
    app = f"beacon-test-{uuid.uuid4().hex[:8]}"
    url = f"postgresql://postgres@127.0.0.1:{proxy.port}/test?application_name={app}&options=-csearch_path%3D{schema}"
    deps = make_deps(tmp_path / "data", models, database_url=url, database_timeout_s=2.0, guard_timeout_s=60)
    beacon = PgBeacon(deps, proxy, schema, app)
    try:
        yield beacon
    finally:
        from assistant.storage.checkpoints import close_checkpointer

        close_checkpointer(beacon.service.checkpointer)
        deps.audit.close()
        deps.db.close()
        proxy.close()
        drop_schema(schema)


def test_every_store_and_the_conversation_live_in_postgresql(pg_beacon: PgBeacon) -> None:
    svc = pg_beacon.service
    first = svc.run("How much can I borrow from my 401k?", participant="A-1002")
    follow = svc.run("and how many can I have?", participant="A-1002", thread_id=first.thread_id)
    assert first.action == follow.action == "answer"
    assert follow.thread_id == first.thread_id and "loan" in follow.answer.lower()  # the follow-up resolved
    assert len(svc.thread_state(first.thread_id)["history"]) == 4
    assert pg_beacon.count("SELECT COUNT(DISTINCT thread_id) FROM checkpoints") == 1  # PostgresSaver
    assert pg_beacon.count("SELECT COUNT(*) FROM thread_turns") == 2
    assert pg_beacon.count("SELECT COUNT(*) FROM audit_records") == 2 and pg_beacon.deps.audit.verify().ok
    assert pg_beacon.count("SELECT COUNT(*) FROM participants") == 15
    data = pg_beacon.deps.settings.data_dir
    assert [f for f in BEACON_FILES if (data / f).exists()] == []  # no SQLite store in the data dir


def test_postgresql_down_fails_closed_writes_nothing_and_resumes_by_itself(pg_beacon: PgBeacon) -> None:
    svc, deps = pg_beacon.service, pg_beacon.deps
    first = svc.run("What's the loan fee?", participant="A-1002")
    assert first.action == "answer"
    before = {
        t: pg_beacon.count(f"SELECT COUNT(*) FROM {t}")
        for t in ("checkpoints", "checkpoint_writes", "thread_turns", "thread_owners", "audit_records")
    }

    pg_beacon.proxy.down()
    new = svc.run("How much can I borrow?", participant="A-1002")
    cont = svc.run("and how many loans can I have?", participant="A-1002", thread_id=first.thread_id)
    blocks = deps.drafter.blocks
    for out in (new, cont):
        assert out.action == "escalate" and out.reason == "unavailable"
        assert out.answer.startswith(blocks.get("unavailable")) and "$" not in out.answer
    assert deps.spool is not None and deps.spool.pending() == 2  # their audit records wait on local disk
    after = {t: pg_beacon.count(f"SELECT COUNT(*) FROM {t}") for t in before}
    assert after == before  # nothing half-written

    pg_beacon.proxy.back()  # no restart, no command
    again = svc.run("and how many loans can I have?", participant="A-1002", thread_id=first.thread_id)
    assert again.action == "answer" and again.thread_id == first.thread_id
    assert deps.spool.pending() == 0  # the spooled records were written once the store took a turn's record
    assert deps.audit.get(new.turn_id) is not None and deps.audit.verify().ok


@pytest.mark.slow
def test_no_connection_leak_over_1000_turns(pg_beacon: PgBeacon) -> None:
    svc, deps = pg_beacon.service, pg_beacon.deps
    settings = deps.settings
    limit = 2 * (settings.database_pool_size + settings.database_max_overflow) + 2  # stores + checkpoints + audit
    thread = None
    for i in range(1000):
        out = svc.run("What's the loan fee?" if i % 2 else "Am I vested?", participant="A-1002", thread_id=thread)
        assert out.action == "answer", (i, out.reason)
        thread = None if i % 10 == 9 else out.thread_id  # threads of ten turns
    assert deps.db.checked_out() == 0  # every store connection went back to the pool
    open_now = pg_beacon.count(f"SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = '{pg_beacon.app}'")
    assert 1 <= open_now <= limit
    assert pg_beacon.count("SELECT COUNT(*) FROM audit_records") == 1000
