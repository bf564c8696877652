"""DateOfBirthRecognizer: full dates next to "born", "birth" or "DOB".

Every row goes through the real analyzer and the policy's thresholds; a hit must also be found by
DateOfBirthRecognizer on its own (see `table.py`)."""

from __future__ import annotations

from guardrails.recognizers.date_of_birth import DateOfBirthRecognizer
from tests.guardrails.recognizers.table import table_tests

RECOGNIZER = DateOfBirthRecognizer

HITS = [
    ("I was born on 03/14/1961, when do RMDs start?", "DATE_OF_BIRTH", "03/14/1961"),
    ("My date of birth is March 14, 1961.", "DATE_OF_BIRTH", "March 14, 1961"),
    ("DOB 1961-03-14", "DATE_OF_BIRTH", "1961-03-14"),
]

NEAR_MISSES = [
    "I was born in 1961, when do my RMDs start?",  # a birth year alone is kept
    "The plan year starts on 01/01/2026 and the deadline is April 15, 2026.",  # dates, not birthdays
]


test_hits_are_redacted, test_near_misses_are_kept = table_tests(RECOGNIZER, HITS, NEAR_MISSES)
