"""SplitSsnRecognizer: nine digits split by spaces, punctuation or words, or spelled out, next to an SSN word.

Every row goes through the real analyzer and the policy's thresholds; a hit must also be found by
SplitSsnRecognizer on its own (see `table.py`)."""

from __future__ import annotations

from guardrails.recognizers.split_ssn import SplitSsnRecognizer
from tests.guardrails.recognizers.table import table_tests

RECOGNIZER = SplitSsnRecognizer

HITS = [
    (
        "my ssn is one two three four five six seven eight nine",
        "US_SSN",
        "one two three four five six seven eight nine",
    ),
    ("social security 1 2 3 - 4 5 - 6 7 8 9", "US_SSN", "1 2 3 - 4 5 - 6 7 8 9"),
]

NEAR_MISSES = [
    # new: an SSN word with fewer than nine digits, or with numbers that are ages
    "My SSN question: can I take 1 2 or 3 loans?",
    "Social security at 62, 63, 64, 65, 66, 67 or 70?",
]


test_hits_are_redacted, test_near_misses_are_kept = table_tests(RECOGNIZER, HITS, NEAR_MISSES)
