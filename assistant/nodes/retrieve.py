"""Search the participant's plan documents and general documents.

The sections that answer the intent by definition (the plan's loan rules for a loan question)
are fetched too and put first, marked `anchor`.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from assistant.retrieval import anchor_citations
from assistant.state import TurnState

NO_RETRIEVAL = {"human", "greeting"}


def retrieve(state: TurnState, deps: Any) -> dict[str, Any]:
    if state.get("intent") in NO_RETRIEVAL or state.get("screen", {}).get("action", "allow") != "allow":
        return {"passages": []}
    plan_id = state.get("plan_id")
    hits = [asdict(h) for h in deps.retriever.search(state["route"]["query"], plan_id)]
    anchors: list[dict[str, Any]] = []
    for cid in anchor_citations(state["intent"], deps.plans.get(plan_id) if plan_id else None):
        doc_id, section = cid.split("#", 1)
        found = [h for h in hits if h["citation_id"] == cid] or [asdict(p) for p in deps.index.section(doc_id, section)]
        anchors += [{**p, "anchor": True} for p in found]
    anchored = {a["chunk_id"] for a in anchors}
    return {"passages": anchors + [h for h in hits if h["chunk_id"] not in anchored]}
