"""Topics only the general documents answer (how plan money is protected, pensions), reached by their
keyword rules and anchored on their document; and replies that never begin mid-thought."""

from __future__ import annotations

import pytest

from assistant.decisions.sentences import with_antecedents
from assistant.services.turn_service import TurnService


@pytest.mark.parametrize(
    ("text", "intent", "cited", "words"),
    [
        # was guessed as a loan question and asked "Which plan are you asking about?"
        (
            "is my 401k protected if my company goes bankrupt?",
            "account_protection",
            "general/account-protection#1",
            "its creditors cannot take the money",
        ),
        # got "I couldn't find this"
        (
            "how is a pension different from a 401k?",
            "pensions",
            "general/pensions-annuities#1",
            "promises a set monthly benefit",
        ),
        # got "I couldn't find this" (own words, issue 16): no rule read "the same as a pension"
        (
            "Is a 401k the same as a pension?",
            "pensions",
            "general/pensions-annuities#1",
            "A 401(k) or 403(b) is not a pension",
        ),
        # the company before "safe": got the choices when leaving the job
        (
            "My company is closing its doors. Is my 401k money safe?",
            "account_protection",
            "general/account-protection#1",
            "its creditors cannot take the money",
        ),
    ],
)
def test_a_general_topic_is_answered_from_its_document(
    service: TurnService, text: str, intent: str, cited: str, words: str
) -> None:
    out = service.run(text)
    assert out.action == "answer" and out.intent == intent
    assert cited in [c.id for c in out.citations] and words in out.answer


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("what happens to my loan if I file for bankruptcy?", "loan"),
        ("I'm going bankrupt, can I take a hardship withdrawal?", "hardship"),
        ("My company is closing, what happens to my 401k loan?", "loan"),
    ],
)
def test_a_bankruptcy_in_a_plan_question_keeps_the_plan_topic(service: TurnService, text: str, intent: str) -> None:
    assert service.run(text, participant="A-1002").intent == intent


@pytest.mark.parametrize(
    "text", ["should I pay more into the company pension?", "can I roll my pension into my 401k when I leave?"]
)
def test_a_pension_named_in_another_question_is_not_how_pensions_work(service: TurnService, text: str) -> None:
    # near-misses of "Is a 401k the same as a pension?": the pension rule stays for how pensions work
    assert service.run(text, participant="A-1002").intent != "pensions"


def test_a_sentence_that_leans_back_brings_the_one_before_it() -> None:
    parts = [
        "A 401(k) plan holds its assets in a trust.",
        "So the employer's creditors cannot take them.",
        "The plan also offers loans.",
        "This means you can borrow from your balance.",
    ]
    assert with_antecedents(parts, [1]) == [0, 1]
    assert with_antecedents(parts, [3]) == [2, 3]
    assert with_antecedents(parts, [2]) == [2]  # the near miss: it stands on its own
    assert with_antecedents(["- This item leans on nothing.", "- That one neither."], [1]) == [1]  # list items


def test_a_loan_when_leaving_gets_the_offset_rule(service: TurnService) -> None:
    # got the general loan section ("A plan loan lets you borrow ..."): nothing on leaving
    out = service.run("what happens to my loan if I quit?")
    assert out.action == "answer" and "general/loans-vs-hardship#4" in [c.id for c in out.citations]
    assert "loan offset" in out.answer and "including extensions" in out.answer


def test_how_a_loan_works_is_not_answered_with_the_offset_rule(service: TurnService) -> None:
    out = service.run("how does a 401k loan work?")
    assert out.action == "answer" and "general/loans-vs-hardship#1" in [c.id for c in out.citations]
    assert "loan offset" not in out.answer


@pytest.mark.parametrize(
    "text", ["how do I know if my plan allows after-tax contributions?", "does my 401k have a roth option?"]
)
def test_whether_one_s_own_plan_offers_something_asks_which_plan(service: TurnService, text: str) -> None:
    # the first got an IRS page on excess IRA contributions
    out = service.run(text)
    assert out.action == "clarify" and "Which plan are you asking about?" in out.answer and not out.citations


def test_with_a_plan_known_its_documents_answer_whether_it_offers_something(service: TurnService) -> None:
    out = service.run("does my plan offer loans?", participant="A-1002")
    assert out.action == "answer" and "Which plan" not in out.answer


def test_a_question_of_law_about_employers_is_not_asked_back(service: TurnService) -> None:
    out = service.run("does my employer have to match?")
    assert "Which plan are you asking about?" not in out.answer
