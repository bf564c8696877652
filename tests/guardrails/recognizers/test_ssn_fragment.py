"""SsnFragmentRecognizer: part of an SSN next to the word SSN, or in a short follow-up after it.

Every row goes through the real analyzer and the policy's thresholds; a hit must also be found by
SsnFragmentRecognizer on its own (see `table.py`)."""

from __future__ import annotations

from guardrails.pii import PiiEngine
from guardrails.recognizers.ssn_fragment import SsnFragmentRecognizer
from tests.guardrails.recognizers.table import table_tests

RECOGNIZER = SsnFragmentRecognizer

HITS = [
    ("the last four of my SSN are 6789", "US_SSN", "6789"),
]

NEAR_MISSES = [
    "What is the catch-up limit at age 60 to 63 in 2026?",
    # new: an amount next to the word SSN is not its last four
    "my ssn is on file; the fee is $1,250",
]


test_hits_are_redacted, test_near_misses_are_kept = table_tests(RECOGNIZER, HITS, NEAR_MISSES)


def test_ssn_split_across_turns(pii: PiiEngine) -> None:
    first = pii.redact("my ssn starts with 123-45")
    assert "123-45" not in first.text
    second = pii.redact("and then 6789", first.placeholders, previous=first.text)
    assert "6789" not in second.text and second.entities[0].entity_type == "US_SSN"
    # the same follow-up without that context is an ordinary number
    assert pii.redact("and then 6789", previous="what is the loan fee?").text == "and then 6789"
    # a long follow-up does not inherit the context
    long = "Thanks. Also what is the most I can put in during 2026 if I am 55 years old?"
    assert pii.redact(long, previous=first.text).text == long
