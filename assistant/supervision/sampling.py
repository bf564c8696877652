"""The day's review sample, drawn from the audit records of that day's conversation turns.

1. Every turn that was blocked by the guard, escalated, or flagged for review (e.g. conflicting
   plan documents) is always in the sample, with why.
2. Of the rest, `ceil(rate x n)` are drawn at random, weighted by topic and channel
   (Efraimidis-Spirakis: each turn gets the key `u ** (1 / weight)`, `u` from a seeded generator,
   the largest keys win), then topped up to `min_per_channel` per channel from the same keys.

The draw depends only on the records and the seed: turns are visited in turn-id order, so
re-running it with the seed recorded in the sample's audit record gives the same turns.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from assistant.supervision.policy import SupervisionPolicy


@dataclass(frozen=True)
class SampleItem:
    turn_id: str
    channel: str
    intent: str | None
    why: str
    """blocked | escalated | flagged:<reason> | sampled"""
    weight: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def is_turn(record: dict[str, Any]) -> bool:
    """A conversation turn (not a nudge, review, access or privacy event)."""
    return record.get("kind", "turn") == "turn"


def must_review(record: dict[str, Any]) -> str | None:
    """Why a turn is always reviewed, or None."""
    if record.get("guard_decision") == "block" or record.get("final_reason") == "guard_blocked":
        return "blocked"
    if record.get("final_action") == "escalate":
        return "escalated"
    flag = record.get("review")
    if flag:
        return f"flagged:{flag.get('reason') if isinstance(flag, dict) else flag}"
    return None


def draw(records: Iterable[dict[str, Any]], policy: SupervisionPolicy, seed: int) -> list[SampleItem]:
    """The sample of these turn records (call with one day's turns)."""
    turns = sorted((r for r in records if is_turn(r)), key=lambda r: str(r["turn_id"]))
    items: list[SampleItem] = []
    rest: list[tuple[float, dict[str, Any], float]] = []
    rng = random.Random(seed)
    for r in turns:
        channel, intent = str(r.get("channel") or "participant"), r.get("intent") or None
        weight = policy.weight(intent, channel)
        u = rng.random()  # drawn for every turn, so a turn's key does not depend on the others' fate
        why = must_review(r)
        if why is not None:
            items.append(SampleItem(str(r["turn_id"]), channel, intent, why, weight))
        else:
            rest.append((u ** (1.0 / weight), r, weight))
    rest.sort(key=lambda k: (-k[0], str(k[1]["turn_id"])))
    wanted = math.ceil(policy.rate * len(rest)) if rest else 0
    chosen = {str(r["turn_id"]) for _, r, _ in rest[:wanted]}
    by_channel: dict[str, int] = {}
    for _, r, _ in rest:
        if str(r["turn_id"]) in chosen:
            ch = str(r.get("channel") or "participant")
            by_channel[ch] = by_channel.get(ch, 0) + 1
    for _, r, _ in rest:  # top up each channel to its minimum, in key order
        ch = str(r.get("channel") or "participant")
        if str(r["turn_id"]) not in chosen and by_channel.get(ch, 0) < policy.min_per_channel:
            chosen.add(str(r["turn_id"]))
            by_channel[ch] = by_channel.get(ch, 0) + 1
    for _, r, w in rest:
        if str(r["turn_id"]) in chosen:
            items.append(
                SampleItem(str(r["turn_id"]), str(r.get("channel") or "participant"), r.get("intent"), "sampled", w)
            )
    return items


def population(records: Iterable[dict[str, Any]]) -> dict[str, int]:
    """Turns per channel (what the sample was drawn from)."""
    out: dict[str, int] = {}
    for r in records:
        if is_turn(r):
            ch = str(r.get("channel") or "participant")
            out[ch] = out.get(ch, 0) + 1
    return dict(sorted(out.items()))
