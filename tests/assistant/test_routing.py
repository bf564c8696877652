"""Offline intent routing and follow-up rewriting."""

from __future__ import annotations

import pytest

from assistant.understanding.routing import IntentRouter


@pytest.fixture(scope="module")
def router(models) -> IntentRouter:  # type: ignore[no-untyped-def]
    return IntentRouter(models.embedder)


@pytest.mark.parametrize(
    "text,intent",
    [
        ("How much more would my employer put in if I raised my contribution?", "match"),
        ("am i getting the ful match", "match"),
        ("What's the most I can contribute to my 401(k) in 2026?", "contribution_limit"),
        ("I'm turning 50, can I put in extra?", "catch_up"),
        ("Can I borrow from my account?", "loan"),
        ("I'm about to be evicted and need money", "hardship"),
        ("How much of the company money do I keep if I quit?", "vesting"),
        ("What should I do with my 401k when I change jobs?", "rollover"),
        ("When do I have to start taking RMDs?", "rmd"),
        ("Which fund should I buy?", "investment_advice"),
        ("I want to talk to a real person", "human"),
        ("What's the weather like tomorrow?", "out_of_scope"),
        ("Who gets my money if I die?", "beneficiary"),
    ],
)
def test_intents(router: IntentRouter, text: str, intent: str) -> None:
    assert router.classify(text)[0] == intent


def test_follow_up_inherits_the_previous_topic(router: IntentRouter) -> None:
    r = router.route("and how many can I have?", "What's the loan fee?", "loan")
    assert r.follow_up and r.intent == "loan" and r.query == "and how many can I have? (plan loans)"


def test_a_new_question_is_not_a_follow_up(router: IntentRouter) -> None:
    r = router.route("When do I have to start RMDs?", "What's the loan fee?", "loan")
    assert not r.follow_up and r.intent == "rmd" and r.query == "When do I have to start RMDs?"


def test_the_rules_read_the_corrected_words_when_the_typed_ones_match_none(router: IntentRouter) -> None:
    # "benefciaries" matched no rule; its nearest example was too far for the plan's section to count as its rules
    typed = "where do i update benefciaries"
    assert router.classify(typed, corrected="where do i update beneficiaries") == ("beneficiary", 1.0, "rule")
    assert router.classify(typed)[2] != "rule"
    # near-miss: a rule the typed words match wins over the corrected reading
    assert router.classify("max loans", corrected="max loans")[0] == "loan"


def test_a_misspelled_question_gets_its_topics_answer_and_routing_survives_no_index(service, deps) -> None:  # type: ignore[no-untyped-def]
    from assistant.turn.nodes.route import route

    out = service.run("where do i update benefciaries", participant="C-2005")
    assert out.intent == "beneficiary" and "mybenefits.cedarvalley.example" in out.answer, out.answer

    class NoIndex:
        def corrected(self, text: str) -> str:
            raise ConnectionError("store down")

    class Deps:
        router = deps.router
        retriever = NoIndex()

    # the store that corrects spelling is down: the words as typed are routed, nothing raises
    assert route({"text": "how many loans can I have", "history": []}, Deps())["intent"] == "loan"
