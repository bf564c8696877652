"""Nudge eval suites (`evals/nudges/*.yaml`): the right nudge offered, suppressed ones not offered.

A suite names a date, the feeds to load and the recorded conversation intents; each case names a
participant, the nudge ids that must be offered, the ones that must be suppressed (with the policy
outcome) and phrases the offered text must contain. Validated with pydantic (`extra="forbid"`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from evals.errors import SuiteError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IntentRow(_Strict):
    participant: str
    intent: str
    date: dt.date


class NudgeCase(_Strict):
    id: str
    participant: str
    offered: list[str]
    suppressed: dict[str, str] = Field(default_factory=dict)
    text_contains: list[str] = Field(default_factory=list)


class NudgeSuite(_Strict):
    suite: str
    as_of: dt.date
    hr_feed: str | None = None
    preferences: str | None = None
    intents: list[IntentRow] = Field(default_factory=list)
    cases: list[NudgeCase] = Field(min_length=1)


def load_nudge_suite(path: Path) -> NudgeSuite:
    try:
        return NudgeSuite.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except ValidationError as e:
        err = e.errors()[0]
        raise SuiteError(f"{path}: field '{'.'.join(str(x) for x in err['loc'])}': {err['msg']}") from e


def check_case(case: NudgeCase, items: list[Any]) -> list[str]:
    """Failures of one case against a run's items (RunItem-like: participant_id, nudge_id, status, text)."""
    mine = [i for i in items if i.participant_id == case.participant]
    offered = sorted(i.nudge_id for i in mine if i.status == "sent")
    failures = []
    if offered != sorted(case.offered):
        failures.append(f"{case.id}: offered {offered or 'nothing'}, expected {sorted(case.offered) or 'nothing'}")
    for nudge, outcome in case.suppressed.items():
        got = next((i.status for i in mine if i.nudge_id == nudge), "not triggered")
        if got != outcome:
            failures.append(f"{case.id}: '{nudge}' was {got}, expected {outcome}")
    text = " ".join(i.text or "" for i in mine if i.status == "sent")
    failures += [f"{case.id}: the text lacks '{p}'" for p in case.text_contains if p not in text]
    return failures
