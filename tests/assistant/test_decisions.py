"""The decision calculators (leaving, Roth split, money now, beneficiaries) and the words they read
from a message — table-driven against hand calculations, with edge cases; then the conversation
flows end to end: a clarifying question answered, a follow-up about next year, a hand-off summary."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.decisions.calculators import MissingData
from assistant.decisions.calculators.beneficiaries import beneficiary_review
from assistant.decisions.calculators.leaving import leaving_options
from assistant.decisions.calculators.roth import roth_comparison
from assistant.decisions.calculators.withdrawals import hardship_reason, money_now
from assistant.records.participants import LifeEvent
from assistant.understanding import phrases
from tests.assistant.test_calculators import ACME, CEDAR, LIMITS, figures, person

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    "plan,kw,ahead,want",
    [
        # Marcus: Acme is 100% vested: $61,000 + $27,000; 20% withheld; 45 in 2026 -> 10% applies
        (
            ACME,
            dict(birth_date="1981-11-03", balance_employee=61000, balance_employer=27000, years_of_vesting_service=11),
            0,
            dict(
                vested_balance=88000,
                cash_out_withholding=17600,
                cash_out_additional_tax=8800,
                forfeited_if_leaving=0,
                plan_fee_per_year=72,
                stay_in_plan_allowed=1,
            ),
        ),
        # Elena: Cedar 3 years = 40% of $3,900 = $1,560; next year 4 years = 60% = $2,340
        (
            CEDAR,
            dict(
                plan_id="cedar-403b",
                birth_date="1987-10-08",
                balance_employee=12400,
                balance_employer=3900,
                years_of_vesting_service=3,
            ),
            0,
            dict(
                vested_balance=13960,
                forfeited_if_leaving=2340,
                cash_out_withholding=2792,
                cash_out_additional_tax=1396,
                plan_fee_per_year=40,
            ),
        ),
        (
            CEDAR,
            dict(
                plan_id="cedar-403b",
                birth_date="1987-10-08",
                balance_employee=12400,
                balance_employer=3900,
                years_of_vesting_service=3,
            ),
            1,
            dict(vested_balance=14740, forfeited_if_leaving=1560, leave_year=2027),
        ),
        # turns 55 on Dec 31, 2026: leaving in 2026 is "in or after the year of 55" -> no 10%
        (
            ACME,
            dict(birth_date="1971-12-31", balance_employee=10000),
            0,
            dict(cash_out_additional_tax=0, age_in_leave_year=55),
        ),
        # turns 55 on Jan 1, 2027: leaving in 2026 is before that year -> 10% applies; next year it does not
        (
            ACME,
            dict(birth_date="1972-01-01", balance_employee=10000),
            0,
            dict(cash_out_additional_tax=1000, age_in_leave_year=54),
        ),
        (
            ACME,
            dict(birth_date="1972-01-01", balance_employee=10000),
            1,
            dict(cash_out_additional_tax=0, age_in_leave_year=55),
        ),
        # past 59½ (reached May 23, 2026): no 10%
        (ACME, dict(birth_date="1966-11-23", balance_employee=10000), 0, dict(cash_out_additional_tax=0)),
        # exactly $7,000 vested is not "more than $7,000": cannot stay in the plan
        (
            ACME,
            dict(birth_date="1990-01-01", balance_employee=7000),
            0,
            dict(stay_in_plan_allowed=0, vested_balance=7000),
        ),
        # zero balance: nothing to withhold
        (
            ACME,
            dict(birth_date="1990-01-01"),
            0,
            dict(vested_balance=0, cash_out_withholding=0, stay_in_plan_allowed=0),
        ),
        # already left in 2022 at 68 (Harold): figures for that separation, "next year" ignored
        (
            ACME,
            dict(
                birth_date="1954-06-01",
                employment_status="terminated",
                termination_date="2022-12-31",
                balance_employee=226000,
                balance_employer=84000,
            ),
            1,
            dict(vested_balance=310000, leave_year=2022, cash_out_withholding=62000, cash_out_additional_tax=0),
        ),
    ],
)
def test_leaving_options(plan, kw: dict, ahead: int, want: dict) -> None:  # type: ignore[no-untyped-def,type-arg]
    got = figures(leaving_options(plan, person(**kw), LIMITS, TODAY, ahead))
    for name, value in want.items():
        assert got[name] == pytest.approx(value), name


def test_leaving_options_asks_for_what_it_needs() -> None:
    with pytest.raises(MissingData) as e:
        leaving_options(ACME, person(), LIMITS, TODAY)
    assert e.value.field_name == "birth_date"
    with pytest.raises(MissingData) as e:
        leaving_options(CEDAR, person(plan_id="cedar-403b", birth_date="1990-01-01"), LIMITS, TODAY)
    assert e.value.field_name == "years_of_vesting_service"


def test_a_loan_owed_is_part_of_leaving() -> None:
    got = figures(
        leaving_options(
            ACME, person(birth_date="1993-01-30", balance_employee=1000, outstanding_loan_balance=5000), LIMITS, TODAY
        )
    )
    assert got["loan_balance_owed"] == 5000


@pytest.mark.parametrize(
    "kw,want",
    [
        # 5% of $61,000 all Roth: $3,050 / 26 = $117.31
        (
            dict(annual_salary=61000, deferral_pct=5, roth_pct=5),
            dict(roth_per_paycheck=117.31, pretax_per_paycheck=0, pretax_pct=0),
        ),
        # 6% of $66,000 = $152.31 a paycheck; a third Roth
        (
            dict(annual_salary=66000, deferral_pct=6, roth_pct=2),
            dict(roth_per_paycheck=50.77, pretax_per_paycheck=101.54),
        ),
        # the 402(g) limit caps the year: 20% of $200,000 = $40,000 -> $24,500 / 26 = $942.31
        (
            dict(annual_salary=200000, deferral_pct=20, roth_pct=0),
            dict(contribution_per_paycheck=942.31, roth_per_paycheck=0),
        ),
        # not contributing and zero pay: zeros, no division error
        (dict(annual_salary=0, deferral_pct=0, roth_pct=0), dict(contribution_per_paycheck=0, roth_per_paycheck=0)),
    ],
)
def test_roth_split(kw: dict, want: dict) -> None:  # type: ignore[type-arg]
    got = figures(roth_comparison(ACME, person(**kw), LIMITS))
    assert got["roth_available"] == 1 and got["elective_deferral_limit"] == 24500
    for name, value in want.items():
        assert got[name] == pytest.approx(value), name


def test_roth_without_a_roth_option_or_a_profile() -> None:
    assert (
        figures(roth_comparison(CEDAR, person(plan_id="cedar-403b", annual_salary=50000, deferral_pct=5), LIMITS))[
            "roth_available"
        ]
        == 0
    )
    assert set(figures(roth_comparison(ACME, None, LIMITS))) == {"roth_available", "elective_deferral_limit"}
    with pytest.raises(MissingData):
        roth_comparison(ACME, person(deferral_pct=5), LIMITS)


@pytest.mark.parametrize(
    "text,reason",
    [
        ("I'm about to be evicted", "eviction_foreclosure"),
        ("the bank is starting foreclosure", "eviction_foreclosure"),
        ("big hospital bills after surgery", "medical"),
        ("my son's college tuition", "tuition"),
        ("my father's funeral", "funeral"),
        ("a down payment on a house", "principal_residence_purchase"),
        ("storm damage to my roof", "casualty_repair"),
        ("we lost everything in the hurricane", "federal_disaster"),
        ("to pay off my credit card", "other"),
        ("can I take a hardship withdrawal?", None),
    ],
)
def test_hardship_reason_from_words(text: str, reason: str | None) -> None:
    assert hardship_reason(text) == reason


@pytest.mark.parametrize(
    "plan,reason,allowed,emergency",
    [
        (ACME, "medical", 1, 1000),
        (ACME, "federal_disaster", 1, 1000),
        (CEDAR, "federal_disaster", 0, 0),  # Cedar does not list disasters; no emergency withdrawal
        (CEDAR, "other", 0, 0),
    ],
)
def test_money_now(plan, reason: str, allowed: int, emergency: float) -> None:  # type: ignore[no-untyped-def]
    p = person(
        plan_id=plan.plan_id,
        birth_date="1985-03-27",
        balance_employee=16200,
        balance_employer=4400,
        years_of_vesting_service=7,
    )
    got = figures(money_now(plan, p, TODAY, reason))
    assert got["hardship_reason_allowed"] == allowed
    assert got["emergency_withdrawal_max"] == emergency
    assert got["loan_maximum"] == 10300  # half of $20,600 vested (7 years: 100% at both plans)
    assert got["additional_tax_applies"] == 1


def test_money_now_without_a_reason_or_birth_date() -> None:
    got = figures(money_now(ACME, person(balance_employee=4000), TODAY, None))
    assert "hardship_reason_allowed" not in got and "additional_tax_applies" not in got
    assert got["loan_maximum"] == 2000


@pytest.mark.parametrize(
    "events,status,want",
    [
        ([("marriage", "2026-09-12")], "married", dict(spouse_is_default_beneficiary=1, life_event_date="2026-09-12")),
        # the 1-year window for a birth distribution ends the day before the first anniversary
        (
            [("birth", "2026-08-03")],
            "married",
            dict(birth_distribution_deadline="2027-08-02", birth_distribution_max=5000),
        ),
        # born on a leap day: the window ends February 28 of the next year
        (
            [("birth", "2028-02-29")],
            "single",
            dict(birth_distribution_deadline="2029-02-28", spouse_is_default_beneficiary=0),
        ),
        # the latest review event counts; a hire is not one
        (
            [("marriage", "2020-05-01"), ("divorce", "2025-03-01"), ("hire", "2026-01-05")],
            "divorced",
            dict(life_event_date="2025-03-01"),
        ),
        ([], None, dict(spouse_is_default_beneficiary=0)),
    ],
)
def test_beneficiary_review(events: list, status: str | None, want: dict) -> None:  # type: ignore[type-arg]
    p = person(marital_status=status, life_events=[LifeEvent(type=t, date=dt.date.fromisoformat(d)) for t, d in events])
    got = figures(beneficiary_review(ACME, p, TODAY))
    for name, value in want.items():
        assert got[name] == value, name
    if not events:
        assert "life_event_date" not in got


@pytest.mark.parametrize(
    "text,rate",
    [
        ("What if I raised my contribution to 8%?", 8.0),
        ("what if I went up to 6 percent", 6.0),
        ("If I lowered it to 2.5%", 2.5),
        ("Am I getting the full match at 5%?", None),  # no change named
        ("What if I raised my contribution?", None),  # no rate named
        ("I wanted 6% but they took 4%, can I change it?", None),  # a rate to correct, no what-if
        ("my 403b shows 3% but I picked 5% last month, what do I do?", None),
        ("I picked 5% when I joined, what if I raised it to 8%?", 8.0),  # near-miss
    ],
)
def test_new_rate(text: str, rate: float | None) -> None:
    assert phrases.new_rate(text) == rate


@pytest.mark.parametrize(
    "text,years",
    [
        ("and if I leave next year?", 1),
        ("what about in two years?", 2),
        ("in 3 years", 3),
        ("if I leave now", 0),
        ("in 400 years", 40),
    ],
)
def test_years_ahead(text: str, years: int) -> None:
    assert phrases.years_ahead(text) == years


@pytest.mark.parametrize(
    "field,text,value",
    [
        ("annual_salary", "about $60k", 60000.0),
        ("annual_salary", "72,500 a year", 72500.0),
        ("annual_salary", "I don't know", None),
        ("deferral_pct", "6%", 6.0),
        ("deferral_pct", "six percent", 6.0),
        ("deferral_pct", "4", 4.0),
        ("deferral_pct", "150%", None),
        ("new_pct", "let's say 10%", 10.0),
        ("years_of_vesting_service", "about 3 years", 3.0),
        ("birth_date", "1980", None),  # dates of birth are redacted before routing: never read back
    ],
)
def test_answers_to_clarifying_questions(field: str, text: str, value: float | None) -> None:
    assert phrases.answer_for(field, text) == value


# conversation flows, end to end -----------------------------------------------------------------
def test_a_missing_salary_is_asked_once_and_used(fresh_deps) -> None:  # type: ignore[no-untyped-def]
    from assistant.records.participants import Participant
    from assistant.services.turn_service import TurnService

    fresh_deps.participants.upsert(
        [
            Participant(
                participant_id="A-0900",
                plan_id="acme-401k",
                first_name="Pat",
                deferral_pct=2,
                birth_date=dt.date(1990, 5, 5),
            )
        ]
    )
    svc = TurnService(fresh_deps)
    first = svc.run("Am I getting the full match?", participant="A-0900")
    assert first.action == "clarify"
    assert "annual pay" in first.answer
    second = svc.run("about $60k", participant="A-0900", thread_id=first.thread_id)
    assert second.action == "answer", second.answer
    got = {f.name: f.value for f in second.figures}
    # 2% of $60,000 -> match 2% = $1,200; full 4% = $2,400
    assert got["annual_match_current"] == 1200 and got["annual_match_missed"] == 1200
    assert "$1,200" in second.answer
    # the value counts for the rest of the thread, without asking again
    third = svc.run("And what if I raised my contribution to 5%?", participant="A-0900", thread_id=first.thread_id)
    assert third.action == "answer"
    assert {f.name: f.value for f in third.figures}["contribution_change_per_paycheck"] == pytest.approx(69.23)
    # an answer that gives no value is treated as a new question, not a guess
    fourth = svc.run("Am I getting the full match?", participant="A-0900")
    again = svc.run("I'm not sure", participant="A-0900", thread_id=fourth.thread_id)
    assert not any(f.name == "annual_match_current" for f in again.figures)


def test_hand_off_summary_is_in_the_response_and_the_audit(service) -> None:  # type: ignore[no-untyped-def]
    first = service.run("How much can I borrow from my 401k?", participant="A-1005")
    handed = service.run("I want to talk to a person", participant="A-1005", thread_id=first.thread_id)
    assert handed.action == "escalate" and handed.reason == "human_requested"
    summary = handed.handoff
    assert summary["intents"] == ["loan"]
    assert summary["figures"]["loan_maximum"] == 16000
    assert "acme-401k/spd#7.1" in summary["sources"]
    assert summary["last_question"] == "How much can I borrow from my 401k?"  # the question before the hand-off
    record = service.deps.audit.get(handed.turn_id)
    assert record is not None and record["handoff"] == summary


def test_hand_off_joins_the_agents_queue(fresh_deps) -> None:  # type: ignore[no-untyped-def]
    from assistant.errors import BadInputError, NotFoundError
    from assistant.services.turn_service import TurnService

    svc = TurnService(fresh_deps)
    first = svc.run("What if I raised my contribution to 5%?", participant="A-1002")
    handed = svc.run("Can I talk to a person?", participant="A-1002", thread_id=first.thread_id)
    queue = fresh_deps.handoffs.list("open")
    assert [h.handoff_id for h in queue] == [handed.handoff_id]
    item = queue[0]
    assert item.participant_id == "A-1002" and item.thread_id == first.thread_id
    assert item.summary["figures"]["contribution_change_per_paycheck"] == 83.08
    claimed = fresh_deps.handoffs.claim(item.handoff_id, "agent")
    assert claimed.status == "claimed" and fresh_deps.handoffs.list("open") == []
    with pytest.raises(BadInputError, match="already claimed by agent"):
        fresh_deps.handoffs.claim(item.handoff_id, "other-agent")
    done = fresh_deps.handoffs.resolve(item.handoff_id, "agent", "called back, explained the match")
    assert done.status == "resolved" and done.resolved_at
    with pytest.raises(NotFoundError):
        fresh_deps.handoffs.get("no-such-id")
    # a turn that is not a hand-off opens nothing
    svc.run("What's the loan fee?", participant="A-1002")
    assert len(fresh_deps.handoffs.list(None)) == 1


def test_feedback_is_stored_redacted_and_linked_to_the_turn(fresh_deps) -> None:  # type: ignore[no-untyped-def]
    from assistant.errors import BadInputError
    from assistant.services.turn_service import TurnService

    turn = TurnService(fresh_deps).run("What's the loan fee?", participant="A-1005")

    def redact(text: str) -> str:
        return fresh_deps.guard.redact(text).text

    fresh_deps.feedback.add(
        turn.turn_id, "lena", "down", "Wrong! my SSN is 123-45-6789", redact, turn.thread_id, "A-1005"
    )
    fresh_deps.feedback.add(turn.turn_id, "lena", "up", None, redact)
    stored = fresh_deps.feedback.for_turn(turn.turn_id)
    assert [f["rating"] for f in stored] == ["down", "up"]
    assert "123-45-6789" not in (stored[0]["comment"] or "") and "Wrong!" in stored[0]["comment"]
    with pytest.raises(BadInputError):
        fresh_deps.feedback.add(turn.turn_id, "lena", "meh", None, redact)


def test_agent_access_is_an_audit_record(fresh_deps) -> None:  # type: ignore[no-untyped-def]
    from assistant.records.access import record_access

    rid = record_access(fresh_deps, "agent", "agent", "A-1002", "context card", "caller verified")
    record = fresh_deps.audit.get(rid)
    assert record["kind"] == "access" and record["actor"] == "agent" and record["what"] == "context card"
    assert record["participant_key"] == fresh_deps.pseudonyms.key_for("A-1002")
    assert "A-1002" not in str(record)  # pseudonymous
    assert fresh_deps.audit.verify().ok
