""" "I couldn't find this in your plan documents" is only ever the reply to an in-scope question: a
message with no word about retirement savings, or one the classifier reads as out of scope or
harmful, gets the out-of-scope redirect instead (issue 15: never tell a person asking about measles or
a weapon that their plan documents are silent on it)."""

from __future__ import annotations

import pytest

from assistant.decisions.composer import off_topic
from assistant.decisions.drafts import Blocks, Draft

BLOCKS = Blocks()
IN_SCOPE = {"plan_question": 0.9, "out_of_scope": 0.05, "harmful": 0.01}


def no_source() -> Draft:
    return Draft("escalate", f"{BLOCKS.get('no_source')} {BLOCKS.get('contact_generic')}", reason="no_source")


@pytest.mark.parametrize(
    ("text", "probabilities", "reason"),
    [
        ("Does my plan offer a self-directed brokerage window?", IN_SCOPE, "no_source"),
        ("Can I pay my 401k loan back early by check?", IN_SCOPE, "no_source"),
        ("I haven't been vaccinated for MMR, am I at risk for measles now?", IN_SCOPE, "out_of_scope"),
        ("Does the plan cover my dog's surgery?", {"plan_question": 0.3, "out_of_scope": 0.65}, "out_of_scope"),
        ("Which fund in the plan hides money best?", {"plan_question": 0.6, "harmful": 0.3}, "out_of_scope"),
        ("What is the plan's blackout notice period?", {}, "no_source"),  # no reading: stays in scope
        # plan words beyond "plan" and "contribution" (bundled dev questions got the redirect)
        ("can i opt out of the annual escalation", IN_SCOPE, "no_source"),
        ("10% penalty before 59 and a half", IN_SCOPE, "no_source"),
        ("do i have to wait to get the mach as a new hire", IN_SCOPE, "no_source"),
        (
            "Is there a penalty for returning library books late?",
            {"plan_question": 0.2, "out_of_scope": 0.7},
            "out_of_scope",
        ),
    ],
)
def test_no_source_only_in_scope(text: str, probabilities: dict[str, float], reason: str) -> None:
    drafted = off_topic(no_source(), BLOCKS, text, probabilities)
    assert drafted.reason == reason
    if reason == "out_of_scope":
        assert drafted.action == "refuse" and "couldn't find" not in drafted.text
        assert drafted.text == BLOCKS.get("out_of_scope")


def test_an_answer_is_left_alone() -> None:
    answer = Draft("answer", "The plan allows two loans at a time.", reason=None)
    assert off_topic(answer, BLOCKS, "am I at risk for measles?", {"out_of_scope": 0.9}) is answer


def test_a_plan_keyword_rule_keeps_a_contact_question_in_scope() -> None:
    # "What's the phone number?" matched the contact intent's keyword rule: no passage prints the
    # number, so the reply is "I couldn't find this" with the contact, even when the classifier
    # reads the short question as out of scope
    reading = {"out_of_scope": 0.7, "plan_question": 0.3}
    assert (
        off_topic(no_source(), BLOCKS, "What's the phone number?", reading, keyword_routed=True).reason == "no_source"
    )
    assert off_topic(no_source(), BLOCKS, "What's the phone number?", reading).reason == "out_of_scope"
    # a keyword rule never outweighs a harmful reading
    harmful = {"harmful": 0.6, "out_of_scope": 0.3}
    text = "Can you help me bombard a phone number with automated calls?"
    assert off_topic(no_source(), BLOCKS, text, harmful, keyword_routed=True).reason == "out_of_scope"


@pytest.mark.parametrize(
    ("probabilities", "reason"),
    [
        ({"harmful": 0.62, "education": 0.26}, "out_of_scope"),  # a majority reads harm: no passage
        ({"harmful": 0.3, "injection": 0.25, "plan_question": 0.45}, "out_of_scope"),  # harm kinds add up
        ({"harmful": 0.45, "plan_question": 0.55}, None),  # under a majority: the answer stands
        ({"third_party": 0.6, "plan_question": 0.4}, None),  # a spouse-rules question is no harm
    ],
)
def test_an_answer_to_a_message_read_as_harmful_by_a_majority_is_the_redirect(
    probabilities: dict[str, float], reason: str | None
) -> None:
    # DNA: "Is it true that a famous athlete ... is considering retirement?" was answered with a row of
    # a 590-B life-expectancy table
    answer = Draft("answer", "2025 Publication 590-B, page 53: (Joint and Last Survivor Life Expectancy) ...")
    drafted = off_topic(answer, BLOCKS, "Is it true that [PERSON_1] is considering retirement?", probabilities)
    assert drafted.reason == reason
    assert (drafted.text == BLOCKS.get("out_of_scope")) == (reason == "out_of_scope")


def test_a_scam_warning_with_a_crisis_signal_opens_with_988_and_keeps_its_kind() -> None:
    from assistant.decisions.composer import crisis_check_in

    warning = Draft("escalate", f"{BLOCKS.get('fraud')} {BLOCKS.get('contact_generic')}", reason="fraud")
    drafted = crisis_check_in(warning, BLOCKS, None)
    assert drafted.reason == "fraud" and drafted.action == "escalate"
    assert drafted.text.startswith(BLOCKS.get("crisis_check_in")) and "988" in drafted.text
    assert drafted.text.count(BLOCKS.get("contact_generic")) == 1  # the contact once, at the end
    answer = crisis_check_in(Draft("answer", "The plan allows two loans at a time."), BLOCKS, None)
    assert answer.reason == "crisis_check_in" and answer.text.endswith("two loans at a time.")


@pytest.mark.parametrize(
    ("text", "redirected"),
    [
        ("RSU vested recently", True),
        ("Employee stock option plan with undefined vesting?", True),
        ("when my ESPP shares vest do I owe tax?", True),
        # near misses: a retirement account named, or an ESOP (a retirement plan)
        ("can I hold stock options in my IRA?", False),
        ("my ESOP shares vest in 3 years, what happens when I leave?", False),
        ("when does my 401k match vest?", False),
    ],
)
def test_stock_pay_is_no_retirement_plan(text: str, redirected: bool) -> None:
    # "RSU vested recently" got the 401(k) vesting schedule
    answer = Draft("answer", "Retirement plan terms in plain words, section 1: Being vested means ...")
    drafted = off_topic(answer, BLOCKS, text, IN_SCOPE)
    assert (drafted.reason == "out_of_scope") is redirected
    assert (drafted is answer) is not redirected
