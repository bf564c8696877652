"""A synthetic population and its behaviour, to demonstrate the uplift report and to benchmark
the batch. Deterministic for a seed. Synthetic ids start with `S-`; nothing here is real data.

Behaviour model (documented so the report can be read against it): each delivered nudge with a
success measure is acted upon with a base probability; being sent the nudge (not held out) adds
the nudge's lift. Sent nudges are shown with probability 0.8 and opened with 0.35.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.nudges.feeds import FeedRow
from assistant.records.participants import LifeEvent, Participant

BASE_ACT = 0.08
LIFT = {"missed-match": 0.12, "catch-up-50": 0.07, "super-catch-up-60-63": 0.06, "salary-change": 0.03}
DEFAULT_LIFT = 0.04
SHOWN, OPENED = 0.8, 0.35
FEED_EVENTS = ("marriage", "divorce", "birth", "adoption", "termination", "salary_change", "address_change")


def _rng(seed: int, *parts: object) -> random.Random:
    digest = hashlib.sha256(":".join(str(p) for p in (seed, *parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def synthetic_population(n: int, seed: int = 7, as_of: dt.date | None = None) -> list[Participant]:
    """n participants across both demo plans, ages 21-78, at realistic decision moments."""
    as_of = as_of or dt.date(2026, 11, 23)
    rng = random.Random(seed)
    rates = [0, 1, 2, 3, 3, 4, 4, 5, 5, 6, 6, 6, 8, 10, 12, 15]
    people = []
    for i in range(n):
        plan = "acme-401k" if rng.random() < 0.6 else "cedar-403b"
        birth = as_of - dt.timedelta(days=rng.randint(21 * 365, 78 * 365))
        age = as_of.year - birth.year
        hire = max(birth + dt.timedelta(days=18 * 365), as_of - dt.timedelta(days=rng.randint(20, 35 * 365)))
        terminated = (age >= 66 and rng.random() < 0.7) or rng.random() < 0.05
        salary = 0.0 if terminated else float(rng.randrange(30000, 250001, 5000))
        deferral = 0.0 if terminated else float(rng.choice(rates))
        auto = plan == "acme-401k" and rng.random() < 0.3
        years = max(0, (as_of - hire).days // 365)
        events = []
        if rng.random() < 0.03:
            events.append(LifeEvent(type="marriage", date=as_of - dt.timedelta(days=rng.randint(1, 200))))
        people.append(
            Participant(
                participant_id=f"S-{i:06d}",
                plan_id=plan,
                first_name="Synthetic",
                birth_date=birth,
                hire_date=hire,
                employment_status="terminated" if terminated else "active",
                termination_date=as_of - dt.timedelta(days=rng.randint(1, 2000)) if terminated else None,
                annual_salary=salary,
                deferral_pct=deferral,
                prior_year_fica_wages=salary * 0.97,
                balance_employee=float(rng.randrange(0, 600000, 100)),
                balance_employer=float(rng.randrange(0, 200000, 100)),
                years_of_vesting_service=years,
                auto_enrolled=auto,
                life_events=events,
            )
        )
    return people


def synthetic_feed(people: list[Participant], seed: int, as_of: dt.date, share: float = 0.04) -> list[FeedRow]:
    rng = random.Random(seed + 1)
    rows = []
    for p in people:
        if rng.random() < share:
            rows.append(
                FeedRow(
                    participant_id=p.participant_id,
                    event=rng.choice(FEED_EVENTS),
                    effective_date=as_of - dt.timedelta(days=rng.randint(0, 25)),
                )
            )
    return rows


@dataclass
class SimResult:
    participants: int
    as_of: dt.date
    measured_on: dt.date
    sent: int = 0
    held_out: int = 0
    acted: int = 0
    files: list[str] = field(default_factory=list)
    report: str = ""

    def summary(self) -> str:
        return (
            f"simulated {self.participants} synthetic participants: run on {self.as_of}, {self.sent} nudges sent, "
            f"{self.held_out} held out; {self.acted} acted by {self.measured_on}\n{self.report}\n"
            f"report written to {', '.join(self.files)}"
        )


def simulate_behaviour(engine: Any, participants: Any, seed: int, measured_on: dt.date) -> int:
    """Shown/opened for sent nudges; profile changes for those who act (then detected as `acted`)."""
    changed: dict[str, Participant] = {}
    for d in engine.store.decisions(status=("sent", "held_out")):
        spec = engine.config.catalog.by_id[d.nudge_id]
        rng = _rng(seed, d.decision_id)
        if d.status == "sent":
            day = d.as_of + dt.timedelta(days=rng.randint(0, 3))
            if rng.random() < SHOWN:
                engine.store.add_outcome(d.decision_id, "shown", day)
                if rng.random() < OPENED:
                    engine.store.add_outcome(d.decision_id, "opened", day)
        if spec.success is None:
            continue
        p = BASE_ACT + (LIFT.get(d.nudge_id, DEFAULT_LIFT) if d.status == "sent" else 0.0)
        if rng.random() < p:
            person = changed.get(d.participant_id) or participants.get(d.participant_id)
            step = 1.0 if spec.success.direction != "decrease" else -1.0
            changed[d.participant_id] = person.model_copy(update={"deferral_pct": (person.deferral_pct or 0) + step})
    participants.upsert(list(changed.values()))
    return len(changed)


def simulate(deps: Any, engine: Any, out_dir: Path, participants: int, seed: int, as_of: dt.date) -> SimResult:
    """Population -> feed -> batch run -> behaviour -> acted detection 45 days later -> report."""
    from assistant.nudges.outcomes import detect_actions
    from assistant.nudges.report import console, uplift_rows, write_report

    people = synthetic_population(participants, seed, as_of)
    deps.participants.upsert(people)
    engine.store.add_feed_events(synthetic_feed(people, seed, as_of))
    run = engine.run(people, as_of)
    measured_on = as_of + dt.timedelta(days=45)
    simulate_behaviour(engine, deps.participants, seed, measured_on)
    acted = detect_actions(
        engine.store, engine.config.catalog, {p.participant_id: p for p in deps.participants.all()}, measured_on
    )
    rows = uplift_rows(engine.store, engine.config.catalog)
    files = write_report(rows, out_dir, f"Beacon nudges — simulated population of {participants} (synthetic data)")
    return SimResult(
        participants, as_of, measured_on, run.count("sent"), run.count("held_out"), acted.acted, files, console(rows)
    )
