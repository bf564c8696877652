"""The state of one conversation thread as the graph sees it (and the checkpointer stores it).

Only redacted text ever enters this state: `assistant.services.turn_service` redacts before invoking the graph.
Per-turn fields are reset by the turn input; `history` accumulates across turns.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict


class TurnInput(TypedDict):
    """What a turn starts with."""

    turn_id: str
    """unique id of this turn (also the audit record's key)"""
    thread_id: str
    """the conversation this turn belongs to"""
    text: str
    """the user's message, already redacted"""
    participant_id: str | None
    """roster id of the participant the conversation is about, if known"""
    plan_id: str | None
    """plan the conversation is scoped to (the participant's plan, or chosen)"""
    channel: str
    """participant | copilot"""
    pii_entities: list[dict[str, Any]]
    """entities redacted from `text`: type, placeholder, keyed hash (never the value)"""
    pii_placeholders: dict[str, str]
    """keyed hash -> placeholder for the whole thread, so placeholders stay consistent"""
    started_at: float
    """wall-clock start of the turn (epoch seconds)"""
    before_redaction: list[str]
    """the crisis and fraud rules the message matched before its PII was redacted (a redaction can
    take the very words: "ya no quiero vivir" is read as a person's name); never the text itself"""
    in_spanish: bool
    """the message before redaction is in Spanish (the crisis reply then says how to reach 988 in Spanish)"""
    distress_abroad: bool
    """the message before redaction says a crisis warning sign in Spanish, French or Portuguese
    (`understanding.language.distress_abroad`): the reply opens with the 988 check-in"""


class TurnState(TurnInput, total=False):
    """Everything the nodes add. Reset per turn except `history`."""

    history: Annotated[list[dict[str, Any]], operator.add]
    """redacted user messages and final answers, oldest first (appended by `finalize`)"""
    screen: dict[str, Any]
    """input screen: action (allow | refuse | escalate) and findings"""
    intent: str
    """routed intent, e.g. match, loan, out_of_scope"""
    route: dict[str, Any]
    """routing details: confidence, method, follow_up, the retrieval query"""
    provided: dict[str, float]
    """profile values the participant gave this turn in answer to a clarifying question"""
    passages: list[dict[str, Any]]
    """retrieved chunks (plan + general), best first, plus the sections calculators cite"""
    quarantined: list[dict[str, Any]]
    """retrieved chunks the guard's document rules held back (finding + chunk id), never drafted from"""
    figures: list[dict[str, Any]]
    """calculator results"""
    missing: dict[str, Any] | None
    """a profile value a calculation needs but lacks: field and the question to ask"""
    draft: dict[str, Any]
    """the drafter's answer before the guard: action, text, citations, figures, reason"""
    verdict: dict[str, Any]
    """the output guard's decision and findings"""
    result: dict[str, Any]
    """what the user is shown: action, answer, citations, figures, reason"""
    errors: list[dict[str, str]]
    """stage failures this turn; any error makes the turn fail closed"""
    timings: dict[str, float]
    """milliseconds spent per node"""
    redraft: bool
    """the guard blocked an LLM draft: the composer drafts again"""
    llm_rejected: dict[str, Any] | None
    """hash and findings of an LLM draft the guard blocked"""
    review: dict[str, Any] | None
    """why a person should review this turn (e.g. two documents in force conflict), or None"""
    audit_hash: str
    """hash of this turn's audit record"""
