"""Search the participant's plan documents and general documents.

The best sections inside the scopes that define the intent's rules (the plan's loan topic for a
loan question) are put first and marked `anchor`.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from assistant.retrieval import anchors_for
from assistant.state import TurnState

NO_RETRIEVAL = {"human", "greeting"}


def retrieve(state: TurnState, deps: Any) -> dict[str, Any]:
    if state.get("intent") in NO_RETRIEVAL or state.get("screen", {}).get("action", "allow") != "allow":
        return {"passages": []}
    plan_id = state.get("plan_id")
    plan = deps.plans.get(plan_id) if plan_id else None
    anchors = anchors_for(state["intent"], plan, state["route"]["query"], plan_id)
    hits, anchored = deps.retriever.search(state["route"]["query"], plan_id, anchors=anchors)
    seen = {p.chunk_id for p in anchored}
    return {
        "passages": [{**asdict(p), "anchor": True} for p in anchored]
        + [asdict(h) for h in hits if h.chunk_id not in seen]
    }
