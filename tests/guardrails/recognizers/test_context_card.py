"""ContextCardRecognizer: card numbers Presidio's patterns leave out, Luhn-checked, next to "card".

Every row goes through the real analyzer and the policy's thresholds; a hit must also be found by
ContextCardRecognizer on its own (see `table.py`)."""

from __future__ import annotations

from guardrails.recognizers.context_card import ContextCardRecognizer
from tests.guardrails.recognizers.table import table_tests

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


test_hits_are_redacted, test_near_misses_are_kept = table_tests(RECOGNIZER, HITS, NEAR_MISSES)
