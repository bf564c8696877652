"""What one turn returns, typed once: the `beacon ask --json` object, the body of
`POST /api/v1/turns` and what the web chat shows (docs/api.md#the-turn-json).

`TurnService.run` builds it both for a turn that ran and for one answered fail-closed, so every
surface gets the same shape.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

Action = Literal["answer", "clarify", "refuse", "escalate"]


class Citation(BaseModel):
    """A passage the answer relies on."""

    id: str
    """doc_id#section"""
    doc_id: str
    section: str
    title: str
    """the section's title"""
    document_title: str
    effective_date: str | None = None
    version: str | None = None
    page: int | None = None
    snippet: str


class TurnFigure(BaseModel):
    """A calculator figure the answer states, with its inputs and the rule it applies."""

    name: str
    """machine key, stable for integrations (e.g. annual_match_missed)"""
    label: str
    """what people read (e.g. "Match you are missing each year")"""
    value: bool | int | float | str
    """a number, a yes/no flag, or an ISO date (unit `date`)"""
    unit: str
    inputs: dict[str, Any] = {}
    source: str = ""
    rule: str | None = None


class NudgeCard(BaseModel):
    id: str
    title: str
    text: str
    decision_id: str


class GuardFinding(BaseModel):
    rule_id: str
    stage: str
    outcome: str
    rationale: str


class Guardrail(BaseModel):
    decision: str
    """allow | transform | block | escalate"""
    findings: list[GuardFinding]


class DraftInfo(BaseModel):
    """Which backend wrote the draft, and why an LLM draft was not used."""

    backend: str
    source: str | None = None
    fallback_reason: str | None = None
    trimmed: str | None = None
    """what was cut from the LLM's draft before the guard, and why (an unsupported lead sentence)"""
    rejected_by_guard: list[str] = []


class TurnResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    thread_id: str
    turn_id: str
    audit_id: str | None
    """hash of the turn's audit record (None when it could only be spooled)"""
    action: Action
    answer: str
    """the final text the person sees (after the guard)"""
    reason: str | None = None
    """why the action is not a plain answer: advice, out_of_scope, injection, crisis, fraud, no_source, ..."""
    intent: str | None = None
    citations: list[Citation] = []
    figures: list[TurnFigure] = []
    nudges: list[NudgeCard] = []
    redacted: list[str] = []
    """entity types removed from the message before anything used it (types only, never values)"""
    review: dict[str, Any] | None = None
    """why a person should review this turn (e.g. two documents in force conflict)"""
    handoff: dict[str, Any] | None = None
    """the summary a person taking over receives ("talk to a person")"""
    handoff_id: str | None = None
    draft: DraftInfo
    guardrail: Guardrail
    latency_ms: float
