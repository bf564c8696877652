"""Current rule over stale pages, at the draft stage: when a passage of the plan's own document that
the answer cites states a law-driven figure the law has since changed (`decisions/stale_rules.py`),
the answer opens with the current rule from the general document, says which plan page predates it
(quoting the stale sentence once, no longer as the answer), cites both and flags the turn for review
(`review: {reason: stale_document}` in the response and the audit record)."""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any

from assistant.decisions.composer import ComposeContext, Draft
from assistant.decisions.stale_rules import current_sentences, figure_text, load_rules, stale_statements


def current_over_stale(
    drafted: Draft, passages: list[dict[str, Any]], deps: Any, ctx: ComposeContext
) -> dict[str, Any] | None:
    if drafted.action != "answer" or not any(ctx.intent in r.intents for r in load_rules()):
        return None
    cited = [p for p in passages if p["citation_id"] in drafted.citations]
    if all(p["metadata"].get("plan_id") in (None, "general") for p in cited):
        return None
    limits = deps.limits_for_today()  # only now: a question no rule reads needs no year's limits
    stale = stale_statements(cited, limits, ctx.intent, drafted.text)
    if not stale:
        return None
    blocks = deps.drafter.blocks
    have = {p["citation_id"] for p in passages}
    lines = [blocks.get("stale_document")]
    notes: list[str] = []
    involved: list[str] = []
    for rule_id in dict.fromkeys(s.rule.id for s in stale):
        group = [s for s in stale if s.rule.id == rule_id]
        rule = group[0].rule
        doc_id, section = rule.general.split("#", 1)
        chunks = [asdict(c) for c in deps.index.section(doc_id, section)]
        current = current_sentences(rule, " ".join(c["text"] for c in chunks), limits) if chunks else []
        if not current:
            continue  # no general document states today's rule: nothing to answer with
        passages += [{**c, "rule_only": True} for c in chunks if c["citation_id"] not in have]
        have.add(rule.general)
        md = chunks[0]["metadata"]
        lines.append(f"{md['title']}, section {md['section']}: {' '.join(current)}")
        for s in group:
            page = next(p for p in cited if p["citation_id"] == s.citation_id)["metadata"]
            where = f"page {page['page']}" if page.get("page") else f"section {page['section']}"
            dated = f", effective {page['effective_date']}" if page.get("effective_date") else ""
            notes.append(
                f"{page['title']}, {where}{dated}, predates this rule: it gives {rule.what} as "
                f"{figure_text(s.stated)} (“{s.sentence}”)."
            )
            drafted.text = drafted.text.replace(f" {s.sentence}", "").replace(s.sentence, "")
            involved.append(s.citation_id)
        involved.append(rule.general)
        if rule.general not in drafted.citations:
            drafted.citations.append(rule.general)
    if len(lines) == 1:
        return None
    # a quoted passage left with nothing after its "Title, page 3:" label is dropped
    body = "\n\n".join(
        b for b in drafted.text.split("\n\n") if not re.fullmatch(r"[^\n]*, (page|section) [^:\n]+:\s*", b)
    )
    drafted.text = "\n\n".join([*lines, *notes, body])
    return {"reason": "stale_document", "citations": sorted(set(involved))}
