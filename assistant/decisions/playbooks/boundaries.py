"""Replies that are not plan answers: the advice boundary, out of scope, a greeting, a person."""

from __future__ import annotations

from typing import Any

from assistant.decisions.drafts import ComposeContext, Draft, Kit, unique


def advice(kit: Kit, ctx: ComposeContext) -> Draft:
    b, plan = kit.blocks, ctx.plan
    parts = [b.get("advice_redirect")]
    if plan and plan.advice_service:
        parts.append(b.get("advice_service", plan))
    parts.append(b.contact(plan))
    return Draft("refuse", " ".join(parts), reason="advice")


def greeting(kit: Kit, ctx: ComposeContext) -> Draft:
    return Draft("answer", kit.blocks.get("greeting"))


def out_of_scope(kit: Kit, ctx: ComposeContext) -> Draft:
    return Draft("refuse", kit.blocks.get("out_of_scope"), reason="out_of_scope")


def handoff_summary(ctx: ComposeContext) -> dict[str, Any]:
    """What the person who picks up the conversation needs: no re-asking, no raw PII (the history
    holds redacted text only)."""
    users = [h for h in ctx.history if h.get("role") == "user"]
    replies = [h for h in ctx.history if h.get("role") == "assistant"]
    intents = unique([h.get("intent") or "" for h in users if h.get("intent") not in ("human", "greeting", None)])
    figures: dict[str, Any] = {}
    sources: list[str] = []
    flags: list[str] = []
    for r in replies:
        figures.update(r.get("figures") or {})
        sources = unique([*sources, *(r.get("citations") or [])])
        flags = unique([*flags, *(r.get("flags") or [])])
        if r.get("review"):
            flags = unique([*flags, f"review:{r['review']}"])
        if r.get("action") in ("refuse", "escalate") and r.get("reason"):
            flags = unique([*flags, f"{r['action']}:{r['reason']}"])
    if replies and replies[-1].get("action") == "clarify":
        flags = unique([*flags, f"waiting for: {replies[-1].get('missing_field')}"])
    last_question = users[-1]["text"] if users else None
    topic = ", ".join(intents) if intents else "no question yet"
    shown = ", ".join(f"{k}={v}" for k, v in list(figures.items())[:8]) or "none"
    return {
        "intents": intents,
        "last_question": last_question,
        "figures": figures,
        "sources": sources,
        "open_flags": flags,
        "turns": len(users),
        "summary": f"Asked about: {topic}. Figures shown: {shown}. Sources: {len(sources)}. "
        f"Open flags: {', '.join(flags) or 'none'}.",
    }


def human(kit: Kit, ctx: ComposeContext) -> Draft:
    text = f"{kit.blocks.get('human')} {kit.blocks.get('handoff')} {kit.blocks.contact(ctx.plan)}"
    return Draft("escalate", text, reason="human_requested", handoff=handoff_summary(ctx))
