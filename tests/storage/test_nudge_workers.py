"""The nudge batch as K/N partition processes over one PostgreSQL database: two workers given the
same partition, and a worker killed mid-run and restarted, still make and deliver each decision
exactly once (the decision id is the idempotency key of the decision row, its deliveries and its
audit record, written together)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from assistant.nudges.service import open_engine
from assistant.nudges.simulate import synthetic_feed, synthetic_population
from tests.conftest import ROOT, make_deps
from tests.storage.conftest import create_schema, drop_schema

pytestmark = pytest.mark.slow
AS_OF = "2026-11-23"
AUDIT_KEY = "nudge-workers-audit-key-" + "k" * 32


@dataclass
class Batch:
    deps: Any
    env: dict[str, str]
    root: Path
    decisions: set[str]
    """what one undisturbed run decides (a dry run: nothing written)"""
    outbox: int
    cards: int

    def worker(self, name: str, partition: str) -> subprocess.Popen[bytes]:
        data = self.root / name
        data.mkdir(exist_ok=True)
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "assistant.surfaces.cli",
                "nudges",
                "run",
                "--as-of",
                AS_OF,
                "--partition",
                partition,
            ],
            cwd=ROOT,
            env={**os.environ, **self.env, "BEACON_DATA_DIR": str(data)},
            stdout=open(data / "worker.log", "wb"),
            stderr=subprocess.STDOUT,
        )

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return self.deps.db.query(sql)


@pytest.fixture
def batch(models, tmp_path: Path) -> Iterator[Batch]:  # type: ignore[no-untyped-def]
    import datetime as dt

    schema = f"beacon_test_{uuid.uuid4().hex[:12]}"
    url = create_schema(schema)
    try:
        deps = make_deps(tmp_path / "setup", models, ingest=False, database_url=url, audit_key=AUDIT_KEY)
        people = synthetic_population(1200, seed=11, as_of=dt.date.fromisoformat(AS_OF))
        deps.participants.upsert(people)
        engine = open_engine(deps)
        engine.store.add_feed_events(synthetic_feed(people, 11, dt.date.fromisoformat(AS_OF), share=0.3))
        dry = engine.run(deps.participants.all(), dt.date.fromisoformat(AS_OF), dry_run=True)
        made = [i for i in dry.items if i.new]
        sent = [i for i in made if i.status == "sent"]
        assert len(made) > 200, "enough decisions to stop a worker in the middle of them"
        yield Batch(
            deps,
            {"BEACON_DATABASE_URL": url, "BEACON_AUDIT_KEY": AUDIT_KEY},
            tmp_path,
            {str(i.decision_id) for i in made},
            sum(1 for i in sent for c in i.channels if c != "in_app"),
            sum(1 for i in sent if "in_app" in i.channels),
        )
        deps.audit.close()
        deps.db.close()
    finally:
        drop_schema(schema)


def _finish(*procs: subprocess.Popen[bytes], timeout: float = 900) -> None:
    for p in procs:
        assert p.wait(timeout) == 0, f"a worker failed (exit {p.returncode})"


def _exactly_once(b: Batch) -> None:
    assert {r[0] for r in b.rows("SELECT decision_id FROM decisions")} == b.decisions
    assert b.rows("SELECT COUNT(*) FROM decisions") == [(len(b.decisions),)]
    assert b.rows("SELECT COUNT(*) FROM outbox") == [(b.outbox,)]
    assert b.rows("SELECT COUNT(*) FROM in_app") == [(b.cards,)]
    nudge_records = [r for r in b.deps.audit.iter_records() if r.get("kind") == "nudge"]
    assert sorted(r["turn_id"] for r in nudge_records) == sorted(b.decisions)  # one audit record each
    assert b.deps.audit.verify().ok


def test_two_workers_on_the_same_partition_and_a_third_decide_each_nudge_once(batch: Batch) -> None:
    procs = [batch.worker("w0", "0/2"), batch.worker("w0-again", "0/2"), batch.worker("w1", "1/2")]
    _finish(*procs)
    _exactly_once(batch)


def test_a_worker_killed_mid_run_and_restarted_leaves_each_decision_once(batch: Batch) -> None:
    worker = batch.worker("w", "0/1")
    deadline = time.time() + 600
    while time.time() < deadline and worker.poll() is None:
        if batch.rows("SELECT COUNT(*) FROM decisions")[0][0] >= 20:
            break
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    written = batch.rows("SELECT COUNT(*) FROM decisions")[0][0]
    assert 20 <= written < len(batch.decisions), "killed in the middle of the run"
    _finish(batch.worker("w", "0/1"))  # the restarted worker
    _exactly_once(batch)
