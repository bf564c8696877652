"""ContextCardRecognizer: card numbers Presidio's patterns leave out, Luhn-checked, next to "card".

Every row goes through the real analyzer and the policy's thresholds; a hit must also be found by
ContextCardRecognizer on its own (see `table.py`)."""

from __future__ import annotations

import pytest

from guardrails.pii import PiiEngine
from guardrails.recognizers.context_card import ContextCardRecognizer
from tests.guardrails.recognizers.table import Alone, assert_found_alone, assert_kept, assert_redacted

RECOGNIZER = ContextCardRecognizer

HITS = [
    ("my debit card 213176828496175 was declined", "CREDIT_CARD", "213176828496175"),
]

NEAR_MISSES = [
    # new: a number whose Luhn check fails, a card word next to an amount or four digits
    "my card number is 4111111111111112",
    "My credit card limit is $12,000.",
    "my card ends in 1234",
]


@pytest.mark.parametrize("text,entity,secret", HITS)
def test_hits_are_redacted(pii: PiiEngine, alone: Alone, text: str, entity: str, secret: str) -> None:
    assert_redacted(pii, text, entity, secret)
    assert_found_alone(alone(RECOGNIZER), text, entity, secret)


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_near_misses_are_kept(pii: PiiEngine, text: str) -> None:
    assert_kept(pii, text)
