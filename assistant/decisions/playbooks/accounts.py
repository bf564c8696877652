"""Kinds of retirement accounts: what one is, how two differ, and which ones someone can open."""

from __future__ import annotations

from assistant.decisions.definitions import ACCOUNT_TYPES, SELF_EMPLOYED
from assistant.decisions.drafts import ComposeContext, Draft, Kit, join
from assistant.decisions.sentences import sentences as split_sentences

OPENERS = {
    "self_employed": "A self-employed person can set up a retirement plan of their own; the two most common are a "
    "SEP IRA and a solo 401(k):",
    "no_plan": "Without a retirement plan at work, anyone with taxable pay can still save on their own in an IRA, "
    "a traditional IRA or a Roth IRA:",
}


def account_types(kit: Kit, ctx: ComposeContext) -> Draft:
    """Accounts named: the sentences of their documents that answer (the relevance gate). None named ("I'm self
    employed, what retirement account can I open?", "my employer doesn't offer a 401k, what can I do?"): the
    accounts open to that person, each with its document's definition (retrieval.anchors.account_type_anchors
    anchors their first sections); a question that asks "which" is no request for a recommendation here, the
    accounts are described side by side."""
    if any(rx.search(ctx.text) for rx, _ in ACCOUNT_TYPES):
        return kit.extractive(ctx)
    firsts: dict[str, dict] = {}
    for p in ctx.passages:
        doc_id = p["metadata"].get("doc_id", "")
        if p.get("anchor") and str(p["metadata"].get("section")) == "1" and doc_id not in firsts:
            firsts[doc_id] = p
    if len(firsts) < 2:
        return kit.extractive(ctx)
    lines = [OPENERS["self_employed" if SELF_EMPLOYED.search(ctx.text) else "no_plan"]]
    for p in firsts.values():
        md = p["metadata"]
        lines.append(f"- {md['title']}, section 1: {' '.join(split_sentences(p['text'], min_chars=21)[:2])}")
    lines.append(kit.blocks.get("education_note_general" if ctx.plan is None else "education_note"))
    return Draft("answer", join(lines), [p["citation_id"] for p in firsts.values()])
