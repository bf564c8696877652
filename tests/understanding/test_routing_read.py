"""Routing by the classifier's reading: a plan topic's keyword rule outweighs an unsure out-of-scope
reading, never a harmful one (issue 15: "Why are divorced people so unreliable?" matched the
beneficiary rule's "divorc" and got a plan passage once the classifier was no longer sure it is harmful)."""

from __future__ import annotations

import pytest

from assistant.understanding.routing import HARM_LIMIT, IntentRouter


@pytest.fixture(scope="module")
def router(embedder) -> IntentRouter:  # type: ignore[no-untyped-def]
    return IntentRouter(embedder)


DIVORCE = "Why are divorced people so unreliable?"
LOAN = "Can I take a loan to pay for a boat?"


@pytest.mark.parametrize(
    ("text", "kind", "probabilities", "intent"),
    [
        # an out-of-scope reading with a real harmful share: the redirect, whatever the keyword rule
        (DIVORCE, "out_of_scope", {"harmful": 0.78, "out_of_scope": 0.18}, "out_of_scope"),
        (DIVORCE, "out_of_scope", {"harmful": 0.15, "third_party": 0.15, "out_of_scope": 0.6}, "out_of_scope"),
        # near misses: under the limit, an unsure out-of-scope reading loses to the keyword rule
        (DIVORCE, "out_of_scope", {"harmful": HARM_LIMIT - 0.01, "out_of_scope": 0.6}, "beneficiary"),
        (DIVORCE, "out_of_scope", {"out_of_scope": 0.6, "plan_question": 0.4}, "beneficiary"),
        # a sure out-of-scope reading wins as before
        (DIVORCE, "out_of_scope", {"out_of_scope": 0.75}, "out_of_scope"),
        # the advice boundary is unchanged: a keyword rule outweighs an unsure advice reading
        (LOAN, "advice", {"advice": 0.6, "harmful": 0.3}, "loan"),
        (LOAN, "plan_question", {"plan_question": 0.6, "harmful": 0.3}, "loan"),
    ],
)
def test_a_keyword_rule_never_outweighs_a_harmful_reading(
    router: IntentRouter, text: str, kind: str, probabilities: dict[str, float], intent: str
) -> None:
    assert router.classify_read(text, kind, probabilities)[0] == intent


@pytest.mark.parametrize(
    ("text", "kind", "probabilities", "intent"),
    [
        # an investment term asked as a definition is education, however sure the out-of-scope reading
        ("What is a glide path?", "out_of_scope", {"out_of_scope": 0.9}, "investment_education"),
        ("Whats the rule of 72?", "out_of_scope", {"out_of_scope": 0.8}, "investment_education"),
        ("What are TIPS?", "out_of_scope", {"out_of_scope": 0.8}, "investment_education"),
        ("explain what a bond's duration is", "education", {"education": 0.5}, "investment_education"),
        # near-misses: what the person should do stays advice; tips for saving are no Treasury bonds;
        # a harmful share keeps the redirect; a plan's waiting period has no bond duration
        ("What is the best index fund to buy?", "advice", {"advice": 0.9}, "investment_advice"),
        ("Should I buy a target-date fund?", "advice", {"advice": 0.85}, "investment_advice"),
        ("What are some tips for saving?", "out_of_scope", {"out_of_scope": 0.9}, "out_of_scope"),
        ("What is a REIT?", "out_of_scope", {"out_of_scope": 0.6, "harmful": 0.3}, "out_of_scope"),
        # a plan term asked as a definition gets its topic; a loan shark is no plan term
        ("what's a QDRO?", "out_of_scope", {"out_of_scope": 0.9}, "beneficiary"),
        ("what does vesting mean", "out_of_scope", {"out_of_scope": 0.8}, "vesting"),
        ("What is a loan shark?", "out_of_scope", {"out_of_scope": 0.9}, "out_of_scope"),
        ("What is a vest made of?", "out_of_scope", {"out_of_scope": 0.9}, "out_of_scope"),
    ],
)
def test_an_investment_term_asked_as_a_definition_is_education(
    router: IntentRouter, text: str, kind: str, probabilities: dict[str, float], intent: str
) -> None:
    assert router.classify_read(text, kind, probabilities)[0] == intent
