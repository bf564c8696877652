"""An early withdrawal from an IRA is answered from the IRA's own rules, never the plan's age-59½ date:
a Roth IRA's contributions come out first, free of tax and of the 10% (issue 16), while the same
question about the person's 401(k) keeps the plan's date and the employer-plan exceptions."""

from __future__ import annotations

import pytest

from assistant.services.turn_service import TurnService


@pytest.mark.parametrize(
    ("text", "cited", "words"),
    [
        # got "You reach age 59½ on January 22, 2048" and the employer-plan exceptions
        (
            "what's the penalty for withdrawing from a roth ira early?",
            "general/roth-ira#5",
            "without the 10% additional tax",
        ),
        ("can I take money out of my traditional IRA at 40 without the 10% penalty?", "general/", "IRA"),
    ],
)
def test_an_ira_early_withdrawal_is_answered_from_the_ira_rules(
    service: TurnService, text: str, cited: str, words: str
) -> None:
    out = service.run(text, participant="A-1002")
    assert out.action == "answer" and out.intent == "early_withdrawal", out
    assert any(c.id.startswith(cited) for c in out.citations), [c.id for c in out.citations]
    assert words in out.answer and "2048" not in out.answer


def test_the_same_question_about_the_plan_keeps_the_plans_date(service: TurnService) -> None:
    out = service.run("what's the penalty for withdrawing from my 401k early?", participant="A-1002")
    assert out.intent == "early_withdrawal" and "2048" in out.answer
    assert "acme-401k/spd#9.2" in [c.id for c in out.citations]


def test_an_heirs_ira_withdrawal_keeps_the_inherited_rules() -> None:
    """Near-miss read on the dev half: an IRA inherited and treated as one's own is not the owner's
    early-withdrawal question (the anchor read the first-home exception)."""
    from assistant.retrieval.anchors import early_withdrawal_anchor

    assert early_withdrawal_anchor("what's the penalty for withdrawing from a roth ira early?") is not None
    assert early_withdrawal_anchor("I inherited my husband's IRA. can I withdraw without the 10%?") is None
    assert early_withdrawal_anchor("can I take money out of my 401k early without the 10%?") is None


def test_an_ira_beside_a_401k_at_the_same_time_is_the_two_accounts_question(service: TurnService) -> None:
    # got the 401(k)'s own $24,500 limit, never saying both can be had
    out = service.run("Can I have a traditional IRA and a 401(k) at the same time?", participant="A-1002")
    assert "at the same time" in out.answer and "general/traditional-ira#1" in [c.id for c in out.citations]
    # near-miss: the plan's own limit keeps the limits playbook
    assert "$24,500" in service.run("how much can I put in my 401k?", participant="A-1002").answer
