"""One turn as a reviewer reads it: what the participant was shown (text, action, citations,
figures), the passages behind it, the guard's findings, how the input was classified, why the turn
is in the sample and the verdicts so far. Used by `beacon review show` and the Compliance profile."""

from __future__ import annotations

from typing import Any


def figure_text(f: dict[str, Any]) -> str:
    value, unit = f.get("value"), f.get("unit")
    if unit == "USD" and isinstance(value, int | float):
        return f"${value:,.2f}"
    if unit == "percent":
        return f"{value}%"
    if unit == "flag":
        return "yes" if value else "no"
    return f"{value} {unit}" if unit not in (None, "date", "year", "age", "count") else str(value)


def turn_view(
    record: dict[str, Any],
    passages: list[dict[str, Any]],
    item: Any = None,
    history: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    screen = record.get("input_screen") or {}
    understanding = screen.get("understanding") or {}
    return {
        "turn_id": record["turn_id"],
        "thread_id": record.get("thread_id"),
        "when": record.get("started_at"),
        "channel": record.get("channel"),
        "plan_id": record.get("plan_id"),
        "participant_key": record.get("participant_key"),
        "in_sample": None if item is None else {"day": item.day, "why": item.why, "sample_id": item.sample_id},
        "input": {
            "redacted_text": record.get("redacted_input"),
            "pii_removed": sorted({e.get("type") for e in record.get("pii_entities", []) if e.get("type")}),
            "classification": understanding.get("label") or screen.get("kind"),
            "screen_action": screen.get("action"),
            "screen_rules": screen.get("rules", []),
            "intent": record.get("intent"),
        },
        "shown": {
            "action": record.get("final_action"),
            "reason": record.get("final_reason"),
            "text": record.get("final_text"),
            "citations": record.get("citations", []),
            "figures": [
                {
                    "name": f.get("name"),
                    "label": f.get("label") or f.get("name"),
                    "value": f.get("value"),
                    "text": figure_text(f),
                    "rule": f.get("rule"),
                }
                for f in record.get("calculations", [])
            ],
            "flag": record.get("review"),
        },
        "passages": passages,
        "guard": {
            "decision": record.get("guard_decision"),
            "findings": [
                {k: f.get(k) for k in ("rule_id", "stage", "outcome", "rationale", "evidence")}
                for f in record.get("guard_findings", [])
            ],
        },
        "versions": {
            "policy": record.get("policy_version"),
            "index": record.get("index_version"),
            "backend": record.get("backend"),
            "draft_source": record.get("draft_source"),
        },
        "reviews": [
            {
                k: r.get(k)
                for k in (
                    "turn_id",
                    "verdict",
                    "category",
                    "note",
                    "reviewer",
                    "at",
                    "expected_action",
                    "must_contain",
                    "must_not_contain",
                )
            }
            for r in history or []
        ],
        "audit_hash": record.get("_hash"),
    }


def render_view(v: dict[str, Any]) -> str:
    """Plain text for the terminal."""
    inp, shown, guard = v["input"], v["shown"], v["guard"]
    lines = [
        f"Turn {v['turn_id']}  {v['when']}  channel {v['channel']}  plan {v['plan_id'] or '-'}",
        *(
            [f"  in sample   {v['in_sample']['day']} ({v['in_sample']['why']})"]
            if v["in_sample"]
            else ["  in sample   no (reviewed ad hoc)"]
        ),
        f"  asked       {inp['redacted_text']}",
        f"  read as     {inp['classification']}  intent {inp['intent']}  screen {inp['screen_action']}"
        + (f" ({', '.join(inp['screen_rules'])})" if inp["screen_rules"] else ""),
        f"  pii removed {', '.join(inp['pii_removed']) or 'none'}",
        f"  shown       {shown['action']}" + (f" ({shown['reason']})" if shown["reason"] else ""),
        *[f"    {line}" for line in str(shown["text"] or "").splitlines()],
        "  figures",
        *[f"    {f['label']}: {f['text']}" + (f"  (rule {f['rule']})" if f["rule"] else "") for f in shown["figures"]],
        "  passages",
        *[
            f"    [{p['chunk_id']}] {p['title'] or ''} §{p['section'] or '?'} {p.get('section_title') or ''} v{p['version']}"
            + ("  (document changed since)" if p["changed_since"] else "")
            + f"\n      {(p['text'] or '(no longer in the index)')[:300]}"
            for p in v["passages"]
        ],
        f"  guard       {guard['decision']}",
        *[f"    [{f['outcome']:<9}] {f['rule_id']}: {f['rationale']}" for f in guard["findings"]],
        "  reviews",
        *[
            f"    {r['at'][:16]} {r['reviewer']}: {r['verdict']}"
            + (f" / {r['category']}" if r["category"] else "")
            + (f" — {r['note']}" if r["note"] else "")
            for r in v["reviews"]
        ],
    ]
    if not v["reviews"]:
        lines.append("    none yet")
    return "\n".join(lines)
