"""AbaRoutingRecognizer: routing numbers whose checksum holds, next to "routing", "ABA" or "bank".

Every row goes through the real analyzer and the policy's thresholds; a hit must also be found by
AbaRoutingRecognizer on its own (see `table.py`)."""

from __future__ import annotations

from guardrails.recognizers.aba_routing import AbaRoutingRecognizer
from tests.guardrails.recognizers.table import table_tests

RECOGNIZER = AbaRoutingRecognizer

HITS = [
    ("Routing number 021000021 for the rollover check", "ABA_ROUTING", "021000021"),
]

NEAR_MISSES = [
    # new: nine digits whose 3-7-1 checksum fails, and a bank word without a number
    "Routing number 123456789 for the rollover",
    "Bank transfers take 3 to 5 business days.",
]


test_hits_are_redacted, test_near_misses_are_kept = table_tests(RECOGNIZER, HITS, NEAR_MISSES)
