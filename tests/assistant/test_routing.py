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
