"""Loan maximum, RMD start, the 10% additional tax, contribution changes, auto-escalation and
hardship reasons — table-driven against hand calculations, with edge cases."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.decisions.calculators import MissingData
from assistant.decisions.calculators.contributions import contribution_change, escalation_schedule, hardship_eligibility
from assistant.decisions.calculators.distributions import additional_tax, rmd_age, rmd_start
from assistant.decisions.calculators.loans import loan_maximum
from tests.assistant.test_calculators import ACME, CEDAR, LIMITS, figures, person

TODAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize(
    "plan,kw,maximum,reason",
    [
        # Lena: vested $42,000 (Acme is 100% vested); owes $5,000; highest $6,200 in 12 months
        # min(50,000 - 6,200, 21,000 - 5,000) = $16,000
        (
            ACME,
            dict(
                balance_employee=28000,
                balance_employer=14000,
                outstanding_loan_balance=5000,
                highest_loan_balance_12m=6200,
                loans_outstanding=1,
            ),
            16000,
            "ok",
        ),
        # large balance: the $50,000 cap binds, reduced by the highest balance in the last 12 months
        (ACME, dict(balance_employee=300000, highest_loan_balance_12m=20000), 30000, "ok"),
        (ACME, dict(balance_employee=300000), 50000, "ok"),
        # Cedar counts only the vested part of the match: 3 years -> 40% of $10,000
        (CEDAR, dict(balance_employee=6000, balance_employer=10000, years_of_vesting_service=3), 5000, "ok"),
        # below the plan minimum ($2,000 at Cedar): 50% of $3,000 = $1,500
        (CEDAR, dict(balance_employee=3000), 0, "below_plan_minimum"),
        # Cedar allows one loan at a time
        (CEDAR, dict(balance_employee=80000, outstanding_loan_balance=1000, loans_outstanding=1), 0, "too_many_loans"),
        # a former employee cannot take a new loan
        (ACME, dict(balance_employee=80000, employment_status="terminated"), 0, "not_employed"),
        # zero balance
        (ACME, dict(), 0, "below_plan_minimum"),
    ],
)
def test_loan_maximum(plan, kw: dict, maximum: float, reason: str) -> None:  # type: ignore[no-untyped-def,type-arg]
    fs = {f.name: f for f in loan_maximum(plan, person(plan_id=plan.plan_id, **kw))}
    assert fs["loan_maximum"].value == maximum
    assert fs["loan_maximum"].inputs["reason"] == reason


@pytest.mark.parametrize("year,age", [(1950, None), (1951, 73), (1959, 73), (1960, 75), (1990, 75)])
def test_rmd_age_by_birth_year(year: int, age: int | None) -> None:
    assert rmd_age(LIMITS, year) == age


def test_rmd_start_for_a_retiree_and_a_worker() -> None:
    harold = figures(rmd_start(ACME, person(birth_date="1954-06-01", employment_status="terminated"), LIMITS))
    assert harold["rmd_age"] == 73 and harold["rmd_age_year"] == 2027 and harold["first_rmd_due"] == "2028-04-01"
    walter = figures(rmd_start(CEDAR, person(plan_id="cedar-403b", birth_date="1953-02-11"), LIMITS))
    assert walter["rmd_age"] == 73 and walter["rmd_delayed_while_working"] == 1.0 and "first_rmd_due" not in walter
    young = figures(rmd_start(ACME, person(birth_date="1960-01-01", employment_status="terminated"), LIMITS))
    assert young["rmd_age"] == 75 and young["first_rmd_due"] == "2036-04-01"
    with pytest.raises(MissingData):
        rmd_start(ACME, person(), LIMITS)


@pytest.mark.parametrize(
    "kw,applies,reason,half",
    [
        (dict(birth_date="1967-05-22"), 0.0, "age_59_and_a_half", "2026-11-22"),  # 59½ today
        (dict(birth_date="1967-05-23"), 1.0, "before_59_and_a_half", "2026-11-23"),  # one day short
        (dict(birth_date="1967-08-31"), 1.0, "before_59_and_a_half", "2027-02-28"),  # no Feb 31
        (
            dict(birth_date="1980-01-01", employment_status="terminated", termination_date="2035-06-30"),
            0.0,
            "separated_in_or_after_year_of_55",
            "2039-07-01",
        ),  # left in the year of turning 55
        (
            dict(birth_date="1980-01-01", employment_status="terminated", termination_date="2034-12-31"),
            1.0,
            "before_59_and_a_half",
            "2039-07-01",
        ),  # left the year before
    ],
)
def test_additional_tax(kw: dict, applies: float, reason: str, half: str) -> None:  # type: ignore[type-arg]
    today = TODAY if kw["birth_date"].startswith("1967") else dt.date(2036, 1, 1)
    fs = {f.name: f for f in additional_tax(ACME, person(**kw), today)}
    assert fs["additional_tax_applies"].value == applies
    assert fs["additional_tax_applies"].inputs["reason"] == reason
    assert fs["age_59_and_a_half_on"].value == half


@pytest.mark.parametrize(
    "plan,salary,current,new,per_paycheck,match_per_paycheck",
    [
        (ACME, 72000, 2, 5, 83.08, 55.38),  # Daniel: +3% of $72,000 / 26; match +2% / 26
        (CEDAR, 52000, 3, 6, 65.0, 32.5),  # Aisha: +3% of $52,000 / 24; match +1.5% / 24
        (ACME, 72000, 5, 3, -55.38, -27.69),  # lowering the rate
        (ACME, 0, 2, 5, 0, 0),  # zero salary
        (CEDAR, 200000, 10, 20, 187.5, 0),  # capped at $24,500: $20,000 -> $24,500 a year = +$4,500 / 24
    ],
)
def test_contribution_change(plan, salary, current, new, per_paycheck, match_per_paycheck) -> None:  # type: ignore[no-untyped-def]
    p = person(plan_id=plan.plan_id, annual_salary=salary, deferral_pct=current)
    f = figures(contribution_change(plan, p, LIMITS, new))
    assert f["contribution_change_per_paycheck"] == pytest.approx(per_paycheck, abs=0.01)
    assert f["match_change_per_paycheck"] == pytest.approx(match_per_paycheck, abs=0.01)


def test_contribution_change_outside_plan_limits_asks() -> None:
    with pytest.raises(MissingData) as e:
        contribution_change(CEDAR, person(plan_id="cedar-403b", annual_salary=1, deferral_pct=3), LIMITS, 90)
    assert "1% to 80%" in e.value.question


def test_escalation_schedule() -> None:
    maya = {f.name: f for f in escalation_schedule(ACME, person(deferral_pct=4, auto_enrolled=True), TODAY)}
    assert maya["next_escalation_date"].value == "2027-01-01" and maya["next_escalation_pct"].value == 5
    assert maya["escalation_cap_reached_on"].value == "2032-01-01"
    assert maya["escalation_cap_reached_on"].inputs["steps"][-1] == ("2032-01-01", 10)
    at_cap = figures(escalation_schedule(ACME, person(deferral_pct=10, auto_enrolled=True), TODAY))
    assert at_cap["auto_escalation"] == 1.0 and "next_escalation_date" not in at_cap
    assert figures(escalation_schedule(ACME, person(deferral_pct=4), TODAY))["auto_escalation"] == 0.0
    assert (
        figures(escalation_schedule(CEDAR, person(plan_id="cedar-403b", deferral_pct=4, auto_enrolled=True), TODAY))[
            "auto_escalation"
        ]
        == 0.0
    )


@pytest.mark.parametrize(
    "plan,reason,allowed",
    [
        (ACME, "federal_disaster", 1.0),
        (CEDAR, "federal_disaster", 0.0),
        (CEDAR, "eviction_foreclosure", 1.0),
        (ACME, "vacation", 0.0),
    ],
)
def test_hardship_reasons(plan, reason: str, allowed: float) -> None:  # type: ignore[no-untyped-def]
    assert figures(hardship_eligibility(plan, reason))["hardship_reason_allowed"] == allowed
