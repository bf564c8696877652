"""Draft an answer with the configured backend (the grounded composer by default)."""

from __future__ import annotations

from typing import Any

from assistant.composer import ComposeContext
from assistant.state import TurnState


def draft(state: TurnState, deps: Any) -> dict[str, Any]:
    screen = state.get("screen", {})
    plan_id = state.get("plan_id")
    ctx = ComposeContext(
        intent=state.get("intent", "general"),
        text=state["text"],
        query=state.get("route", {}).get("query", state["text"]),
        plan=deps.plans.get(plan_id) if plan_id else None,
        figures={f["name"]: f for f in state.get("figures", [])},
        passages=state.get("passages", []),
        screen_action=screen.get("action", "allow"),
        screen_rules=screen.get("rules", []),
        missing=state.get("missing"),
        min_relevance=deps.settings.min_relevance,
        pii_types=sorted({e["type"] for e in state.get("pii_entities", [])}),
    )
    return {"draft": deps.drafter.draft(ctx).to_dict()}
