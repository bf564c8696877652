"""CheckedPhoneRecognizer: numbers the phonenumbers library parses, less what `not_a_phone` rules out.

Every row goes through the real analyzer and the policy's thresholds; a hit must also be found by
CheckedPhoneRecognizer on its own (see `table.py`)."""

from __future__ import annotations

from guardrails.recognizers.checked_phone import CheckedPhoneRecognizer
from tests.guardrails.recognizers.table import table_tests

RECOGNIZER = CheckedPhoneRecognizer

HITS = [
    # new: numbers only the phonenumbers library reads (no context word, or a shape ContextPhone lacks)
    ("Call the plan at 1-800-555-0142 for a form", "PHONE_NUMBER", "555-0142"),
    ("call me at (212) 555-0199 tonight", "PHONE_NUMBER", "555-0199"),
    ("my cell is +44 20 7946 0958", "PHONE_NUMBER", "7946 0958"),
]

NEAR_MISSES = [
    "1. Age 72 73 74 75 76",  # an RMD worksheet row (Presidio's phonenumbers reading is dropped too)
    "Life expectancy: 92 10.8 117 2.7",
]


test_hits_are_redacted, test_near_misses_are_kept = table_tests(RECOGNIZER, HITS, NEAR_MISSES)
