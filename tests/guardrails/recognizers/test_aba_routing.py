"""AbaRoutingRecognizer: routing numbers whose checksum holds, next to "routing", "ABA" or "bank".

Every row goes through the real analyzer and the policy's thresholds; a hit must also be found by
AbaRoutingRecognizer on its own (see `table.py`)."""

from __future__ import annotations

import pytest

from guardrails.pii import PiiEngine
from guardrails.recognizers.aba_routing import AbaRoutingRecognizer
from tests.guardrails.recognizers.table import Alone, assert_found_alone, assert_kept, assert_redacted

RECOGNIZER = AbaRoutingRecognizer

HITS = [
    ("Routing number 021000021 for the rollover check", "ABA_ROUTING", "021000021"),
]

NEAR_MISSES = [
    # new: nine digits whose 3-7-1 checksum fails, and a bank word without a number
    "Routing number 123456789 for the rollover",
    "Bank transfers take 3 to 5 business days.",
]


@pytest.mark.parametrize("text,entity,secret", HITS)
def test_hits_are_redacted(pii: PiiEngine, alone: Alone, text: str, entity: str, secret: str) -> None:
    assert_redacted(pii, text, entity, secret)
    assert_found_alone(alone(RECOGNIZER), text, entity, secret)


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_near_misses_are_kept(pii: PiiEngine, text: str) -> None:
    assert_kept(pii, text)
