"""The nudge section of `make bench`: 100,000 synthetic participants evaluated in hash partitions
(as several workers would share them), and delivery through the output guard and the audit log
measured on a slice. Runs in the benchmark's temporary data dir."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from assistant.nudges.engine import NudgeEngine, load_config
from assistant.nudges.simulate import synthetic_feed, synthetic_population
from assistant.nudges.store import NudgeStore

PARTICIPANTS = 100_000
PARTITIONS = 4
BUDGET_S = 60.0
DELIVERY_SLICE = 2_000
AS_OF = dt.date(2026, 11, 23)


def nudges_benchmark(deps: Any, data_dir: Path) -> list[str]:
    config = load_config(deps.settings.nudges_config_dir, set(deps.plans))
    t = time.perf_counter()
    people = synthetic_population(PARTICIPANTS, seed=7, as_of=AS_OF)
    gen_s = time.perf_counter() - t
    from assistant.storage import open_database

    store = NudgeStore(open_database(data_dir / "bench-nudges.db"))
    store.add_feed_events(synthetic_feed(people, 7, AS_OF))
    engine = NudgeEngine(
        config, deps.plans, deps.limits, store, deps.guard, deps.audit, deps.pseudonym, data_dir / "outbox"
    )
    lines = [
        f"nudges: {PARTICIPANTS:,} synthetic participants (generated in {gen_s:.1f} s), {PARTITIONS} hash partitions"
    ]
    total = 0.0
    counts: dict[str, int] = {}
    for k in range(PARTITIONS):
        t = time.perf_counter()
        n, c = engine.evaluate(people, AS_OF, (k, PARTITIONS))
        s = time.perf_counter() - t
        total += s
        for key, v in c.items():
            counts[key] = counts.get(key, 0) + v
        lines.append(f"  partition {k}/{PARTITIONS}: {n:>7,} evaluated in {s:5.1f} s")
    lines.append(
        f"  evaluate all: {total:.1f} s ({PARTICIPANTS / total:,.0f} participants/s); decisions: "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items()))
    )
    t = time.perf_counter()
    run = engine.run(people[:DELIVERY_SLICE], AS_OF)
    s = time.perf_counter() - t
    decided = sum(1 for i in run.items if i.new)
    lines.append(
        f"  deliver (guard + audit + outbox) for {DELIVERY_SLICE:,} participants: {run.count('sent')} sent, "
        f"{decided} decisions audited, {run.guard_calls} texts guarded (cached by exact text) in {s:.1f} s "
        f"({s / max(decided, 1) * 1000:.1f} ms per decision)"
    )
    lines.append(
        f"  budget: evaluate {PARTICIPANTS:,} <= {BUDGET_S:.0f} s: {total:.1f} s {'ok' if total <= BUDGET_S else 'OVER'}"
        f"; a first run that delivers to all would add ~{s / max(decided, 1) * sum(counts.values()):.0f} s of guarding"
    )
    from assistant.nudges.partitions import partition_benchmark

    lines += partition_benchmark(data_dir)
    return lines
