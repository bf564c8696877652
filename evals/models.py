"""Eval suites as data (the public contract in ../shared/specs/eval-suites.md), validated by
pydantic with `extra="forbid"` so a typo is an error, not a silently skipped check.

Added fields (the spec allows additions): suite-level `setup.ingest`, case-level `plan`/`participant`/`channel` overrides,
`rules` (guard rule ids the case evidences), `recognizers` (PII recognizers it evidences), and expectations
`reason`, `figures`, `triggered`, `handoff`, `redacted`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Action = Literal["answer", "clarify", "refuse", "escalate"]
Alternatives = str | list[str]
"""one string, or a list of alternatives of which any one will do"""


class Expect(BaseModel):
    """What must hold for a turn's result. Text matching is case-insensitive."""

    model_config = ConfigDict(extra="forbid")
    action: Action | list[Action] | None = None
    contains_all: list[Alternatives] = Field(default_factory=list)
    contains_any: list[Alternatives] = Field(default_factory=list)
    not_contains: list[Alternatives] = Field(default_factory=list)
    cites: list[str] = Field(default_factory=list)
    pii_absent: bool = False
    nudges: list[str] = Field(default_factory=list)
    max_latency_ms: float | None = Field(default=None, gt=0)
    # additions
    reason: str | list[str] | None = None
    """the result's `reason` (out_of_scope, advice, no_source, ...) or a list of allowed ones"""
    figures: dict[str, float | str] = Field(default_factory=dict)
    """calculator figures that must be in the result with these values (money to the cent)"""
    triggered: list[str] = Field(default_factory=list)
    """guard rule ids that must have fired (outcome fail, transform or error) in this turn"""
    handoff: list[str] = Field(default_factory=list)
    """strings the hand-off summary for the person taking over must contain (intents, figure names, ...)"""
    redacted: list[str] = Field(default_factory=list)
    """PII entity types that must have been removed from this turn's message (US_SSN, PERSON, ...)"""

    def merged(self, other: Expect | None) -> Expect:
        """Both sets of expectations (for a last turn that has its own expect too)."""
        if other is None:
            return self
        data = self.model_dump(exclude_unset=True)
        for key, value in other.model_dump(exclude_unset=True).items():
            if isinstance(value, list) and isinstance(data.get(key), list):
                data[key] = [*data[key], *value]
            elif isinstance(value, dict) and isinstance(data.get(key), dict):
                data[key] = {**data[key], **value}
            else:
                data[key] = value
        return Expect.model_validate(data)


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    user: str = Field(min_length=1)
    expect: Expect | None = None


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
    policy: str = Field(min_length=1)
    turns: list[Turn] = Field(min_length=1)
    expect: Expect | None = None
    description: str | None = None
    plan: str | None = None
    participant: str | None = None
    channel: Literal["participant", "copilot"] | None = None
    rules: list[str] = Field(default_factory=list)
    """guard rule ids this case is evidence for (used to prove every rule has a case)"""
    recognizers: list[str] = Field(default_factory=list)
    """PII recognizers (guardrails/recognizers/) this case is evidence for: every one has a case"""

    @field_validator("turns", mode="before")
    @classmethod
    def _plain_strings(cls, v: object) -> object:
        if isinstance(v, list):
            return [{"user": t} if isinstance(t, str) else t for t in v]
        return v

    @model_validator(mode="after")
    def _something_to_judge(self) -> Case:
        if self.expect is None and not any(t.expect for t in self.turns):
            raise ValueError("a case needs an 'expect' (on the case or on a turn)")
        return self

    def expectations(self) -> list[Expect | None]:
        """The expectation for each turn: a turn's own, and the case's on the last turn."""
        out: list[Expect | None] = [t.expect for t in self.turns]
        if self.expect is not None:
            out[-1] = self.expect.merged(out[-1])
        return out


class Defaults(BaseModel):
    model_config = ConfigDict(extra="forbid")
    plan: str | None = None
    participant: str | None = None
    channel: Literal["participant", "copilot"] = "participant"


class IngestStep(BaseModel):
    """Documents the suite needs in the index: ingested (idempotently) before its cases run."""

    model_config = ConfigDict(extra="forbid")
    path: str = Field(min_length=1)
    """a file or folder; relative paths are tried from the working directory, then the project root"""
    plan: str | None = None
    doc_type: str | None = None


class Setup(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ingest: list[IngestStep] = Field(default_factory=list)


class Suite(BaseModel):
    model_config = ConfigDict(extra="forbid")
    suite: str = Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
    description: str | None = None
    setup: Setup | None = None
    """addition: documents to ingest first (a suite over a new document set is self-contained)"""
    defaults: Defaults = Field(default_factory=Defaults)
    thresholds: dict[str, float] = Field(default_factory=dict)
    cases: list[Case] = Field(min_length=1)

    @field_validator("thresholds")
    @classmethod
    def _rates(cls, v: dict[str, float]) -> dict[str, float]:
        for policy, rate in v.items():
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"threshold for '{policy}' must be between 0 and 1, not {rate}")
        return v

    @model_validator(mode="after")
    def _unique_ids(self) -> Suite:
        seen: set[str] = set()
        for c in self.cases:
            if c.id in seen:
                raise ValueError(f"case id '{c.id}' appears more than once")
            seen.add(c.id)
        return self

    def threshold(self, policy: str) -> float:
        return self.thresholds.get(policy, 1.0)
