"""The nudge batch's K/N partitions as separate processes over one database, measured for
`make bench`: the same synthetic population evaluated by N worker processes on PostgreSQL, beside
the same on SQLite. Each worker loads the roster, feed, intents and policy state from the database
and decides for its own partition (no guard, no delivery: what scales with the population).

`python -m assistant.nudges.partitions URL K/N AS_OF` is one worker; it prints one JSON line."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

PG_URL = os.environ.get("BEACON_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
PARTICIPANTS = int(os.environ.get("BEACON_BENCH_NUDGE_PARTICIPANTS", "100000"))
PARTITIONS = 4
KEY = b"bench-partition-key-" + b"k" * 32


def worker(url: str, partition: tuple[int, int], as_of: dt.date) -> dict[str, Any]:
    """One partition process: load state from the database and decide for partition k of n."""
    from assistant.nudges.engine import NudgeEngine, load_config
    from assistant.nudges.policy import partition_of
    from assistant.nudges.store import NudgeStore
    from assistant.records.participants import ParticipantStore
    from assistant.records.provisions import load_limits, load_plans
    from assistant.records.pseudonyms import Pseudonyms
    from assistant.settings import Settings
    from assistant.storage import open_database

    t0 = time.perf_counter()
    settings = Settings()
    db = open_database(url)
    plans, limits = load_plans(settings.knowledge_dir), load_limits(settings.knowledge_dir)
    config = load_config(settings.nudges_config_dir, set(plans))
    pseudonyms = Pseudonyms(db, KEY)
    people = ParticipantStore(db).all()
    keys = pseudonyms.keys_for(
        [p.participant_id for p in people if partition_of(p.participant_id, partition[1]) == partition[0]]
    )
    engine = NudgeEngine(config, plans, limits, NudgeStore(db), None, None, keys.__getitem__, Path("."))
    loaded = time.perf_counter() - t0
    t1 = time.perf_counter()
    evaluated, counts = engine.evaluate(people, as_of, partition)
    db.close()
    return {"evaluated": evaluated, "load_s": loaded, "evaluate_s": time.perf_counter() - t1, "counts": counts}


def _populate(url: str, n: int, as_of: dt.date) -> float:
    from assistant.nudges.simulate import synthetic_feed, synthetic_population
    from assistant.nudges.store import NudgeStore
    from assistant.records.participants import ParticipantStore
    from assistant.storage import open_database

    t = time.perf_counter()
    db = open_database(url)
    people = synthetic_population(n, seed=7, as_of=as_of)
    ParticipantStore(db).upsert(people)
    NudgeStore(db).add_feed_events(synthetic_feed(people, 7, as_of))
    db.close()
    return time.perf_counter() - t


def _run(url: str, partitions: int, as_of: dt.date) -> list[dict[str, Any]]:
    procs = [
        subprocess.Popen(  # noqa: S603 - this module, as a worker
            [sys.executable, "-m", "assistant.nudges.partitions", url, f"{k}/{partitions}", as_of.isoformat()],
            stdout=subprocess.PIPE,
        )
        for k in range(partitions)
    ]
    out = []
    for p in procs:
        stdout, _ = p.communicate(timeout=3600)
        if p.returncode != 0:
            raise RuntimeError(f"a partition worker failed (exit {p.returncode})")
        out.append(json.loads(stdout.decode().strip().splitlines()[-1]))
    return out


def _lines(name: str, results: list[dict[str, Any]], wall: float, n: int, setup_s: float) -> list[str]:
    lines = [
        f"  {name}: {n:,} participants loaded in {setup_s:.1f} s; {len(results)} partition processes, {wall:.1f} s wall"
    ]
    for k, r in enumerate(results):
        lines.append(
            f"    partition {k}/{len(results)}: {r['evaluated']:>7,} evaluated in {r['evaluate_s']:5.1f} s "
            f"({r['evaluated'] / max(r['evaluate_s'], 1e-9):,.0f}/s per process; state loaded in {r['load_s']:.1f} s)"
        )
    total = sum(r["evaluated"] for r in results)
    slowest = max(r["load_s"] + r["evaluate_s"] for r in results)
    lines.append(
        f"    all: {total:,} evaluated; {total / slowest:,.0f} participants/s together (state load + evaluate of the "
        f"slowest process; the wall time includes starting {len(results)} Python processes)"
    )
    return lines


def partition_benchmark(tmp: Path, n: int = PARTICIPANTS, partitions: int = PARTITIONS) -> list[str]:
    """The PostgreSQL figure (a fresh schema, dropped afterwards) beside the SQLite one."""
    as_of = dt.date(2026, 11, 23)
    lines = [f"nudge partitions: {partitions} worker processes, one database (BEACON_BENCH_NUDGE_PARTICIPANTS={n})"]
    sqlite_url = f"sqlite:///{tmp / 'bench-partitions.db'}"
    setup = _populate(sqlite_url, n, as_of)
    t = time.perf_counter()
    lines += _lines("SQLite", _run(sqlite_url, partitions, as_of), time.perf_counter() - t, n, setup)
    try:
        import psycopg

        schema = f"beacon_bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(PG_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
    except Exception as e:  # noqa: BLE001 - no server: say so, measure the rest
        lines.append(f"  PostgreSQL: skipped ({PG_URL} unreachable: {type(e).__name__})")
        return lines
    url = PG_URL.replace("postgresql://", "postgresql+psycopg://", 1) + f"?options=-csearch_path%3D{schema}"
    try:
        setup = _populate(url, n, as_of)
        t = time.perf_counter()
        lines += _lines("PostgreSQL", _run(url, partitions, as_of), time.perf_counter() - t, n, setup)
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    return lines


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    k, _, n = sys.argv[2].partition("/")
    print(json.dumps(worker(sys.argv[1], (int(k), int(n)), dt.date.fromisoformat(sys.argv[3]))))
