"""One check per expectation kind. Each returns failures, one plain line each."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from evals.models import Alternatives, Expect

Result = dict[str, Any]
"""one turn's result: the `beacon ask --json` object"""


def _alts(item: Alternatives) -> list[str]:
    return [item] if isinstance(item, str) else list(item)


def _show(item: Alternatives) -> str:
    return repr(item) if isinstance(item, str) else " or ".join(repr(a) for a in item)


def check_action(e: Expect, r: Result, pii: Any) -> list[str]:
    if e.action is None:
        return []
    allowed = [e.action] if isinstance(e.action, str) else e.action
    return [] if r["action"] in allowed else [f"action was '{r['action']}', expected {' or '.join(allowed)}"]


def check_reason(e: Expect, r: Result, pii: Any) -> list[str]:
    if e.reason is None:
        return []
    allowed = [e.reason] if isinstance(e.reason, str) else e.reason
    return [] if r.get("reason") in allowed else [f"reason was '{r.get('reason')}', expected {' or '.join(allowed)}"]


def check_contains_all(e: Expect, r: Result, pii: Any) -> list[str]:
    text = r["answer"].lower()
    return [f"answer lacks {_show(item)}" for item in e.contains_all if not any(a.lower() in text for a in _alts(item))]


def check_contains_any(e: Expect, r: Result, pii: Any) -> list[str]:
    if not e.contains_any:
        return []
    text = r["answer"].lower()
    options = [a for item in e.contains_any for a in _alts(item)]
    return (
        []
        if any(a.lower() in text for a in options)
        else [f"answer contains none of {', '.join(repr(a) for a in options)}"]
    )


def check_not_contains(e: Expect, r: Result, pii: Any) -> list[str]:
    text = r["answer"].lower()
    return [f"answer contains forbidden {a!r}" for item in e.not_contains for a in _alts(item) if a.lower() in text]


def check_cites(e: Expect, r: Result, pii: Any) -> list[str]:
    ids = [c["id"] for c in r["citations"]]
    return [
        f"no citation starts with '{prefix}' (cited: {', '.join(ids) or 'nothing'})"
        for prefix in e.cites
        if not any(i.startswith(prefix) for i in ids)
    ]


def check_pii_absent(e: Expect, r: Result, pii: Any) -> list[str]:
    if not e.pii_absent:
        return []
    found = pii.detect(r["answer"], extra_allow=r.get("_allowed_phrases", []))
    return [f"answer contains PII: {', '.join(sorted({f.entity_type for f in found}))}"] if found else []


def check_nudges(e: Expect, r: Result, pii: Any) -> list[str]:
    offered = [n["id"] for n in r.get("nudges", [])]
    return [
        f"nudge '{n}' was not offered (offered: {', '.join(offered) or 'none'})" for n in e.nudges if n not in offered
    ]


def check_latency(e: Expect, r: Result, pii: Any) -> list[str]:
    if e.max_latency_ms is None or r["latency_ms"] <= e.max_latency_ms:
        return []
    return [f"took {r['latency_ms']:.0f} ms, over the {e.max_latency_ms:g} ms limit"]


def check_figures(e: Expect, r: Result, pii: Any) -> list[str]:
    got = {f["name"]: f["value"] for f in r["figures"]}
    out = []
    for name, want in e.figures.items():
        if name not in got:
            out.append(f"figure '{name}' missing (figures: {', '.join(got) or 'none'})")
        elif isinstance(want, str) or isinstance(got[name], str):
            if str(got[name]) != str(want):
                out.append(f"figure '{name}' was {got[name]}, expected {want}")
        elif abs(float(got[name]) - float(want)) > 0.005:
            out.append(f"figure '{name}' was {got[name]}, expected {want}")
    return out


def check_triggered(e: Expect, r: Result, pii: Any) -> list[str]:
    fired = {f["rule_id"] for f in r["guardrail"]["findings"] if f["outcome"] in ("fail", "transform", "error")}
    return [
        f"guard rule '{rule}' did not fire (fired: {', '.join(sorted(fired)) or 'none'})"
        for rule in e.triggered
        if rule not in fired
    ]


def check_handoff(e: Expect, r: Result, pii: Any) -> list[str]:
    if not e.handoff:
        return []
    handoff = r.get("handoff")
    if not handoff:
        return ["no hand-off summary was produced"]
    text = json.dumps(handoff).lower()
    return [f"hand-off summary lacks '{want}'" for want in e.handoff if want.lower() not in text]


def check_redacted(e: Expect, r: Result, pii: Any) -> list[str]:
    got = set(r.get("redacted") or [])
    return [
        f"no {entity} was removed from the message (removed: {', '.join(sorted(got)) or 'nothing'})"
        for entity in e.redacted
        if entity not in got
    ]


CHECKS: list[Callable[[Expect, Result, Any], list[str]]] = [
    check_action,
    check_reason,
    check_contains_all,
    check_contains_any,
    check_not_contains,
    check_cites,
    check_pii_absent,
    check_nudges,
    check_latency,
    check_figures,
    check_triggered,
    check_handoff,
    check_redacted,
]


def judge(expect: Expect, result: Result, pii: Any) -> list[str]:
    return [failure for check in CHECKS for failure in check(expect, result, pii)]
