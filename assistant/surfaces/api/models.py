"""Request and response bodies of the REST API (the OpenAPI schema is built from them)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_BODY_BYTES = 64 * 1024
ID = Field(min_length=1, max_length=128)


# --- models ------------------------------------------------------------------------------------
class TurnRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=20000)
    plan: str | None = Field(default=None, max_length=128)
    participant: str | None = Field(default=None, max_length=128)
    thread_id: str | None = Field(default=None, max_length=128)
    channel: str = Field(default="participant", max_length=32)


class ThreadSummary(BaseModel):
    thread_id: str
    participant_id: str | None
    plan_id: str | None
    channel: str
    created_at: str
    updated_at: str
    turns: int


class HistoryMessage(BaseModel):
    role: Literal["user", "assistant"]
    turn_id: str
    text: str
    """redacted: what the person typed, with PII replaced by placeholders; or the answer shown"""
    action: str | None = None
    citations: list[str] = []
    figures: dict[str, Any] = {}


class ThreadHistory(ThreadSummary):
    messages: list[HistoryMessage]


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    turn_id: str = ID
    rating: Literal["up", "down"]
    comment: str | None = Field(default=None, max_length=2000)


class FeedbackResponse(BaseModel):
    feedback_id: str
    turn_id: str
    rating: str
    comment: str | None
    """as stored: redacted by the PII guard"""
    created_at: str


class HandoffOut(BaseModel):
    handoff_id: str
    thread_id: str
    turn_id: str
    participant_id: str | None
    plan_id: str | None
    summary: dict[str, Any]
    status: str
    created_at: str
    claimed_by: str | None
    resolved_at: str | None
    note: str | None


class ResolveRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str = Field(min_length=1, max_length=2000)


class Balance(BaseModel):
    total: float
    employee: float
    employer: float


class Loans(BaseModel):
    outstanding: int
    outstanding_balance: float
    maximum_new_loan: float | str
    maximum_reason: str


class ContextCard(BaseModel):
    participant_id: str
    first_name: str
    plan_id: str
    plan_name: str
    as_of: str
    age: int | None
    employment_status: str
    balance: Balance
    deferral_pct: float | None
    roth_pct: float
    vested_pct: float | str | None
    vested_balance: float | str | None
    loans: Loans
    recent_life_events: list[dict[str, str]]
    pending_nudges: list[dict[str, str]]


class ErrorBody(BaseModel):
    error: str
    detail: Any = None


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (401, 403, 404, 409, 413, 422, 429, 503)
}
