"""Figure sources: the calculators whose results fill nudge templates.

Each source names the figures it can produce (checked against the templates when the catalog
loads) and computes them with the existing calculators; nothing is re-derived here. Every number
a figure states or used is handed to the output guard as grounding. `FIGURE_SOURCES` is the
explicit registry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.decisions.calculators import Figure, money, pct
from assistant.decisions.calculators.contributions import escalation_schedule
from assistant.decisions.calculators.distributions import additional_tax, rmd_start
from assistant.decisions.calculators.limits import catch_up, contribution_limit
from assistant.decisions.calculators.loans import loan_maximum
from assistant.decisions.calculators.match import employer_match
from assistant.decisions.calculators.vesting import vesting
from assistant.records.participants import Participant
from assistant.records.provisions import IrsLimits, PlanProvisions


@dataclass
class Subject:
    """One participant being evaluated on one date, with figures computed at most once per source."""

    person: Participant
    plan: PlanProvisions
    limits: IrsLimits
    as_of: dt.date
    _cache: dict[str, list[Figure]] = field(default_factory=dict)

    def figures(self, source: str) -> list[Figure]:
        if source not in self._cache:
            self._cache[source] = FIGURE_SOURCES[source].compute(self)
        return self._cache[source]

    def value(self, source: str, name: str) -> float | str | None:
        return next((f.value for f in self.figures(source) if f.name == name), None)


@dataclass(frozen=True)
class FigureSource:
    produces: tuple[str, ...]
    compute: Callable[[Subject], list[Figure]]


def _plan(s: Subject) -> list[Figure]:
    p = s.plan
    src = "provisions"
    out = [
        Figure("plan_name", p.plan_name, "text", {}, src, None),
        Figure("plan_phone", p.contact.phone, "text", {}, src, None),
        Figure("plan_portal", p.contact.portal, "text", {}, src, None),
        Figure(
            "stay_in_plan_min_balance",
            p.distributions.stay_in_plan_min_balance,
            "USD",
            {},
            src,
            f"{p.spd_doc_id}#{p.distributions.section}",
        ),
        # IRC 72(t): the rate the additional-tax calculator states (not indexed)
        Figure("additional_tax_rate", 10.0, "percent", {}, "calculator:additional_tax", "general/additional-tax#1"),
    ]
    if p.auto_enrollment.enabled and p.auto_enrollment.default_rate_pct is not None:
        out.append(
            Figure(
                "auto_enroll_default_pct",
                p.auto_enrollment.default_rate_pct,
                "percent",
                {},
                src,
                f"{p.spd_doc_id}#{p.auto_enrollment.section}",
            )
        )
    return out


def _catch_up(s: Subject) -> list[Figure]:
    src, doc = "irs_limits", f"general/contribution-limits-{s.limits.year}#3"
    ages = s.limits.ages.super_catch_up_ages
    context = [
        Figure("limit_year", s.limits.year, "year", {}, "calculator:limits", None),
        Figure("limit_year_end", dt.date(s.limits.year, 12, 31).isoformat(), "date", {}, src, None),
        Figure("super_catch_up_first_age", min(ages), "age", {}, src, doc),
        Figure("super_catch_up_last_age", max(ages), "age", {}, src, doc),
    ]
    return [*context, *contribution_limit(s.limits), *catch_up(s.limits, s.plan, s.person)]


def _ages(s: Subject) -> list[Figure]:
    a = s.limits.ages
    src = "irs_limits"
    return [
        Figure("catch_up_min_age", a.catch_up_min_age, "age", {}, src, None),
        Figure(
            "separation_from_service_age", a.separation_from_service_age, "age", {}, src, "general/additional-tax#1"
        ),
        Figure(
            "additional_tax_free_age_whole",
            int(a.additional_tax_free_age),
            "age",
            {"additional_tax_free_age": a.additional_tax_free_age},
            src,
            "general/additional-tax#1",
        ),
        Figure("additional_tax_rate", 10.0, "percent", {}, "calculator:additional_tax", "general/additional-tax#1"),
    ]


def _escalation(s: Subject) -> list[Figure]:
    current = Figure("current_deferral_pct", s.person.deferral_pct or 0.0, "percent", {}, "profile", None)
    return [current, *escalation_schedule(s.plan, s.person, s.as_of)]


FIGURE_SOURCES: dict[str, FigureSource] = {
    "plan": FigureSource(
        (
            "plan_name",
            "plan_phone",
            "plan_portal",
            "stay_in_plan_min_balance",
            "additional_tax_rate",
            "auto_enroll_default_pct",
        ),
        _plan,
    ),
    "match": FigureSource(
        (
            "annual_pay",
            "deferral_pct",
            "full_match_deferral_pct",
            "max_match_pct_of_pay",
            "current_match_pct_of_pay",
            "annual_match_current",
            "annual_match_full",
            "annual_match_missed",
            "per_paycheck_match_missed",
            "extra_deferral_per_paycheck",
            "match_eligibility_date",
        ),
        lambda s: employer_match(s.plan, s.person, s.limits, s.as_of),
    ),
    "catch_up": FigureSource(
        (
            "limit_year",
            "limit_year_end",
            "super_catch_up_first_age",
            "super_catch_up_last_age",
            "elective_deferral_limit",
            "catch_up_limit_50_plus",
            "catch_up_limit_60_to_63",
            "age_at_year_end",
            "your_catch_up_limit",
            "your_total_deferral_limit",
            "catch_up_must_be_roth",
        ),
        _catch_up,
    ),
    "ages": FigureSource(
        ("catch_up_min_age", "separation_from_service_age", "additional_tax_free_age_whole", "additional_tax_rate"),
        _ages,
    ),
    "additional_tax": FigureSource(
        ("additional_tax_applies", "additional_tax_rate", "age_59_and_a_half_on"),
        lambda s: additional_tax(s.plan, s.person, s.as_of),
    ),
    "rmd": FigureSource(
        ("rmd_age", "rmd_age_year", "rmd_delayed_while_working", "first_rmd_due"),
        lambda s: rmd_start(s.plan, s.person, s.limits),
    ),
    "escalation": FigureSource(
        (
            "current_deferral_pct",
            "auto_escalation",
            "escalation_cap_pct",
            "escalation_step_pct",
            "next_escalation_date",
            "next_escalation_pct",
            "escalation_cap_reached_on",
        ),
        _escalation,
    ),
    "vesting": FigureSource(
        (
            "years_of_vesting_service",
            "vested_pct",
            "employer_balance",
            "vested_employer_balance",
            "vested_balance",
            "years_to_full_vesting",
            "next_vesting_years",
            "next_vested_pct",
        ),
        lambda s: vesting(s.plan, s.person),
    ),
    "loans": FigureSource(
        (
            "vested_balance",
            "loan_limit_by_50000",
            "loan_limit_by_half_vested",
            "loan_maximum",
            "loan_minimum",
            "loans_outstanding",
            "loan_max_outstanding",
            "loan_fee",
        ),
        lambda s: loan_maximum(s.plan, s.person),
    ),
}

EVENT_PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "*": ("event_date",),
    "market.drop": ("market_index", "market_decline_pct", "market_from"),
    "date.plan_deadline": ("deadline_description",),
}
"""placeholders filled from the triggering event, by event kind ("*": every kind)"""


def long_date(value: str | dt.date) -> str:
    d = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
    return f"{d:%B} {d.day}, {d.year}"


def formatted(f: Figure) -> str:
    """How a figure reads in a nudge: $1,440 / 4% / January 1, 2027 / 73."""
    v = f.value
    if f.unit == "USD":
        return money(float(v))
    if f.unit == "percent":
        return pct(float(v))
    if f.unit == "date":
        return long_date(str(v))
    if f.unit in ("age", "years", "year", "count"):
        return f"{float(v):g}"
    return str(v)
