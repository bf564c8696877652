"""Search the participant's plan documents and general documents.

The best sections inside the scopes that define the intent's rules (the plan's loan topic for a
loan question) are put first and marked `anchor`. Every passage then goes through the guard's
document rules: one carrying an instruction aimed at the assistant is quarantined (dropped and
recorded), so nothing is drafted from it.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from assistant.retrieval.anchors import anchors_for
from assistant.turn.state import TurnState


def retrieve(state: TurnState, deps: Any) -> dict[str, Any]:
    spec = deps.intents.get(state.get("intent"))
    if (spec is not None and not spec.retrieve) or state.get("screen", {}).get("action", "allow") != "allow":
        return {"passages": [], "quarantined": []}
    plan_id = state.get("plan_id")
    plan = deps.plans.get(plan_id) if plan_id else None
    # the anchors' rules read the words corrected as retrieval reads them ("intrest rate on 403b loans")
    anchors = anchors_for(spec, plan, deps.retriever.corrected(state["route"]["query"]), plan_id)
    hits, anchored = deps.retriever.search(state["route"]["query"], plan_id, anchors=anchors)
    # a chunk found by two anchors (the topic's section and the whole SPD) or by an anchor and the
    # open search is kept once, where it was first found
    anchored = list({p.chunk_id: p for p in anchored}.values())  # first-found order
    seen = {p.chunk_id for p in anchored}
    passages = [{**asdict(p), "anchor": True} for p in anchored] + [asdict(h) for h in hits if h.chunk_id not in seen]
    verdicts = deps.guard.screen_documents([p["text"] for p in passages])
    quarantined = [
        {**finding.to_dict(), "chunk_id": p["chunk_id"], "doc_id": p["metadata"]["doc_id"]}
        for p, finding in zip(passages, verdicts, strict=True)
        if finding is not None
    ]
    return {
        "passages": [p for p, finding in zip(passages, verdicts, strict=True) if finding is None],
        "quarantined": quarantined,
    }
