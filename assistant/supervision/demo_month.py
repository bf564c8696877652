"""A synthetic month of audit records in which one group is deliberately treated differently, to
show the fairness report's flag. Nothing here is real data: synthetic participants (`S-` ids,
nudges.simulate), records marked `"synthetic": true`. Refused in production mode.

Behaviour model: each person has 1-6 turns on random days of the month (10% on the copilot
channel); a turn is answered 85%, refused 5%, escalated 7% (half of them hand-offs to a person),
clarified 3%; 1% of drafts are blocked by the guard. The biased group is refused `bias` more often
(taken from answers). Each person gets one nudge decision (70% sent, 20% suppressed, 10% held out);
sent nudges are acted on 18% of the time, held-out ones 8%.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from assistant.nudges.simulate import synthetic_population
from assistant.supervision.fairness import age_band

INTENTS = ["loan", "match", "vesting", "rollover", "hardship", "distributions", "catch_up", "rmd", "fees"]


def write_month(
    audit: Any,
    participants: Any,
    pseudonyms: Any,
    nudge_store: Any,
    month: dt.date,
    people: int = 300,
    seed: int = 7,
    biased_band: str = "60 and over",
    bias: float = 0.20,
) -> dict[str, int]:
    """Append the month's synthetic records; returns how many of each were written."""
    rng = random.Random(seed)
    first = month.replace(day=1)
    days = ((first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - first).days
    last = first + dt.timedelta(days=days - 1)
    population = synthetic_population(people, seed=seed, as_of=last)
    participants.upsert(population)
    written = {"turns": 0, "nudges": 0, "biased_people": 0}
    for person in population:
        key = pseudonyms.key_for(person.participant_id)
        biased = age_band(person.birth_date, last) == biased_band
        written["biased_people"] += biased
        for _ in range(rng.randint(1, 6)):
            day = first + dt.timedelta(days=rng.randrange(days))
            audit.append(_turn(rng, key, person.plan_id, day, bias if biased else 0.0))
            written["turns"] += 1
        record = _nudge(rng, key, person.plan_id, first + dt.timedelta(days=rng.randrange(days)))
        audit.append(record)
        written["nudges"] += 1
        acted_p = {"sent": 0.18, "held_out": 0.08}.get(str(record["decision"]))
        if acted_p is not None and rng.random() < acted_p and nudge_store is not None:
            nudge_store.add_outcome(record["turn_id"], "acted", last)
    return written


def _turn(rng: random.Random, key: str, plan: str, day: dt.date, extra_refusals: float) -> dict[str, Any]:
    u = rng.random()
    action, reason = "answer", None
    if u < 0.05 + extra_refusals:
        action, reason = "refuse", rng.choice(["advice", "out_of_scope"])
    elif u < 0.12 + extra_refusals:
        action, reason = "escalate", rng.choice(["human_requested", "no_source"])
    elif u < 0.15 + extra_refusals:
        action = "clarify"
    blocked = rng.random() < 0.01
    if blocked:
        action, reason = "refuse", "guard_blocked"
    when = dt.datetime(day.year, day.month, day.day, rng.randrange(8, 20), rng.randrange(60), tzinfo=dt.UTC)
    return {
        "turn_id": uuid.UUID(int=rng.getrandbits(128)).hex,
        "thread_id": uuid.UUID(int=rng.getrandbits(128)).hex,
        "synthetic": True,
        "participant_key": key,
        "plan_id": plan,
        "channel": "copilot" if rng.random() < 0.1 else "participant",
        "started_at": when.isoformat(),
        "finished_at": when.isoformat(),
        "redacted_input": "[synthetic turn]",
        "intent": rng.choice(INTENTS),
        "guard_decision": "block" if blocked else "allow",
        "guard_findings": [],
        "handoff": {"synthetic": True} if reason == "human_requested" else None,
        "final_action": action,
        "final_reason": reason,
        "final_text": "[synthetic answer]",
        "calculations": [],
        "retrieved": [],
        "citations": [],
    }


def _nudge(rng: random.Random, key: str, plan: str, day: dt.date) -> dict[str, Any]:
    u = rng.random()
    status = "sent" if u < 0.7 else "held_out" if u < 0.8 else "suppressed_cool_down"
    final = {"sent": "nudge_sent", "held_out": "nudge_held_out"}.get(status, "nudge_suppressed")
    return {
        "turn_id": f"synthetic-nudge-{uuid.UUID(int=rng.getrandbits(128)).hex}",
        "thread_id": f"nudges:{day}",
        "kind": "nudge",
        "synthetic": True,
        "participant_key": key,
        "plan_id": plan,
        "channel": "nudge:in_app",
        "started_at": dt.datetime(day.year, day.month, day.day, 6, tzinfo=dt.UTC).isoformat(),
        "intent": "nudge:missed-match",
        "nudge": {"id": "missed-match", "version": 2},
        "decision": status,
        "final_action": final,
        "final_reason": status,
        "final_text": "[synthetic nudge]" if status == "sent" else None,
    }
