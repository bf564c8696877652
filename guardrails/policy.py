"""The guard policy as data: `guardrails/policy.yaml` parsed by pydantic with `extra="forbid"`.

A bad regex, threshold or rule kind stops start-up with the file and field named. The policy's
version is the sha256 of the file's bytes.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from guardrails.errors import PolicyError


def _valid_regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as e:
        raise ValueError(f"pattern {pattern!r} is not a valid regular expression ({e})") from e
    return pattern


Regex = Annotated[str, AfterValidator(_valid_regex)]
"""A regular expression, checked when the file that holds it is loaded (not mid-conversation)."""

Action = Literal["block", "refuse", "escalate", "transform", "quarantine"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PiiPolicy(Strict):
    entities: dict[str, float] = Field(min_length=1)
    allow_list: list[str] = Field(default_factory=list)

    @field_validator("entities")
    @classmethod
    def _thresholds(cls, v: dict[str, float]) -> dict[str, float]:
        for name, score in v.items():
            if not 0.0 <= score <= 1.0:
                raise ValueError(f"threshold for {name} must be between 0 and 1, not {score}")
        return v


class RuleSpec(Strict):
    id: str = Field(pattern=r"^(input|output|document)\.[a-z_]+$")
    kind: Literal[
        "pattern",
        "negatable_pattern",
        "scoped_pattern",
        "figure_grounding",
        "citation_grounding",
        "pii_redaction",
        "planted_instruction",
        "required_disclosure",
        "citation_support",
    ]
    action: Action
    description: str
    patterns: list[Regex] = Field(default_factory=list)
    negations: list[str] = Field(default_factory=list)
    allowed_phrases: list[str] = Field(default_factory=list)
    domain_words: list[str] = Field(default_factory=list)
    """planted_instruction: a question in a document with none of these words is off-topic"""
    requires: list[Regex] = Field(default_factory=list)
    """required_disclosure: when a pattern matches, one of these (regexes) must be in the answer"""
    disclosure: str | None = None
    """required_disclosure: the pre-approved text appended when none of `requires` is present"""
    min_overlap: int = Field(default=2, ge=1)
    """citation_support: content words a cited passage must share with the answer"""
    source_grounded: list[str] = Field(default_factory=list)
    """pii_redaction: entity types an answer may show when the same value is printed in a passage
    retrieved for the turn and the person did not type it (a plan's phone number or mailing address,
    `guardrails/contact_facts.py`)"""

    @model_validator(mode="after")
    def _disclosure_complete(self) -> RuleSpec:
        if self.kind == "required_disclosure" and not (self.patterns and self.requires and self.disclosure):
            raise ValueError("a required_disclosure rule needs patterns, requires and disclosure")
        return self


class Policy(Strict):
    name: str
    description: str
    pii: PiiPolicy
    input_rules: list[RuleSpec]
    output_rules: list[RuleSpec]
    document_rules: list[RuleSpec] = Field(default_factory=list)
    """run on every retrieved passage: a failing passage is quarantined (never drafted from)"""
    supervision: dict[str, Any] | None = None
    """how compliance samples turns for review; validated (file and field named) by assistant/supervision/policy.py"""

    @property
    def rule_ids(self) -> list[str]:
        return [r.id for r in self.input_rules + self.output_rules + self.document_rules]


class LoadedPolicy:
    """A validated policy plus the path and sha256 it came from."""

    def __init__(self, policy: Policy, path: Path, sha256: str) -> None:
        self.policy = policy
        self.path = path
        self.sha256 = sha256


def load_policy(path: Path) -> LoadedPolicy:
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise PolicyError(f"Policy file {path} cannot be read ({e}); set BEACON_POLICY_FILE to a readable file.") from e
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as e:
        raise PolicyError(f"Policy file {path} is not valid YAML ({e}); fix it before starting Beacon.") from e
    try:
        policy = Policy.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(x) for x in err["loc"]) or "(top level)"
        raise PolicyError(
            f"Policy file {path}: field '{where}' is invalid ({err['msg']}); fix it before starting Beacon."
        ) from e
    ids = policy.rule_ids
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise PolicyError(f"Policy file {path}: rule id(s) {', '.join(sorted(dupes))} appear more than once.")
    return LoadedPolicy(policy, path, hashlib.sha256(raw).hexdigest())
