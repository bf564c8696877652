"""ParticipantIdRecognizer: participant, employee and member ids next to their word.

Every row goes through the real analyzer and the policy's thresholds; a hit must also be found by
ParticipantIdRecognizer on its own (see `table.py`)."""

from __future__ import annotations

from guardrails.recognizers.participant_id import ParticipantIdRecognizer
from tests.guardrails.recognizers.table import table_tests

RECOGNIZER = ParticipantIdRecognizer

HITS = [
    ("my participant id is A-1002", "PARTICIPANT_ID", "A-1002"),
    ("Employee ID E4471920, can I get a loan?", "PARTICIPANT_ID", "E4471920"),
]

NEAR_MISSES = [
    "Can I borrow 50% of my vested balance, up to $50,000?",
    # new: a person word next to a count of days or a year
    "Employee benefits start after 90 days.",
    "Member since 2019, can I still get the match?",
]


test_hits_are_redacted, test_near_misses_are_kept = table_tests(RECOGNIZER, HITS, NEAR_MISSES)
