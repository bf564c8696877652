"""Classify the intent and rewrite follow-ups into a stand-alone retrieval query."""

from __future__ import annotations

from typing import Any

from assistant.state import TurnState


def route(state: TurnState, deps: Any) -> dict[str, Any]:
    last_user = next((h for h in reversed(state.get("history", [])) if h.get("role") == "user"), None)
    r = deps.router.route(
        state["text"], last_user.get("query") if last_user else None, last_user.get("intent") if last_user else None
    )
    return {
        "intent": r.intent,
        "route": {"confidence": r.confidence, "method": r.method, "follow_up": r.follow_up, "query": r.query},
    }
