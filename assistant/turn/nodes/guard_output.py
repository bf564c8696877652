"""Check the draft with the output guard (PII, policy rules, figure grounding)."""

from __future__ import annotations

import hashlib
from typing import Any

from assistant.decisions.calculators import Figure, numbers_of
from assistant.turn.state import TurnState
from guardrails.rules import CheckContext


def check_context(state: TurnState, deps: Any) -> CheckContext:
    passages = state.get("passages", [])
    sources = [p["text"] for p in passages]
    sources += [f"{p['metadata'].get('title', '')} {p['metadata'].get('section_title', '')}" for p in passages]
    figures = [n for f in state.get("figures", []) for n in numbers_of(Figure.from_dict(f))]
    plan_id = state.get("plan_id")
    allowed: list[str] = []
    if plan_id and plan_id in deps.plans:
        c = deps.plans[plan_id].contact
        allowed = [c.phone, c.portal, c.hours]
    if state.get("participant_id"):
        allowed.append(str(state["participant_id"]))  # their own id is theirs to see (output.other_person_data)
    return CheckContext(
        sources=sources,
        figures=figures,
        allowed_phrases=allowed,
        pii_placeholders=state.get("pii_placeholders", {}),
        cited_ids=list(state.get("draft", {}).get("citations", [])),
        known_ids=sorted({p["citation_id"] for p in passages}),
        passage_texts=_texts_by_citation(passages),
    )


def _texts_by_citation(passages: list[dict[str, Any]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in passages:
        md = p.get("metadata", {})
        heading = str(md.get("section_title", ""))  # not the document title: every answer names the plan
        out[p["citation_id"]] = f"{out.get(p['citation_id'], heading)} {p['text']}"
    return out


def guard_output(state: TurnState, deps: Any) -> dict[str, Any]:
    verdict = deps.guard.check_output(state["draft"]["text"], check_context(state, deps))
    update: dict[str, Any] = {"verdict": {**verdict.to_dict(), "text": verdict.text}}
    if not verdict.passed and state["draft"].get("source") == "llm":
        # keep what was rejected (hash and findings, not the text) and let the composer redraft
        update["llm_rejected"] = {
            "draft_hash": hashlib.sha256(state["draft"]["text"].encode()).hexdigest(),
            "findings": [f.to_dict() for f in verdict.findings],
        }
        update["redraft"] = True
    return update
