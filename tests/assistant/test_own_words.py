"""Questions asked in our own words as a participant (A-1002, Acme 401(k)) that got the wrong kind of
reply, each beside a near-miss that keeps its reply (6 December 2026 reading)."""

from __future__ import annotations

from assistant.services.turn_service import TurnService


def test_the_owners_death_is_a_beneficiary_question(service: TurnService) -> None:
    # got the leaving-the-job choices with the 20% withholding on a cash-out
    out = service.run("what happens to my 401k if I die?", participant="A-1002")
    assert out.intent == "beneficiary" and "beneficiary designation decides" in out.answer, out.answer
    assert "withholds 20%" not in out.answer
    # near-miss: a cash-out question keeps the leaving choices
    assert service.run("what happens to my 401k if I quit?", participant="A-1002").intent != "beneficiary"


def test_an_ira_beside_the_workplace_plan_is_not_the_plans_limit(service: TurnService) -> None:
    # got "the most you can contribute from your own pay to your 401(k) plan is $24,500" and "You turn 38"
    out = service.run("can I contribute to an IRA if I have a 401k at work?", participant="A-1002")
    assert "traditional IRA" in out.answer and "You turn 38" not in out.answer, out.answer


def test_rolling_an_old_plan_into_this_one_is_the_roll_in_rule(service: TurnService) -> None:
    # got the leaving choices of the old plan
    out = service.run(
        "I'm thinking of rolling my old employer's 401k into this one. Is that allowed?", participant="A-1002"
    )
    assert "acme-401k/spd#2.5" in [c.id for c in out.citations] and "roll money into this plan" in out.answer


def test_how_long_a_payment_takes_is_only_the_plans_to_say(service: TurnService) -> None:
    # got the terminal-illness exception ("can repay them within three years")
    out = service.run("how long does it take to get money after I request a withdrawal?", participant="A-1002")
    assert out.reason == "no_source" and "1-800-555-0142" in out.answer, out.answer
    assert "physician" not in out.answer
    # near-miss: a timing the plan's documents do state is answered
    pay = service.run("if i change my contribution today when does it show up on my paycheck", participant="A-1002")
    assert "5 business days" in pay.answer
