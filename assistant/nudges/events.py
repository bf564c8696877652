"""What happened to a participant: life events from the HR feed and the roster, dates (birthdays
that change a rule, the 60-63 window, the RMD age, automatic escalation and enrollment dates, plan
deadlines), behaviour in conversations, configured market events, and profile states (a missed match).

Every event has a stable `key`: the same happening always gets the same key, so a nudge is never
delivered twice for it. Ages and dates come from the calculators and the IRS limits data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.decisions.calculators import MissingData
from assistant.decisions.calculators.contributions import escalation_schedule
from assistant.decisions.calculators.distributions import additional_tax, rmd_age
from assistant.decisions.calculators.match import employer_match
from assistant.nudges.errors import NudgeConfigError
from assistant.records.participants import Participant
from assistant.records.provisions import IrsLimits, PlanProvisions

HR_EVENTS = (
    "marriage",
    "divorce",
    "birth",
    "adoption",
    "termination",
    "rehire",
    "salary_change",
    "address_change",
    "death_in_family",
)
"""event names accepted in an HR feed row (and in the roster's `life_events`, plus `hire`)"""

EVENT_KINDS: dict[str, str] = {
    **{f"hr.{e}": f"HR feed or roster: {e.replace('_', ' ')}" for e in (*HR_EVENTS, "hire")},
    "date.age_50": "the 50th birthday (catch-up contributions start in that year)",
    "date.age_55": "the 55th birthday (separation from service in or after that year avoids the 10% additional tax)",
    "date.age_59_half": "the day the participant reaches age 59 and a half",
    "date.window_60_63": "January 1 of each year in which the participant reaches 60, 61, 62 or 63",
    "date.rmd_age": "the birthday at the RMD age (73 if born 1951-1959, 75 if born 1960 or later)",
    "date.auto_escalation": "the next automatic escalation date",
    "date.auto_enrollment_start": "the day automatic enrollment starts for a new hire who made no election",
    "date.plan_deadline": "a plan deadline configured in events.yaml",
    "behaviour.loan_hardship_questions": "repeated loan or hardship questions in conversations",
    "market.drop": "a market decline configured in events.yaml",
    "profile.missed_match": "the profile's contribution is below the rate that earns the full match",
}


@dataclass(frozen=True)
class Event:
    kind: str
    date: dt.date
    key: str
    """stable identity of the happening, e.g. `hr.marriage:2026-09-12`"""
    source: str
    """hr_feed | roster | dates | conversations | market | profile"""
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "date": self.date.isoformat(), "key": self.key, "source": self.source} | (
            {"detail": self.detail} if self.detail else {}
        )


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MarketEvent(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{2,60}$")
    date: dt.date
    from_date: dt.date
    index: str = Field(min_length=3, max_length=80)
    decline_pct: float = Field(gt=0, lt=100)


class PlanDeadline(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{2,60}$")
    date: dt.date
    plans: list[str] = Field(min_length=1)
    description: str = Field(min_length=5, max_length=160)


class EventsConfig(_Strict):
    market_events: list[MarketEvent] = Field(default_factory=list)
    plan_deadlines: list[PlanDeadline] = Field(default_factory=list)


def load_events_config(path: Path, known_plans: Iterable[str] | None = None) -> EventsConfig:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        cfg = EventsConfig.model_validate(raw)
    except OSError as e:
        raise NudgeConfigError(f"{path} cannot be read ({e}); check BEACON_KNOWLEDGE_DIR.") from e
    except yaml.YAMLError as e:
        raise NudgeConfigError(f"{path} is not valid YAML ({e}); fix the file and run again.") from e
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(x) for x in err["loc"])
        raise NudgeConfigError(f"{path}: field '{where}': {err['msg']}; fix the entry and run again.") from e
    plans = set(known_plans or [])
    for i, d in enumerate(cfg.plan_deadlines):
        unknown = [p for p in d.plans if plans and p not in plans]
        if unknown:
            raise NudgeConfigError(
                f"{path}: field 'plan_deadlines.{i}.plans': unknown plan '{unknown[0]}' "
                f"(known: {', '.join(sorted(plans))}); fix the entry and run again."
            )
    for i, m in enumerate(cfg.market_events):
        if m.from_date > m.date:
            raise NudgeConfigError(
                f"{path}: field 'market_events.{i}.from_date': {m.from_date} is after the event date {m.date}."
            )
    return cfg


def birthday(birth: dt.date, age: int) -> dt.date:
    year = birth.year + age
    if (birth.month, birth.day) == (2, 29):
        return dt.date(year, 2, 28) if not _leap(year) else dt.date(year, 2, 29)
    return dt.date(year, birth.month, birth.day)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def life_events(person: Participant, feed: Iterable[tuple[str, dt.date]]) -> list[Event]:
    """Events from the roster's `life_events` and the HR feed, one per (kind, date)."""
    out: dict[str, Event] = {}
    for e in person.life_events:
        kind = f"hr.{e.type}"
        out.setdefault(f"{kind}:{e.date}", Event(kind, e.date, f"{kind}:{e.date}", "roster"))
    for name, date in feed:
        kind = f"hr.{name}"
        key = f"{kind}:{date}"
        out[key] = Event(kind, date, key, "hr_feed")
    return list(out.values())


def date_events(person: Participant, plan: PlanProvisions, limits: IrsLimits, as_of: dt.date) -> list[Event]:
    """Events that follow from the calendar and the profile (ages, escalation, enrollment)."""
    out: list[Event] = []
    b = person.birth_date
    if b is not None:
        for age, kind in (
            (limits.ages.catch_up_min_age, "date.age_50"),
            (limits.ages.separation_from_service_age, "date.age_55"),
        ):
            day = birthday(b, int(age))
            out.append(Event(kind, day, f"{kind}:{day}", "dates", {"age": int(age)}))
        half = additional_tax(plan, person, as_of)
        day = dt.date.fromisoformat(str(next(f.value for f in half if f.name == "age_59_and_a_half_on")))
        out.append(Event("date.age_59_half", day, f"date.age_59_half:{day}", "dates"))
        age_at_year_end = as_of.year - b.year
        if age_at_year_end in limits.ages.super_catch_up_ages:
            day = dt.date(as_of.year, 1, 1)
            out.append(
                Event("date.window_60_63", day, f"date.window_60_63:{as_of.year}", "dates", {"age": age_at_year_end})
            )
        rmd = rmd_age(limits, b.year)
        if rmd is not None:
            day = birthday(b, rmd)
            out.append(Event("date.rmd_age", day, f"date.rmd_age:{day}", "dates", {"rmd_age": rmd}))
    if person.auto_enrolled and plan.auto_escalation.enabled and person.deferral_pct is not None:
        sched = {f.name: f.value for f in escalation_schedule(plan, person, as_of)}
        if "next_escalation_date" in sched:
            day = dt.date.fromisoformat(str(sched["next_escalation_date"]))
            out.append(Event("date.auto_escalation", day, f"date.auto_escalation:{day}", "dates"))
    ae = plan.auto_enrollment
    if ae.enabled and not person.auto_enrolled and person.hire_date is not None and ae.opt_out_window_days:
        day = person.hire_date + dt.timedelta(days=ae.opt_out_window_days)
        out.append(Event("date.auto_enrollment_start", day, f"date.auto_enrollment_start:{day}", "dates"))
    return out


def config_events(plan: PlanProvisions, config: EventsConfig) -> list[Event]:
    """Market events (everyone) and the plan's deadlines from events.yaml."""
    out = [
        Event(
            "market.drop",
            m.date,
            f"market.drop:{m.id}",
            "market",
            {"index": m.index, "decline_pct": m.decline_pct, "from_date": m.from_date.isoformat()},
        )
        for m in config.market_events
    ]
    out += [
        Event("date.plan_deadline", d.date, f"date.plan_deadline:{d.id}", "dates", {"description": d.description})
        for d in config.plan_deadlines
        if plan.plan_id in d.plans
    ]
    return out


def profile_events(person: Participant, plan: PlanProvisions, limits: IrsLimits, as_of: dt.date) -> list[Event]:
    """States of the profile that make a nudge timely; keyed by the state so a changed profile is new."""
    if person.employment_status != "active" or person.annual_salary is None or person.deferral_pct is None:
        return []
    try:
        figures = {f.name: f.value for f in employer_match(plan, person, limits, as_of)}
    except MissingData:
        return []
    if float(figures["annual_match_missed"]) > 0:
        key = f"profile.missed_match:{as_of.year}:{person.deferral_pct:g}"
        return [Event("profile.missed_match", as_of, key, "profile")]
    return []


def behaviour_events(intent_dates: list[dt.date], as_of: dt.date, min_count: int, within_days: int) -> list[Event]:
    """`behaviour.loan_hardship_questions` when at least `min_count` such questions fall in the window."""
    recent = sorted(d for d in intent_dates if as_of - dt.timedelta(days=within_days) <= d <= as_of)
    if len(recent) < min_count:
        return []
    day = recent[min_count - 1]  # the question that crossed the threshold
    return [
        Event(
            "behaviour.loan_hardship_questions",
            day,
            f"behaviour.loan_hardship_questions:{day}",
            "conversations",
            {"questions": len(recent), "within_days": within_days},
        )
    ]
