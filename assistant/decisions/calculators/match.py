"""Employer match: captured, full and missed, per year and per paycheck (true-up aware)."""

from __future__ import annotations

import datetime as dt

from assistant.decisions.calculators import Figure, MissingData
from assistant.records.participants import Participant
from assistant.records.provisions import IrsLimits, PlanProvisions


def match_pct_of_pay(plan: PlanProvisions, deferral_pct: float) -> float:
    """Match as a percent of pay for a deferral rate, applying each tier to its slice."""
    lower, total = 0.0, 0.0
    for tier in plan.match.tiers:
        total += max(0.0, min(deferral_pct, tier.up_to_pct) - lower) * tier.rate
        lower = tier.up_to_pct
    return round(total, 6)


def _annual_match(plan: PlanProvisions, pay: float, deferral_pct: float, deferral_cap: float) -> float:
    """Match for a year. Without a true-up, the match stops once deferrals hit the annual cap."""
    full_formula = pay * match_pct_of_pay(plan, deferral_pct) / 100
    deferrals = pay * deferral_pct / 100
    if plan.match.true_up or deferrals <= deferral_cap or deferrals == 0:
        return full_formula
    return full_formula * deferral_cap / deferrals


def _add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    return dt.date(day.year + y, m + 1, 1)


def match_eligibility_date(plan: PlanProvisions, person: Participant) -> dt.date | None:
    """First day of the month after the wait and minimum age are both met (None: no wait)."""
    e = plan.eligibility
    if e.match_wait_months == 0 and e.match_min_age == 0:
        return None
    dates = []
    if person.hire_date is not None:
        dates.append(_add_months(person.hire_date, e.match_wait_months + 1))
    if person.birth_date is not None and e.match_min_age:
        b = person.birth_date
        birthday = dt.date(b.year + e.match_min_age, b.month, 28 if (b.month, b.day) == (2, 29) else b.day)
        dates.append(_add_months(birthday, 1))
    return max(dates) if dates else None


def employer_match(plan: PlanProvisions, person: Participant, limits: IrsLimits, today: dt.date) -> list[Figure]:
    if person.annual_salary is None:
        raise MissingData("annual_salary", "What is your annual pay before taxes, roughly?")
    if person.deferral_pct is None:
        raise MissingData("deferral_pct", "What percentage of your pay are you contributing now?")
    rule = f"{plan.spd_doc_id}#{plan.match.section}"
    pay = min(person.annual_salary, limits.value("compensation_401a17"))
    cap = limits.value("elective_deferral_402g")
    full_pct = plan.match.full_match_deferral_pct
    current = _annual_match(plan, pay, person.deferral_pct, cap)
    full = _annual_match(plan, pay, max(person.deferral_pct, full_pct), cap)
    missed = max(0.0, full - current)
    periods = plan.pay_periods_per_year
    inputs = {
        "annual_pay": pay,
        "deferral_pct": person.deferral_pct,
        "full_match_deferral_pct": full_pct,
        "max_match_pct_of_pay": plan.match.max_match_pct,
        "pay_periods_per_year": periods,
        "true_up": plan.match.true_up,
        "year": limits.year,
    }
    src = "calculator:match"
    eligible_from = match_eligibility_date(plan, person)
    waiting: list[Figure] = []
    if eligible_from is not None and eligible_from > today:
        waiting = [
            Figure(
                "match_eligibility_date",
                eligible_from.isoformat(),
                "date",
                {"hire_date": str(person.hire_date), "wait_months": plan.eligibility.match_wait_months},
                src,
                f"{plan.spd_doc_id}#{plan.eligibility.section}",
            )
        ]
    return [
        *waiting,
        Figure("annual_pay", pay, "USD", {}, src, None),
        Figure("deferral_pct", person.deferral_pct, "percent", {}, src, None),
        Figure("full_match_deferral_pct", full_pct, "percent", {}, src, rule),
        Figure("max_match_pct_of_pay", plan.match.max_match_pct, "percent", {}, src, rule),
        Figure("current_match_pct_of_pay", match_pct_of_pay(plan, person.deferral_pct), "percent", inputs, src, rule),
        Figure("annual_match_current", round(current, 2), "USD", inputs, src, rule),
        Figure("annual_match_full", round(full, 2), "USD", inputs, src, rule),
        Figure("annual_match_missed", round(missed, 2), "USD", inputs, src, rule),
        Figure("per_paycheck_match_missed", round(missed / periods, 2), "USD", inputs, src, rule),
        Figure(
            "extra_deferral_per_paycheck",
            round(pay * max(0.0, full_pct - person.deferral_pct) / 100 / periods, 2),
            "USD",
            inputs,
            src,
            rule,
        ),
    ]
