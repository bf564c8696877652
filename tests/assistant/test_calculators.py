"""Calculators, table-driven against hand calculations, with edge cases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assistant.decisions.calculators import MissingData, money
from assistant.decisions.calculators.limits import catch_up, contribution_limit
from assistant.decisions.calculators.match import employer_match, match_eligibility_date, match_pct_of_pay
from assistant.decisions.calculators.vesting import vested_pct, vesting
from assistant.records.participants import Participant
from assistant.records.provisions import load_limits, load_plans

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"
PLANS = load_plans(KNOWLEDGE)
LIMITS = load_limits(KNOWLEDGE)[2026]
ACME, CEDAR = PLANS["acme-401k"], PLANS["cedar-403b"]
TODAY = dt.date(2026, 11, 22)


def person(**kw: object) -> Participant:
    base: dict[str, object] = {"participant_id": "A-0001", "plan_id": "acme-401k", "first_name": "Test"}
    return Participant.model_validate(base | kw)


def figures(fs: list) -> dict[str, object]:  # type: ignore[type-arg]
    return {f.name: f.value for f in fs}


@pytest.mark.parametrize(
    "plan,deferral,expected",
    [
        (ACME, 0, 0),
        (ACME, 1, 1),
        (ACME, 3, 3),
        (ACME, 4, 3.5),
        (ACME, 5, 4),
        (ACME, 10, 4),
        (CEDAR, 0, 0),
        (CEDAR, 2, 1),
        (CEDAR, 6, 3),
        (CEDAR, 15, 3),
    ],
)
def test_match_percent_of_pay(plan, deferral: float, expected: float) -> None:  # type: ignore[no-untyped-def]
    assert match_pct_of_pay(plan, deferral) == pytest.approx(expected)


@pytest.mark.parametrize(
    "plan,salary,deferral,current,full,missed,per_paycheck",
    [
        # Daniel: 2% of $72,000 at Acme -> 2% match $1,440; full 4% $2,880; 26 paychecks
        (ACME, 72000, 2, 1440, 2880, 1440, 55.38),
        # Aisha: 3% of $52,000 at Cedar -> 1.5% $780; full 3% $1,560; 24 paychecks
        (CEDAR, 52000, 3, 780, 1560, 780, 32.5),
        # at or above the full-match rate nothing is missed
        (ACME, 95000, 8, 3800, 3800, 0, 0),
        # zero salary
        (ACME, 0, 5, 0, 0, 0, 0),
        # pay above the 2026 401(a)(17) cap ($360,000) counts only to the cap
        (ACME, 500000, 5, 14400, 14400, 0, 0),
        # Cedar has no true-up: 20% of $200,000 = $40,000 of deferrals, capped at $24,500,
        # so match stops after 24,500/40,000 of the year: 3% * 200,000 * 0.6125 = $3,675
        (CEDAR, 200000, 20, 3675, 3675, 0, 0),
        # Acme has a true-up: the full formula applies
        (ACME, 200000, 20, 8000, 8000, 0, 0),
    ],
)
def test_employer_match(plan, salary, deferral, current, full, missed, per_paycheck) -> None:  # type: ignore[no-untyped-def]
    p = person(
        plan_id=plan.plan_id,
        annual_salary=salary,
        deferral_pct=deferral,
        hire_date="2015-01-01",
        birth_date="1980-01-01",
    )
    f = figures(employer_match(plan, p, LIMITS, TODAY))
    assert f["annual_match_current"] == pytest.approx(current, abs=0.01)
    assert f["annual_match_full"] == pytest.approx(full, abs=0.01)
    assert f["annual_match_missed"] == pytest.approx(missed, abs=0.01)
    assert f["per_paycheck_match_missed"] == pytest.approx(per_paycheck, abs=0.01)


def test_match_needs_salary_and_rate() -> None:
    with pytest.raises(MissingData) as e:
        employer_match(ACME, person(deferral_pct=3), LIMITS, TODAY)
    assert e.value.field_name == "annual_salary" and e.value.question.endswith("?")
    with pytest.raises(MissingData) as e:
        employer_match(ACME, person(annual_salary=50000), LIMITS, TODAY)
    assert e.value.field_name == "deferral_pct"


@pytest.mark.parametrize(
    "hire,birth,expected",
    [
        ("2025-03-03", "1995-12-01", dt.date(2026, 4, 1)),  # one year, then first of next month
        ("2026-01-31", "1990-01-01", dt.date(2027, 2, 1)),
        ("2026-01-01", "2006-06-15", dt.date(2027, 7, 1)),  # age 21 comes later than a year of service
        ("2024-01-01", "2004-02-29", dt.date(2025, 3, 1)),  # leap-day birthday: 21 on Feb 28, 2025
    ],
)
def test_cedar_match_eligibility_date(hire: str, birth: str, expected: dt.date) -> None:
    p = person(plan_id="cedar-403b", hire_date=hire, birth_date=birth)
    got = match_eligibility_date(CEDAR, p)
    assert got == expected


def test_acme_match_has_no_wait() -> None:
    assert match_eligibility_date(ACME, person(hire_date="2026-11-01")) is None


def test_waiting_participant_gets_the_date() -> None:
    p = person(
        plan_id="cedar-403b", hire_date="2026-06-01", birth_date="1990-01-01", annual_salary=50000, deferral_pct=6
    )
    f = figures(employer_match(CEDAR, p, LIMITS, TODAY))
    assert f["match_eligibility_date"] == "2027-07-01"


def test_contribution_limit_2026() -> None:
    [f] = contribution_limit(LIMITS)
    assert (f.value, f.unit, f.rule) == (24500, "USD", "general/contribution-limits-2026#1")


@pytest.mark.parametrize(
    "birth,wages,plan,amount,reason",
    [
        ("1977-01-01", 90000, ACME, 0, "under_50"),  # 49 at the end of 2026
        ("1976-12-31", 90000, ACME, 8000, "age_50_plus"),  # turns 50 on Dec 31, 2026: eligible
        ("1976-01-01", 90000, ACME, 8000, "age_50_plus"),
        ("1967-06-01", 90000, ACME, 8000, "age_50_plus"),  # 59
        ("1966-12-31", 90000, ACME, 11250, "age_60_to_63"),  # 60 by Dec 31
        ("1963-01-01", 90000, ACME, 11250, "age_60_to_63"),  # 63
        ("1962-12-31", 90000, ACME, 8000, "age_50_plus"),  # 64: back to the regular catch-up
        ("1964-01-19", 180000, CEDAR, 0, "roth_required_but_plan_has_no_roth"),  # Grace
        ("1964-01-19", 150000, CEDAR, 11250, "age_60_to_63"),  # exactly $150,000 is not "more than"
        ("1964-01-19", 180000, ACME, 11250, "age_60_to_63"),  # Acme has Roth: allowed, must be Roth
    ],
)
def test_catch_up(birth: str, wages: float, plan, amount: float, reason: str) -> None:  # type: ignore[no-untyped-def]
    p = person(plan_id=plan.plan_id, birth_date=birth, prior_year_fica_wages=wages)
    fs = {f.name: f for f in catch_up(LIMITS, plan, p)}
    assert fs["your_catch_up_limit"].value == amount
    assert fs["your_catch_up_limit"].inputs["reason"] == reason
    assert fs["your_total_deferral_limit"].value == 24500 + amount
    assert fs["catch_up_must_be_roth"].value == (1.0 if wages > 150000 else 0.0)


def test_catch_up_without_profile_gives_the_general_limits() -> None:
    f = figures(catch_up(LIMITS, None, None))
    assert f == {"catch_up_limit_50_plus": 8000, "catch_up_limit_60_to_63": 11250}


@pytest.mark.parametrize("years,pct", [(0, 0), (1, 0), (2, 20), (3, 40), (4, 60), (5, 80), (6, 100), (30, 100)])
def test_cedar_graded_vesting(years: int, pct: float) -> None:
    assert vested_pct(CEDAR, years) == pct


def test_vesting_balances() -> None:
    p = person(plan_id="cedar-403b", years_of_vesting_service=3, balance_employee=12400, balance_employer=3900)
    f = figures(vesting(CEDAR, p))
    assert f["vested_pct"] == 40 and f["vested_employer_balance"] == 1560 and f["vested_balance"] == 13960
    assert f["years_to_full_vesting"] == 3 and f["next_vesting_years"] == 4 and f["next_vested_pct"] == 60
    acme = figures(vesting(ACME, person(balance_employer=100)))
    assert acme["vested_pct"] == 100 and "years_to_full_vesting" not in acme
    with pytest.raises(MissingData):
        vesting(CEDAR, person(plan_id="cedar-403b"))


@pytest.mark.parametrize(
    "value,text", [(1440, "$1,440"), (55.38, "$55.38"), (32.5, "$32.50"), (0, "$0"), (24500.0, "$24,500")]
)
def test_money_format(value: float, text: str) -> None:
    assert money(value) == text
