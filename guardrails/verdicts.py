"""Typed guard results. A verdict checks its own invariants; wording is the UI's business."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Stage = Literal["input", "output", "document"]
Outcome = Literal["pass", "fail", "transform", "error"]
Decision = Literal["allow", "transform", "block", "escalate"]


@dataclass(frozen=True)
class Finding:
    """One rule's judgement of one text."""

    rule_id: str
    stage: Stage
    outcome: Outcome
    rationale: str
    evidence: str | None = None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Verdict:
    """The guard's decision on a draft.

    - allow: `text` is the draft unchanged; no finding failed.
    - transform: `text` differs from the draft (e.g. redacted); no finding blocks.
    - block / escalate: `text` is None; at least one finding failed or errored.
    """

    decision: Decision
    findings: tuple[Finding, ...]
    text: str | None = None
    reasons: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        failing = [f for f in self.findings if f.outcome in ("fail", "error")]
        if self.decision in ("allow", "transform"):
            if self.text is None:
                raise ValueError(f"a '{self.decision}' verdict must carry the text to show")
            if failing:
                raise ValueError(f"a '{self.decision}' verdict cannot carry failing findings: {failing[0].rule_id}")
        elif self.text is not None:
            raise ValueError(f"a '{self.decision}' verdict must not carry text to show")
        elif not failing:
            raise ValueError(f"a '{self.decision}' verdict needs at least one failing finding")

    @property
    def passed(self) -> bool:
        return self.decision in ("allow", "transform")

    def to_dict(self) -> dict[str, object]:
        return {"decision": self.decision, "findings": [f.to_dict() for f in self.findings]}
