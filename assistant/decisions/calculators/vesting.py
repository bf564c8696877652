"""Vesting: the vested percentage of employer money from years of vesting service, and balances."""

from __future__ import annotations

from assistant.decisions.calculators import Figure, MissingData
from assistant.records.participants import Participant
from assistant.records.provisions import PlanProvisions


def vested_pct(plan: PlanProvisions, years: int) -> float:
    pct = 0.0
    for step in sorted(plan.vesting.schedule, key=lambda s: s.years):
        if years >= step.years:
            pct = step.pct
    return pct


def vesting(plan: PlanProvisions, person: Participant, years_ahead: int = 0) -> list[Figure]:
    """Vested share of employer money now, or `years_ahead` years of service from now."""
    rule = f"{plan.spd_doc_id}#{plan.vesting.section}"
    src = "calculator:vesting"
    full_at = min((s.years for s in plan.vesting.schedule if s.pct >= 100), default=None)
    if all(s.pct >= 100 for s in plan.vesting.schedule):
        pct = 100.0
        years = person.years_of_vesting_service or 0
    else:
        if person.years_of_vesting_service is None:
            raise MissingData("years_of_vesting_service", "How many years have you worked for your employer?")
        years = person.years_of_vesting_service + years_ahead
        pct = vested_pct(plan, years)
    inputs = {"years_of_vesting_service": years, "employer_balance": person.balance_employer}
    if years_ahead:
        inputs["years_ahead"] = years_ahead
    vested_employer = round(person.balance_employer * pct / 100, 2)
    figures = [
        Figure("years_of_vesting_service", years, "years", {}, src, None),
        Figure("vested_pct", pct, "percent", inputs, src, rule),
        Figure("employer_balance", person.balance_employer, "USD", {}, src, None),
        Figure("vested_employer_balance", vested_employer, "USD", inputs, src, rule),
        Figure(
            "vested_balance",
            round(person.balance_employee + vested_employer, 2),
            "USD",
            inputs | {"employee_balance": person.balance_employee},
            src,
            rule,
        ),
    ]
    if full_at is not None and years < full_at:
        next_step = min((s for s in plan.vesting.schedule if s.years > years), key=lambda s: s.years)
        figures += [
            Figure(
                "years_to_full_vesting", full_at - years, "years", inputs | {"full_vesting_years": full_at}, src, rule
            ),
            Figure("next_vesting_years", next_step.years, "years", {}, src, rule),
            Figure("next_vested_pct", next_step.pct, "percent", {}, src, rule),
        ]
    return figures


def account_summary(plan: PlanProvisions, person: Participant) -> list[Figure]:
    src = "calculator:account"
    figures = [
        Figure(
            "balance_total",
            round(person.balance, 2),
            "USD",
            {"employee": person.balance_employee, "employer": person.balance_employer},
            src,
            None,
        ),
        Figure("balance_employee", person.balance_employee, "USD", {}, src, None),
        Figure("balance_employer", person.balance_employer, "USD", {}, src, None),
    ]
    if person.deferral_pct is not None:
        figures.append(Figure("deferral_pct", person.deferral_pct, "percent", {}, src, None))
    return figures
