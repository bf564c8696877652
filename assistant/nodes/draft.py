"""Draft an answer with the configured backend (the grounded composer by default)."""

from __future__ import annotations

from dataclasses import asdict
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
    if state.get("redraft"):
        # the guard blocked the LLM's draft: the grounded composer answers instead
        drafted = deps.drafter.composer.draft(ctx)
        drafted.fallback_reason = "blocked by the guard: " + ", ".join(
            f["rule_id"] for f in (state.get("llm_rejected") or {}).get("findings", []) if f["outcome"] != "pass"
        )
    else:
        drafted = deps.drafter.draft(ctx)
    # the passages a draft cites must be in the state, for the guard to check and the user to see
    have = {p["citation_id"] for p in state.get("passages", [])}
    extra: list[dict[str, Any]] = []
    for cid in drafted.citations:
        if cid not in have and "#" in cid:
            doc_id, section = cid.split("#", 1)
            extra += [{**asdict(p), "rule_only": True} for p in deps.index.section(doc_id, section)]
            have.add(cid)
    update: dict[str, Any] = {"draft": drafted.to_dict(), "redraft": False}
    if extra:
        update["passages"] = [*state.get("passages", []), *extra]
    return update
