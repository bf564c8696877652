"""The fairness report's figures: how Beacon treated groups of people over a period, from the
audit records alone (plus the nudge store's outcomes for uplift).

Groups come only from what the roster itself carries (age band from the date of birth, plan,
employment status, marital status, automatic enrollment) and from each turn's channel; nothing is
ever inferred (not from names, not from text). A record whose participant key maps to no roster
row (a general question, an erased person) is counted under "(not on roster)" and never flagged.

For every group and measure: the count `k` of `n`, the rate and its Wilson 95% interval. A group is
flagged when its rate differs from everyone else's in the same attribute by more than the policy's
`fairness_threshold` *and* the two Wilson intervals do not overlap (so small groups are not
flagged on noise), with at least `MIN_N` records.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

Z95 = 1.959963984540054
MIN_N = 20
UNKNOWN = "(not on roster)"
ATTRIBUTES = ("age_band", "plan", "channel", "employment_status", "marital_status", "auto_enrolled")


def _handoff(r: dict[str, Any]) -> bool:
    return bool(r.get("handoff")) or r.get("final_reason") == "human_requested"


TURN_MEASURES: dict[str, Callable[[dict[str, Any]], bool]] = {
    "answer": lambda r: r.get("final_action") == "answer",
    "refuse": lambda r: r.get("final_action") == "refuse",
    "escalate": lambda r: r.get("final_action") == "escalate",
    "hand_off": _handoff,
    "guard_block": lambda r: r.get("guard_decision") == "block",
}
"""measures over conversation turns (denominator: the group's turns)"""
NUDGE_MEASURES: dict[str, Callable[[dict[str, Any]], bool]] = {
    "nudge_sent": lambda r: r.get("decision") == "sent",
    "nudge_suppressed": lambda r: r.get("final_action") == "nudge_suppressed",
}
"""measures over nudge decisions (denominator: the group's nudge decisions)"""


def wilson(k: int, n: int) -> tuple[float, float]:
    if n == 0:
        return (0.0, 1.0)
    p, z2 = k / n, Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def age_band(birth: dt.date | None, on: dt.date) -> str:
    if birth is None:
        return "(no birth date)"
    age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    for top, label in ((30, "under 30"), (40, "30-39"), (50, "40-49"), (60, "50-59")):
        if age < top:
            return label
    return "60 and over"


AGE_BANDS = ["under 30", "30-39", "40-49", "50-59", "60 and over", "(no birth date)"]


def group_order(group: str) -> tuple[int, str]:
    """Age bands youngest first, everything else alphabetically."""
    return (AGE_BANDS.index(group), "") if group in AGE_BANDS else (len(AGE_BANDS), group)


def attributes_of(person: Any, on: dt.date) -> dict[str, str]:
    """The roster's own attributes (never inferred)."""
    if person is None:
        return {a: UNKNOWN for a in ATTRIBUTES if a != "channel"}
    return {
        "age_band": age_band(person.birth_date, on),
        "plan": person.plan_id,
        "employment_status": person.employment_status,
        "marital_status": person.marital_status or "(not given)",
        "auto_enrolled": "yes" if person.auto_enrolled else "no",
    }


@dataclass
class Cell:
    attribute: str
    group: str
    measure: str
    k: int
    n: int

    @property
    def rate(self) -> float:
        return self.k / self.n if self.n else 0.0

    def to_dict(self) -> dict[str, Any]:
        lo, hi = wilson(self.k, self.n)
        return {"attribute": self.attribute, "group": self.group, "measure": self.measure, "k": self.k, "n": self.n,
                "rate": round(self.rate, 6), "ci95": [round(lo, 6), round(hi, 6)]}  # fmt: skip


def _is_turn(r: dict[str, Any]) -> bool:
    return r.get("kind", "turn") == "turn"


def compute(
    records: Iterable[dict[str, Any]],
    roster: dict[str, Any],
    start: dt.date,
    end: dt.date,
    threshold: float,
    acted: dict[str, set[str]] | None = None,
) -> dict[str, Any]:
    """Every cell, the uplift by group and the flags, for records that started on days start..end."""
    lo, hi = start.isoformat(), end.isoformat()
    counts: dict[tuple[str, str, str], list[int]] = {}
    uplift: dict[tuple[str, str], list[int]] = {}  # (attr, group) -> [sent, sent_acted, held, held_acted]
    turns = nudges = 0
    for r in records:
        day = str(r.get("started_at", ""))[:10]
        if not (lo <= day <= hi):
            continue
        kind = r.get("kind", "turn")
        if kind not in ("turn", "nudge"):
            continue
        attrs = attributes_of(roster.get(str(r.get("participant_key"))), end)
        attrs["channel"] = str(r.get("channel") or "participant")
        measures = TURN_MEASURES if kind == "turn" else NUDGE_MEASURES
        turns += kind == "turn"
        nudges += kind == "nudge"
        for attr, group in attrs.items():
            for name, hit in measures.items():
                cell = counts.setdefault((attr, group, name), [0, 0])
                cell[0] += int(hit(r))
                cell[1] += 1
            if kind == "nudge" and acted is not None and r.get("decision") in ("sent", "held_out"):
                u = uplift.setdefault((attr, group), [0, 0, 0, 0])
                did_act = "acted" in acted.get(str(r["turn_id"]), set())
                i = 0 if r["decision"] == "sent" else 2
                u[i] += 1
                u[i + 1] += int(did_act)
    ordered = sorted(counts.items(), key=lambda kv: (kv[0][0], group_order(kv[0][1]), kv[0][2]))
    cells = [Cell(a, g, m, k, n) for (a, g, m), (k, n) in ordered]
    return {
        "period": {"from": lo, "to": hi},
        "records": {"turns": turns, "nudge_decisions": nudges},
        "threshold": threshold,
        "min_n": MIN_N,
        "cells": [c.to_dict() for c in cells],
        "uplift": [_uplift_row(a, g, u) for (a, g), u in sorted(uplift.items())],
        "flags": flags(cells, threshold),
    }


def _uplift_row(attr: str, group: str, u: list[int]) -> dict[str, Any]:
    sent, sent_acted, held, held_acted = u
    row: dict[str, Any] = {"attribute": attr, "group": group, "sent": sent, "sent_acted": sent_acted,
                           "held_out": held, "held_out_acted": held_acted, "uplift": None, "ci95": None}  # fmt: skip
    if sent and held:
        p1, p2 = sent_acted / sent, held_acted / held
        se = math.sqrt(p1 * (1 - p1) / sent + p2 * (1 - p2) / held)
        row["uplift"] = round(p1 - p2, 6)
        row["ci95"] = [round(p1 - p2 - Z95 * se, 6), round(p1 - p2 + Z95 * se, 6)]
    return row


def flags(cells: list[Cell], threshold: float) -> list[dict[str, Any]]:
    """Groups whose rate differs from the rest of their attribute beyond the threshold."""
    out = []
    by_key: dict[tuple[str, str], list[Cell]] = {}
    for c in cells:
        by_key.setdefault((c.attribute, c.measure), []).append(c)
    for (attr, measure), group_cells in by_key.items():
        known = [c for c in group_cells if c.group != UNKNOWN]
        for c in known:
            rest_k = sum(o.k for o in known if o is not c)
            rest_n = sum(o.n for o in known if o is not c)
            if c.n < MIN_N or rest_n < MIN_N:
                continue
            rest_rate = rest_k / rest_n
            (glo, ghi), (rlo, rhi) = wilson(c.k, c.n), wilson(rest_k, rest_n)
            if abs(c.rate - rest_rate) > threshold and (ghi < rlo or rhi < glo):
                out.append({
                    "attribute": attr, "group": c.group, "measure": measure, "rate": round(c.rate, 6),
                    "k": c.k, "n": c.n, "rest_rate": round(rest_rate, 6), "rest_k": rest_k, "rest_n": rest_n,
                    "difference": round(c.rate - rest_rate, 6),
                })  # fmt: skip
    return sorted(out, key=lambda f: -abs(f["difference"]))
