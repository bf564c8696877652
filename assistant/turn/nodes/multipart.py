"""A message with several questions, answered part by part (`decisions/parts.py` splits and composes).

Each part is routed with the existing router (a part that leans on the one before it, "and how long
do I have to pay it back?", joins that part), searched and figured by the same nodes as a whole
turn, and drafted by the grounded composer; a part about a late person's account is answered from
the general document on inherited accounts. When every part lands on the same intent, the message
is one question and the ordinary turn answers it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, cast

from assistant.decisions.calculators import MissingData
from assistant.decisions.composer import ComposeContext, Draft
from assistant.decisions.parts import compose_parts, inherited_part, questions
from assistant.retrieval.retriever import Anchor
from assistant.turn.nodes.calculate import calculate
from assistant.turn.nodes.retrieve import retrieve
from assistant.turn.state import TurnState

BOUNDARIES = {"human", "greeting", "out_of_scope", "investment_advice"}
"""a part routed here is not a question the documents answer: the whole turn handles the message"""


@dataclass
class Part:
    text: str
    intent: str
    query: str
    anchor: str | None = None
    topic: str = ""
    method: str = "rule"
    confidence: float = 1.0
    passages: list[dict[str, Any]] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)


def _parts(state: TurnState, deps: Any) -> list[Part]:
    reading = state.get("screen", {}).get("understanding") or {}
    out: list[Part] = []
    asked = questions(state["text"])
    if len(asked) == 1 and inherited_part(asked[0], state["text"]) is None:
        return out  # one question, not about a late person's account: the ordinary turn answers it
    for text in asked:
        late = inherited_part(text, state["text"])
        if late is not None:
            out.append(Part(text, "general", f"{text} ({late.query})", late.anchor, late.topic))
            continue
        prev = out[-1] if out else None
        r = deps.router.route(
            text,
            prev.query if prev else None,
            prev.intent if prev else None,
            reading.get("label"),
            reading.get("probabilities"),
        )
        if prev is not None and r.follow_up:
            prev.text, prev.query = f"{prev.text} {text}", f"{prev.query} {text}"
            continue
        spec = deps.intents.get(r.intent)
        topic = spec.topic if spec is not None else ""
        out.append(Part(text, r.intent, r.query, topic=topic, method=r.method, confidence=r.confidence))
    return out


def _search(part: Part, state: TurnState, deps: Any) -> None:
    plan_id = state.get("plan_id")
    if part.anchor is None:
        sub: dict[str, Any] = {**state, "text": part.text, "intent": part.intent, "route": {"query": part.query}}
        sub.update(retrieve(cast(TurnState, sub), deps))
        sub.update(calculate(cast(TurnState, {**sub, "history": []}), deps))
        if sub.get("missing"):
            raise MissingData(sub["missing"]["field"], sub["missing"]["question"])
        part.passages, part.figures = sub["passages"], sub["figures"]
        return
    doc_id, section = part.anchor.split("#", 1)
    _, anchored = deps.retriever.search(part.query, plan_id, anchors=[Anchor(doc_id, section, 1)])
    found = [{**asdict(p), "anchor": True} for p in anchored]
    verdicts = deps.guard.screen_documents([p["text"] for p in found])  # planted instructions stay out
    part.passages = [p for p, finding in zip(found, verdicts, strict=True) if finding is None]


def draft_parts(
    state: TurnState, deps: Any, ctx: ComposeContext
) -> tuple[Draft, list[dict[str, Any]], list[dict[str, Any]]] | None:
    """The reply to a message of several questions, with the passages and figures it rests on; None
    when the message is one question (or a part is a boundary, or needs a value we must ask for)."""
    if ctx.screen_action != "allow" or ctx.missing:
        return None
    parts = _parts(state, deps)
    # one question about a late spouse's or parent's account ("my wife passed away last month. what happens to
    # her ira?") is answered like that part of a longer message: from the inherited-account section for it
    inherited_alone = len(parts) == 1 and parts[0].anchor is not None
    several = len(parts) >= 2 and len({(p.intent, p.anchor) for p in parts}) >= 2
    if not (inherited_alone or several) or any(p.intent in BOUNDARIES for p in parts):
        return None
    composer = getattr(deps.drafter, "composer", deps.drafter)
    answered: list[tuple[str, Draft]] = []
    unanswered: list[str] = []
    passages: dict[str, dict[str, Any]] = {}
    figures: dict[str, dict[str, Any]] = {}
    for part in parts:
        try:
            _search(part, state, deps)
        except MissingData:
            return None  # one clarifying question first: the whole turn asks it
        sub_ctx = ComposeContext(
            intent=part.intent,
            text=state["text"],
            query=deps.retriever.corrected(part.query),
            plan=ctx.plan,
            figures={f["name"]: f for f in part.figures},
            passages=part.passages,
            min_relevance=ctx.min_relevance,
            history=ctx.history,
            route_method=part.method,
            route_confidence=part.confidence,
            unknown_terms=deps.retriever.unknown_terms(part.text, state.get("plan_id")),
            part=part.text,
        )
        drafted = composer.draft(sub_ctx)
        if drafted.action != "answer" or not drafted.text:
            # named in the person's words when they carry no figure the guard would have to ground
            unanswered.append(f"“{part.text}”" if not re.search(r"\d", part.text) else part.topic or "one part")
            continue
        answered.append((part.topic, drafted))
        for p in part.passages:
            passages.setdefault(p["chunk_id"], p)
        for f in part.figures:
            figures.setdefault(f["name"], f)
    if not answered:
        return None
    drafted = compose_parts(composer.blocks, answered, unanswered, plan_known=ctx.plan is not None)
    if ctx.pii_types:
        drafted.text = f"{composer.blocks.get('pii_removed')}\n\n{drafted.text}"
    return drafted, list(passages.values()), list(figures.values())
