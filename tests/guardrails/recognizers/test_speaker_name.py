"""SpeakerNameRecognizer: speaker labels of a transcript, a person addressed, reported speech.

Every row goes through the real analyzer and the policy's thresholds; a hit must also be found by
SpeakerNameRecognizer on its own (see `table.py`)."""

from __future__ import annotations

from guardrails.recognizers.speaker_name import SpeakerNameRecognizer
from tests.guardrails.recognizers.table import table_tests

RECOGNIZER = SpeakerNameRecognizer

HITS = [
    # speakers of a pasted transcript, a person addressed, reported speech
    ("Leverett: I want to cash out.\nDanielle: Let me check the plan first.", "PERSON", "Leverett"),
    ("Warrane, can I please speak to your boss?", "PERSON", "Warrane"),
    ("I'm so jealous! said Maslin to Antonio", "PERSON", "Maslin"),
]

NEAR_MISSES = [
    # labels of a transcript or a form are roles, not names; a sentence opener is not an addressee
    "Agent: How can I help?\nParticipant: I want to roll over my 401k.",
    "Note: the limit is $24,500.\nExample: you turn 50 in 2026.",
    "Well, can I take a loan from my 401k?",
    "Then, follow these steps to complete Form 8606.",
]


test_hits_are_redacted, test_near_misses_are_kept = table_tests(RECOGNIZER, HITS, NEAR_MISSES)
