"""Draft an answer with the configured backend (the grounded composer by default)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from assistant.decisions.composer import (
    ComposeContext,
    acknowledged,
    crisis_check_in,
    in_spanish_referral,
    off_topic,
)
from assistant.turn.nodes.multipart import draft_parts
from assistant.turn.stale_check import current_over_stale
from assistant.turn.state import TurnState


def draft(state: TurnState, deps: Any) -> dict[str, Any]:
    screen = state.get("screen", {})
    plan_id = state.get("plan_id")
    ctx = ComposeContext(
        intent=state.get("intent", "general"),
        # the message with its misspellings corrected ("intrest rate on 403b loans"): what the topic's rules read
        text=deps.retriever.corrected(state["text"]),
        # the words retrieval searched with ("lons" -> "loans"): the gate weighs the same terms
        query=deps.retriever.corrected(state.get("route", {}).get("query") or state["text"]),
        plan=deps.plans.get(plan_id) if plan_id else None,
        figures={f["name"]: f for f in state.get("figures", [])},
        passages=state.get("passages", []),
        screen_action=screen.get("action", "allow"),
        screen_kind=screen.get("kind"),
        screen_also_fraud=bool(screen.get("also_fraud")),
        in_spanish=bool(state.get("in_spanish")),
        missing=state.get("missing"),
        min_relevance=deps.settings.min_relevance,
        pii_types=sorted({e["type"] for e in state.get("pii_entities", [])}),
        history=state.get("history", []),
        route_method=state.get("route", {}).get("method", "rule"),
        route_confidence=float(state.get("route", {}).get("confidence", 1.0)),
        unknown_terms=deps.retriever.unknown_terms(state["text"], plan_id)
        if screen.get("action", "allow") == "allow"
        else [],
    )
    parted = None if state.get("redraft") else draft_parts(state, deps, ctx)  # several questions in one
    if parted is not None:
        drafted, part_passages, part_figures = parted
        state = {**state, "passages": part_passages, "figures": part_figures}  # type: ignore[typeddict-item]
    elif state.get("redraft"):
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
    passages = [*state.get("passages", []), *extra]
    review = _conflicts(drafted, passages, deps, ctx) or current_over_stale(drafted, passages, deps, ctx)
    drafted = off_topic(
        drafted,
        deps.drafter.blocks,
        ctx.query,
        screen.get("understanding", {}).get("probabilities", {}),
        keyword_routed=state.get("route", {}).get("method") == "rule",
    )
    drafted = in_spanish_referral(drafted, deps.drafter.blocks, ctx.text, ctx.in_spanish, ctx.plan)
    drafted = acknowledged(drafted, deps.drafter.blocks, ctx.text)
    if screen.get("check_in"):  # a crisis signal in a message that also asks something: 988 first
        drafted = crisis_check_in(drafted, deps.drafter.blocks, ctx.plan, ctx.in_spanish)
        review = review or {"reason": "crisis_check_in"}
    update: dict[str, Any] = {"draft": drafted.to_dict(), "redraft": False, "review": review}
    if extra or review or parted is not None:
        update["passages"] = passages
    if parted is not None:
        update["figures"] = parted[2]
    return update


def _conflicts(drafted: Any, passages: list[dict[str, Any]], deps: Any, ctx: ComposeContext) -> dict[str, Any] | None:
    """When a cited rule is stated differently by another document in force with the same effective
    date, quote and cite both and flag the turn for review (see indexing/lifecycle.py)."""
    if drafted.action != "answer":
        return None
    by_citation = {p["citation_id"]: p for p in passages}
    conflicting = [cid for cid in drafted.citations if (by_citation.get(cid) or {}).get("conflicts")]
    if not conflicting:
        return None
    others: list[str] = []
    for cid in conflicting:
        for other in by_citation[cid]["conflicts"]:
            if other not in drafted.citations and other not in others:
                others.append(other)
    blocks = deps.drafter.blocks
    lines = [f"{blocks.get('document_conflict')} {blocks.contact(ctx.plan)}"]
    for other in others:
        doc_id, section = other.split("#", 1)
        chunks = [asdict(p) for p in deps.index.section(doc_id, section)]
        if not chunks:
            continue
        passages += [{**c, "rule_only": True} for c in chunks if c["citation_id"] not in by_citation]
        md = chunks[0]["metadata"]
        text = " ".join(c["text"] for c in chunks)
        lines.append(
            f"{md['title']}, section {md['section']} (effective {md.get('effective_date') or 'undated'}): {text}"
        )
        drafted.citations.append(other)
    drafted.text = "\n\n".join([lines[0], drafted.text, *lines[1:]])
    involved = set(conflicting) | set(others) | {o for c in conflicting for o in by_citation[c]["conflicts"]}
    return {"reason": "document_conflict", "citations": sorted(involved)}
