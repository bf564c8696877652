"""Roth and pre-tax contributions side by side: how today's contributions split, per paycheck."""

from __future__ import annotations

from assistant.decisions.calculators import Figure, MissingData
from assistant.records.participants import Participant
from assistant.records.provisions import IrsLimits, PlanProvisions

EDUCATION = "general/roth-vs-traditional"


def roth_comparison(plan: PlanProvisions, person: Participant | None, limits: IrsLimits) -> list[Figure]:
    """Whether the plan offers Roth, and the participant's contributions per paycheck by kind (gross)."""
    rule = f"{plan.spd_doc_id}#{plan.roth.section}"
    src = "calculator:roth"
    limit = Figure(
        "elective_deferral_limit",
        limits.value("elective_deferral_402g"),
        "USD",
        {"year": limits.year, "counts": "pre-tax and Roth together"},
        src,
        f"{EDUCATION}#3",
    )
    if not plan.roth.available:
        return [Figure("roth_available", 0.0, "flag", {"plan": plan.plan_id}, src, rule), limit]
    if person is None:  # the plan's rule without personal figures
        return [Figure("roth_available", 1.0, "flag", {"plan": plan.plan_id}, src, rule), limit]
    if person.annual_salary is None:
        raise MissingData("annual_salary", "What is your annual pay before taxes, roughly?")
    if person.deferral_pct is None:
        raise MissingData("deferral_pct", "What percentage of your pay are you contributing now?")
    pay = min(person.annual_salary, limits.value("compensation_401a17"))
    periods = plan.pay_periods_per_year
    yearly = min(pay * person.deferral_pct / 100, limits.value("elective_deferral_402g"))
    roth_share = person.roth_pct / person.deferral_pct if person.deferral_pct else 0.0
    inputs = {
        "annual_pay": pay,
        "deferral_pct": person.deferral_pct,
        "roth_pct": person.roth_pct,
        "pay_periods_per_year": periods,
    }
    per_paycheck = round(yearly / periods, 2)
    roth_pp = round(per_paycheck * roth_share, 2)
    return [
        Figure("roth_available", 1.0, "flag", {"plan": plan.plan_id}, src, rule),
        Figure("deferral_pct", person.deferral_pct, "percent", {}, src, None),
        Figure("roth_pct", person.roth_pct, "percent", {}, src, rule),
        Figure("pretax_pct", round(person.deferral_pct - person.roth_pct, 2), "percent", {}, src, rule),
        Figure("contribution_per_paycheck", per_paycheck, "USD", inputs, src, None),
        Figure("roth_per_paycheck", roth_pp, "USD", inputs, src, rule),
        Figure("pretax_per_paycheck", round(per_paycheck - roth_pp, 2), "USD", inputs, src, rule),
        limit,
    ]
