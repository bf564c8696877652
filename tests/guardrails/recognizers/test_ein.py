"""EinRecognizer: employer identification numbers (12-3456789).

Every row goes through the real analyzer and the policy's thresholds; a hit must also be found by
EinRecognizer on its own (see `table.py`)."""

from __future__ import annotations

from guardrails.recognizers.ein import EinRecognizer
from tests.guardrails.recognizers.table import table_tests

RECOGNIZER = EinRecognizer

HITS = [
    ("Our company EIN is 12-3456789.", "US_EIN", "12-3456789"),
]

NEAR_MISSES = [
    # new: the word EIN without a number, and two years joined by a dash
    "EIN applications take 4-6 weeks.",
    "The 2025-2026 plan year starts in July.",
]


test_hits_are_redacted, test_near_misses_are_kept = table_tests(RECOGNIZER, HITS, NEAR_MISSES)
