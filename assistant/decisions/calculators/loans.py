"""Loan maximum under IRC 72(p) and the plan's own minimum and count limits."""

from __future__ import annotations

from assistant.decisions.calculators import Figure
from assistant.decisions.calculators.vesting import vested_pct
from assistant.records.participants import Participant
from assistant.records.provisions import PlanProvisions

LEGAL_CAP = 50000.0  # IRC 72(p)(2)(A)(i); not indexed


def loan_maximum(plan: PlanProvisions, person: Participant) -> list[Figure]:
    """The largest new loan: min($50,000 - highest balance in the last 12 months,
    50% of the vested balance - balance owed now), then the plan's minimum and count rules."""
    rule = f"{plan.spd_doc_id}#{plan.loans.section}"
    src = "calculator:loans"
    years = person.years_of_vesting_service or 0
    vested = person.balance_employee + person.balance_employer * vested_pct(plan, years) / 100
    owed = person.outstanding_loan_balance
    highest = max(person.highest_loan_balance_12m, owed)
    by_cap = LEGAL_CAP - highest
    by_half = 0.5 * vested - owed
    largest = max(0.0, min(by_cap, by_half))
    reason = "ok"
    if not plan.loans.available:
        largest, reason = 0.0, "plan_has_no_loans"
    elif person.employment_status != "active":
        largest, reason = 0.0, "not_employed"
    elif person.loans_outstanding >= plan.loans.max_outstanding:
        largest, reason = 0.0, "too_many_loans"
    elif largest < plan.loans.min_amount:
        largest, reason = 0.0, "below_plan_minimum"
    inputs = {
        "vested_balance": round(vested, 2),
        "outstanding_loan_balance": owed,
        "highest_balance_12m": highest,
        "legal_cap": LEGAL_CAP,
        "loans_outstanding": person.loans_outstanding,
        "plan_max_loans": plan.loans.max_outstanding,
        "plan_min_loan": plan.loans.min_amount,
        "reason": reason,
    }
    return [
        Figure("vested_balance", round(vested, 2), "USD", {}, src, None),
        Figure("loan_limit_by_50000", round(by_cap, 2), "USD", inputs, src, rule),
        Figure("loan_limit_by_half_vested", round(by_half, 2), "USD", inputs, src, rule),
        Figure("loan_maximum", round(largest, 2), "USD", inputs, src, rule),
        Figure("loan_minimum", plan.loans.min_amount, "USD", {}, src, rule),
        Figure("loans_outstanding", person.loans_outstanding, "count", {}, src, None),
        Figure("loan_max_outstanding", plan.loans.max_outstanding, "count", {}, src, f"{plan.spd_doc_id}#7.2"),
        Figure("loan_fee", plan.loans.origination_fee, "USD", {}, src, f"{plan.spd_doc_id}#{plan.fees.section}"),
        Figure("loan_balance_owed", owed, "USD", {}, src, None),
    ]
