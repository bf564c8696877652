"""Suitability exclusions: reasons a nudge that was triggered must not be offered to this person.

Each is one small function returning the reason (a sentence for the rationale) or None;
`EXCLUSIONS` is the explicit registry that catalog entries name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.decisions.calculators import MissingData
from assistant.decisions.calculators.match import match_eligibility_date
from assistant.nudges.events import Event
from assistant.nudges.figures import Subject

BEREAVEMENT_DAYS = 90


@dataclass(frozen=True)
class Exclusion:
    description: str
    check: Callable[[Subject, Sequence[Event]], str | None]


_CATCH_UP_REASONS = {
    "under_50": "the participant is under 50 at the end of the year",
    "plan_has_no_catch_up": "the plan does not offer catch-up contributions",
    "roth_required_but_plan_has_no_roth": (
        "prior-year wages are above the Roth catch-up threshold and the plan offers no Roth, "
        "so no catch-up contributions can be made"
    ),
}


def _catch_up_not_available(s: Subject, events: Sequence[Event]) -> str | None:
    if s.person.birth_date is None:
        return "the birth date is unknown, so catch-up eligibility cannot be figured"
    limit = next(f for f in s.figures("catch_up") if f.name == "your_catch_up_limit")
    if float(limit.value) > 0:
        return None
    reason = str(limit.inputs.get("reason"))
    return "catch-up not available: " + _CATCH_UP_REASONS.get(reason, reason)


def _rmd_delayed(s: Subject, events: Sequence[Event]) -> str | None:
    if s.person.employment_status == "active":
        return "still employed: RMDs from this plan are delayed while working for the employer"
    return None


def _match_waiting(s: Subject, events: Sequence[Event]) -> str | None:
    day = match_eligibility_date(s.plan, s.person)
    if day is not None and day > s.as_of:
        return f"not yet eligible for the match (eligible from {day})"
    return None


def _deferral_at_limit(s: Subject, events: Sequence[Event]) -> str | None:
    p = s.person
    if p.annual_salary is None or p.deferral_pct is None:
        return None
    cap = s.limits.value("elective_deferral_402g")
    if p.annual_salary * p.deferral_pct / 100 >= cap:
        return f"contributions already reach the {s.limits.year} elective deferral limit"
    return None


def _recent_bereavement(s: Subject, events: Sequence[Event]) -> str | None:
    for e in events:
        if e.kind == "hr.death_in_family" and dt.timedelta(0) <= s.as_of - e.date <= dt.timedelta(BEREAVEMENT_DAYS):
            return f"a death in the family was reported on {e.date}; celebratory messages are held back"
    return None


def _no_balance(s: Subject, events: Sequence[Event]) -> str | None:
    return "no account balance" if s.person.balance <= 0 else None


def _already_contributing(s: Subject, events: Sequence[Event]) -> str | None:
    if s.person.deferral_pct:
        return f"already contributing {s.person.deferral_pct:g}% of pay"
    return None


EXCLUSIONS: dict[str, Exclusion] = {
    "catch_up_not_available": Exclusion("the person cannot make catch-up contributions", _catch_up_not_available),
    "rmd_delayed_while_working": Exclusion("still employed, so plan RMDs are delayed", _rmd_delayed),
    "match_waiting_period": Exclusion("not yet eligible for the employer match", _match_waiting),
    "deferral_at_irs_limit": Exclusion("already contributing the IRS maximum", _deferral_at_limit),
    "recent_bereavement": Exclusion("a death in the family was reported recently", _recent_bereavement),
    "no_balance": Exclusion("the account has no balance", _no_balance),
    "already_contributing": Exclusion("the person already chose a contribution rate", _already_contributing),
}


def excluded(names: Sequence[str], s: Subject, events: Sequence[Event]) -> tuple[str, str] | None:
    """(exclusion id, reason) of the first exclusion that applies."""
    for name in names:
        try:
            why = EXCLUSIONS[name].check(s, events)
        except MissingData as e:
            why = f"the profile lacks {e.field_name}, needed to check suitability"
        if why:
            return name, why
    return None
