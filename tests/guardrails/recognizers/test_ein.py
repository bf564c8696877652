"""EinRecognizer: employer identification numbers (12-3456789).

Every row goes through the real analyzer and the policy's thresholds; a hit must also be found by
EinRecognizer on its own (see `table.py`)."""

from __future__ import annotations

import pytest

from guardrails.pii import PiiEngine
from guardrails.recognizers.ein import EinRecognizer
from tests.guardrails.recognizers.table import Alone, assert_found_alone, assert_kept, assert_redacted

RECOGNIZER = EinRecognizer

HITS = [
    ("Our company EIN is 12-3456789.", "US_EIN", "12-3456789"),
]

NEAR_MISSES = [
    # new: the word EIN without a number, and two years joined by a dash
    "EIN applications take 4-6 weeks.",
    "The 2025-2026 plan year starts in July.",
]


@pytest.mark.parametrize("text,entity,secret", HITS)
def test_hits_are_redacted(pii: PiiEngine, alone: Alone, text: str, entity: str, secret: str) -> None:
    assert_redacted(pii, text, entity, secret)
    assert_found_alone(alone(RECOGNIZER), text, entity, secret)


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_near_misses_are_kept(pii: PiiEngine, text: str) -> None:
    assert_kept(pii, text)
