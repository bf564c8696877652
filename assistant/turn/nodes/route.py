"""Classify the intent and rewrite follow-ups into a stand-alone retrieval query.

A reply to a clarifying question ("What is your annual pay?" → "about 60k") continues the
question it interrupted: same intent and query, with the value it gives recorded as `provided`.
"""

from __future__ import annotations

import logging
from typing import Any

from assistant.turn.state import TurnState
from assistant.understanding import phrases

log = logging.getLogger(__name__)


def route(state: TurnState, deps: Any) -> dict[str, Any]:
    history = state.get("history", [])
    last_user = next((h for h in reversed(history) if h.get("role") == "user"), None)
    last_reply = next((h for h in reversed(history) if h.get("role") == "assistant"), None)
    field = (last_reply or {}).get("missing_field") if (last_reply or {}).get("action") == "clarify" else None
    if field and last_user:
        value = phrases.answer_for(field, state["text"])
        if value is not None:
            return {
                "intent": last_user.get("intent") or "general",
                "route": {"confidence": 1.0, "method": "clarified", "follow_up": True, "query": last_user.get("query")},
                "provided": {field: value},
            }
    reading = state.get("screen", {}).get("understanding") or {}
    try:
        corrected = deps.retriever.corrected(state["text"])
    except Exception as e:  # noqa: BLE001 - no index to correct against: the rules read the words as typed
        log.warning("route: no spelling correction (%s)", type(e).__name__)
        corrected = None
    r = deps.router.route(
        state["text"],
        last_user.get("query") if last_user else None,
        last_user.get("intent") if last_user else None,
        reading.get("label"),
        reading.get("probabilities"),
        corrected,
    )
    return {
        "intent": r.intent,
        "route": {"confidence": r.confidence, "method": r.method, "follow_up": r.follow_up, "query": r.query},
        "provided": {},
    }
