"""Decide what the user sees: the guarded answer, a safe alternative, or a fail-closed message."""

from __future__ import annotations

from typing import Any

from assistant.turn.state import TurnState


def _citations(state: TurnState, ids: list[str]) -> list[dict[str, Any]]:
    by_id: dict[str, dict[str, Any]] = {}
    for p in state.get("passages", []):
        by_id.setdefault(p["citation_id"], p)
    out = []
    for cid in ids:
        found = by_id.get(cid)
        if found is None:
            continue
        md = found["metadata"]
        text = found["text"]
        snippet = text if len(text) <= 240 else text[:240].rsplit(" ", 1)[0] + "…"
        out.append(
            {
                "id": cid,
                "doc_id": md["doc_id"],
                "section": md["section"],
                "title": md.get("section_title") or md["title"],
                "document_title": md["title"],
                "effective_date": md.get("effective_date") or None,
                "version": md.get("version"),
                "page": md.get("page") or None,
                "snippet": snippet,
            }
        )
    return out


def finalize(state: TurnState, deps: Any) -> dict[str, Any]:
    blocks = deps.drafter.blocks
    plan_id = state.get("plan_id")
    plan = deps.plans.get(plan_id) if plan_id else None
    draft = state.get("draft")
    verdict = state.get("verdict")
    result: dict[str, Any]
    if state.get("errors") or not draft or not verdict:
        result = {
            "action": "escalate",
            "answer": f"{blocks.get('unavailable')} {blocks.contact(plan)}",
            "citations": [],
            "figures": [],
            "reason": "unavailable",
        }
    elif verdict["decision"] in ("allow", "transform"):
        used = set(draft.get("figures", []))
        result = {
            "action": draft["action"],
            "answer": verdict["text"],
            "citations": _citations(state, draft.get("citations", [])),
            "figures": [f for f in state.get("figures", []) if f["name"] in used],
            "reason": draft.get("reason"),
            "handoff": draft.get("handoff"),
        }
    else:
        action = "escalate" if verdict["decision"] == "escalate" else "refuse"
        text = f"{blocks.get('blocked')} {blocks.contact(plan)}"
        screen = state.get("screen", {})
        if screen.get("check_in") or screen.get("kind") == "crisis":
            # a crisis signal or the crisis reply itself: the blocked draft gave 988, so the reply that
            # replaces it does too (a blocked crisis reply had lost 988 altogether)
            action, text = "escalate", f"{blocks.get('crisis_check_in')}\n\n{text}"
        result = {
            "action": action,
            "answer": text,
            "citations": [],
            "figures": [],
            "reason": "guard_blocked",
        }
    history = [
        {
            "role": "user",
            "turn_id": state["turn_id"],
            "text": state["text"],
            "intent": state.get("intent"),
            "query": state.get("route", {}).get("query", state["text"]),
            "provided": state.get("provided") or {},
        },
        {
            "role": "assistant",
            "turn_id": state["turn_id"],
            "text": result["answer"],
            "action": result["action"],
            "reason": result.get("reason"),
            "missing_field": (state.get("missing") or {}).get("field") if result["action"] == "clarify" else None,
            "figures": {f["name"]: f["value"] for f in result["figures"]},
            "citations": [c["id"] for c in result["citations"]],
            "review": (state.get("review") or {}).get("reason"),
            "flags": sorted({f["rule_id"] for f in (verdict or {}).get("findings", []) if f["outcome"] != "pass"}),
        },
    ]
    return {"result": result, "history": history}
