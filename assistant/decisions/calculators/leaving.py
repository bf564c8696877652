"""Leaving the employer: what is vested and what each choice (stay, roll over, cash out) would cost.

Figures are on today's balances; `years_ahead` looks at leaving in a later year ("and if I leave
next year?"): one more year of vesting service and the age in that year.
"""

from __future__ import annotations

import datetime as dt

from assistant.decisions.calculators import Figure, MissingData
from assistant.decisions.calculators.distributions import age_59_and_a_half_on
from assistant.decisions.calculators.vesting import vested_pct
from assistant.records.participants import Participant
from assistant.records.provisions import IrsLimits, PlanProvisions

WITHHOLDING_RATE = 20.0  # IRC 3405(c): mandatory withholding on an eligible rollover distribution paid to you
ADDITIONAL_TAX_RATE = 10.0  # IRC 72(t)(1)
EDUCATION = "general/rollovers"


def leaving_options(
    plan: PlanProvisions, person: Participant, limits: IrsLimits, today: dt.date, years_ahead: int = 0
) -> list[Figure]:
    src = "calculator:leaving"
    rule = f"{plan.spd_doc_id}#{plan.distributions.section}"
    taxes = f"{plan.spd_doc_id}#{plan.sections['taxes']}"
    if person.birth_date is None:
        raise MissingData("birth_date", "What is your date of birth (or at least the year you were born)?")
    all_vested = all(s.pct >= 100 for s in plan.vesting.schedule)
    if person.years_of_vesting_service is None and not all_vested:
        raise MissingData("years_of_vesting_service", "How many years have you worked for your employer?")
    ended = person.termination_date if person.employment_status == "terminated" else None
    left = ended is not None
    if ended is not None:  # already left: the figures are for the separation that happened
        years_ahead = 0
    leave_year = ended.year if ended is not None else today.year + years_ahead
    years = (person.years_of_vesting_service or 0) + years_ahead
    pct = 100.0 if all_vested else vested_pct(plan, years)
    vested_employer = round(person.balance_employer * pct / 100, 2)
    vested = round(person.balance_employee + vested_employer, 2)
    age_end = leave_year - person.birth_date.year
    half = age_59_and_a_half_on(person.birth_date)
    leave_day = today if years_ahead == 0 else dt.date(leave_year, today.month, min(today.day, 28))
    if max(leave_day, today) >= half:
        tax_reason = "age_59_and_a_half"
    elif age_end >= int(limits.ages.separation_from_service_age):
        tax_reason = "separated_in_or_after_year_of_55"
    else:
        tax_reason = "before_59_and_a_half"
    applies = tax_reason == "before_59_and_a_half"
    inputs = {
        "years_ahead": years_ahead,
        "leave_year": leave_year,
        "years_of_vesting_service": years,
        "employee_balance": person.balance_employee,
        "employer_balance": person.balance_employer,
        "vested_pct": pct,
        "already_left": left,
    }
    withheld = round(vested * WITHHOLDING_RATE / 100, 2)
    extra_tax = round(vested * ADDITIONAL_TAX_RATE / 100, 2) if applies else 0.0
    min_balance = plan.distributions.stay_in_plan_min_balance
    figures = [
        Figure("leave_year", leave_year, "year", inputs, src, None),
        Figure("vested_pct", pct, "percent", inputs, src, f"{plan.spd_doc_id}#{plan.vesting.section}"),
        Figure("vested_balance", vested, "USD", inputs, src, f"{plan.spd_doc_id}#{plan.vesting.section}"),
        Figure(
            "forfeited_if_leaving",
            round(person.balance_employer - vested_employer, 2),
            "USD",
            inputs,
            src,
            f"{plan.spd_doc_id}#{plan.vesting.section}",
        ),
        Figure("stay_in_plan_allowed", 1.0 if vested > min_balance else 0.0, "flag", inputs, src, rule),
        Figure("stay_in_plan_min_balance", min_balance, "USD", {}, src, rule),
        Figure(
            "plan_fee_per_year",
            plan.fees.recordkeeping_per_quarter * 4,
            "USD",
            {"per_quarter": plan.fees.recordkeeping_per_quarter},
            src,
            f"{plan.spd_doc_id}#{plan.fees.section}",
        ),
        Figure("cash_out_withholding", withheld, "USD", inputs | {"rate_pct": WITHHOLDING_RATE}, src, taxes),
        Figure("withholding_rate", WITHHOLDING_RATE, "percent", {}, src, taxes),
        Figure(
            "cash_out_additional_tax",
            extra_tax,
            "USD",
            inputs | {"rate_pct": ADDITIONAL_TAX_RATE, "reason": tax_reason, "age_at_year_end": age_end},
            src,
            taxes,
        ),
        Figure("additional_tax_rate", ADDITIONAL_TAX_RATE, "percent", {}, src, "general/additional-tax#1"),
        Figure("age_in_leave_year", age_end, "age", {}, src, None),
    ]
    if person.outstanding_loan_balance > 0:
        figures.append(
            Figure(
                "loan_balance_owed",
                person.outstanding_loan_balance,
                "USD",
                {},
                src,
                f"{plan.spd_doc_id}#{plan.sections['loan_on_leaving']}",
            )
        )
    return figures
