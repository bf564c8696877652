"""AnySsnRecognizer: SSNs with or without separators, never dropped as "invalid".

Every row goes through the real analyzer and the policy's thresholds; a hit must also be found by
AnySsnRecognizer on its own (see `table.py`)."""

from __future__ import annotations

from guardrails.recognizers.any_ssn import AnySsnRecognizer
from tests.guardrails.recognizers.table import table_tests

RECOGNIZER = AnySsnRecognizer

HITS = [
    ("my ssn is 123 45 6789", "US_SSN", "123 45 6789"),
]

NEAR_MISSES = [
    "My social security benefit starts at 67; is 62 too early?",
    # new: SSN words without nine digits, and the word TIN
    "My social security benefit is $2,345 a month.",
    "Does my SSN change if I move? I am 67.",
    "The TIN on Form 1099-R is withheld.",
]


test_hits_are_redacted, test_near_misses_are_kept = table_tests(RECOGNIZER, HITS, NEAR_MISSES)
