"""Contribution changes: the per-paycheck effect of a new rate, and the auto-escalation schedule."""

from __future__ import annotations

import datetime as dt

from assistant.decisions.calculators import Figure, MissingData
from assistant.decisions.calculators.match import match_pct_of_pay
from assistant.records.participants import Participant
from assistant.records.provisions import IrsLimits, PlanProvisions


def contribution_change(plan: PlanProvisions, person: Participant, limits: IrsLimits, new_pct: float) -> list[Figure]:
    """Gross per-paycheck change in contributions and match for a new rate (taxes not included)."""
    if person.annual_salary is None:
        raise MissingData("annual_salary", "What is your annual pay before taxes, roughly?")
    if person.deferral_pct is None:
        raise MissingData("deferral_pct", "What percentage of your pay are you contributing now?")
    if not plan.contributions.min_pct <= new_pct <= plan.contributions.max_pct:
        raise MissingData(
            "new_pct",
            f"The plan allows {plan.contributions.min_pct:g}% to "
            f"{plan.contributions.max_pct:g}% of pay; what rate would you like to look at?",
            rule=f"{plan.spd_doc_id}#{plan.contributions.section}",
        )
    pay = min(person.annual_salary, limits.value("compensation_401a17"))
    periods = plan.pay_periods_per_year
    rule = f"{plan.spd_doc_id}#{plan.match.section}"
    src = "calculator:contribution_change"
    delta_pct = new_pct - person.deferral_pct
    yearly = min(pay * new_pct / 100, limits.value("elective_deferral_402g")) - min(
        pay * person.deferral_pct / 100, limits.value("elective_deferral_402g")
    )
    match_delta = pay * (match_pct_of_pay(plan, new_pct) - match_pct_of_pay(plan, person.deferral_pct)) / 100
    inputs = {
        "annual_pay": pay,
        "current_pct": person.deferral_pct,
        "new_pct": new_pct,
        "pay_periods_per_year": periods,
    }
    return [
        Figure("new_deferral_pct", new_pct, "percent", {}, src, None),
        Figure("deferral_pct", person.deferral_pct, "percent", {}, src, None),
        Figure(
            "contribution_change_per_paycheck",
            round(yearly / periods, 2),
            "USD",
            inputs,
            src,
            f"{plan.spd_doc_id}#{plan.contributions.section}",
        ),
        Figure("match_change_per_paycheck", round(match_delta / periods, 2), "USD", inputs, src, rule),
        Figure("contribution_change_per_year", round(yearly, 2), "USD", inputs, src, None),
        Figure("match_change_per_year", round(match_delta, 2), "USD", inputs, src, rule),
        Figure(
            "match_at_new_rate_per_year",
            round(pay * match_pct_of_pay(plan, new_pct) / 100, 2),
            "USD",
            inputs,
            src,
            rule,
        ),
        Figure("rate_change_pct", delta_pct, "percent", {}, src, None),
    ]


def contribution_range(plan: PlanProvisions) -> list[Figure]:
    """The share of pay the plan lets a person contribute each pay period (its own rule, beside the IRS limit)."""
    rule, src = f"{plan.spd_doc_id}#{plan.contributions.section}", "plan:contributions"
    return [
        Figure("contribution_min_pct", plan.contributions.min_pct, "percent", {}, src, rule),
        Figure("contribution_max_pct", plan.contributions.max_pct, "percent", {}, src, rule),
    ]


def escalation_schedule(plan: PlanProvisions, person: Participant, today: dt.date) -> list[Figure]:
    """The automatic increases ahead, each January 1, until the plan's cap."""
    esc = plan.auto_escalation
    rule = f"{plan.spd_doc_id}#{esc.section}"
    src = "calculator:auto_escalation"
    if not esc.enabled or esc.step_pct is None or esc.cap_pct is None:
        return [Figure("auto_escalation", 0.0, "flag", {"plan_has_escalation": False}, src, rule)]
    if not person.auto_enrolled:
        return [Figure("auto_escalation", 0.0, "flag", {"auto_enrolled": False}, src, rule)]
    if person.deferral_pct is None:
        raise MissingData("deferral_pct", "What percentage of your pay are you contributing now?")
    rate, year = person.deferral_pct, today.year + 1
    steps: list[tuple[str, float]] = []
    while rate < esc.cap_pct and len(steps) < 15:
        rate = min(esc.cap_pct, rate + esc.step_pct)
        steps.append((dt.date(year, 1, 1).isoformat(), rate))
        year += 1
    inputs = {"current_pct": person.deferral_pct, "step_pct": esc.step_pct, "cap_pct": esc.cap_pct}
    figures = [
        Figure("auto_escalation", 1.0, "flag", inputs, src, rule),
        Figure("escalation_cap_pct", esc.cap_pct, "percent", {}, src, rule),
        Figure("escalation_step_pct", esc.step_pct, "percent", {}, src, rule),
    ]
    if steps:
        figures += [
            Figure("next_escalation_date", steps[0][0], "date", inputs, src, rule),
            Figure("next_escalation_pct", steps[0][1], "percent", inputs, src, rule),
            Figure("escalation_cap_reached_on", steps[-1][0], "date", inputs | {"steps": steps}, src, rule),
        ]
    return figures


def hardship_eligibility(plan: PlanProvisions, reason: str) -> list[Figure]:
    rule = f"{plan.spd_doc_id}#{plan.hardship.section}"
    allowed = plan.hardship.available and reason in plan.hardship.reasons
    return [
        Figure(
            "hardship_reason_allowed",
            1.0 if allowed else 0.0,
            "flag",
            {"reason": reason, "plan_reasons": list(plan.hardship.reasons), "sources": plan.hardship.sources},
            "calculator:hardship",
            rule,
        )
    ]
