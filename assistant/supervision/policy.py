"""The `supervision:` section of the guard policy file: how turns are sampled for review, the
verdict categories and the fairness threshold. A bad value stops the command with the file and
the field named; the policy version is the sha256 of the whole file (as in every turn record)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.errors import SettingsError

VERDICTS = ("ok", "issue", "needs-policy-change")


class SupervisionPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rate: float = Field(default=0.05, ge=0.0, le=1.0)
    """share of the turns not sampled anyway (blocked, escalated, flagged) drawn for review"""
    min_per_channel: int = Field(default=2, ge=0)
    """at least this many drawn from every channel that had turns that day (when it had that many)"""
    topic_weights: dict[str, float] = Field(default_factory=dict)
    """intent -> weight (1 when not listed); rollovers, hardship, distributions are riskier"""
    channel_weights: dict[str, float] = Field(default_factory=dict)
    """channel -> weight (1 when not listed); the copilot's replies reach callers through an agent"""
    categories: list[str] = Field(default_factory=lambda: ["inaccurate", "other"], min_length=1)
    """what an `issue` verdict may be filed under"""
    fairness_threshold: float = Field(default=0.10, gt=0.0, le=1.0)
    """a group is flagged when its rate differs from everyone else's by more than this"""

    @field_validator("topic_weights", "channel_weights")
    @classmethod
    def _positive(cls, v: dict[str, float]) -> dict[str, float]:
        for name, w in v.items():
            if not w > 0:
                raise ValueError(f"the weight of '{name}' must be above 0, not {w}")
        return v

    def weight(self, intent: str | None, channel: str | None) -> float:
        return self.topic_weights.get(intent or "", 1.0) * self.channel_weights.get(channel or "", 1.0)


def load_supervision_policy(path: Path) -> tuple[SupervisionPolicy, str]:
    """The section and the file's sha256 (the policy version turns record)."""
    try:
        raw = path.read_bytes()
        data = yaml.safe_load(raw) or {}
    except (OSError, yaml.YAMLError) as e:
        raise SettingsError(f"Policy file {path} cannot be read ({e}); set BEACON_POLICY_FILE to a valid file.") from e
    section = data.get("supervision") if isinstance(data, dict) else None
    try:
        policy = SupervisionPolicy.model_validate(section or {})
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(x) for x in ("supervision", *err["loc"]))
        raise SettingsError(
            f"Policy file {path}: field '{where}' is invalid ({err['msg']}); fix it and run again."
        ) from e
    return policy, hashlib.sha256(raw).hexdigest()
