"""MiddleInitialNameRecognizer: a first name, a middle initial and a surname.

Every row goes through the real analyzer and the policy's thresholds; a hit must also be found by
MiddleInitialNameRecognizer on its own (see `table.py`)."""

from __future__ import annotations

from guardrails.recognizers.middle_initial_name import MiddleInitialNameRecognizer
from tests.guardrails.recognizers.table import table_tests

RECOGNIZER = MiddleInitialNameRecognizer

HITS = [
    ("Maybe it's under Elita B Desaulniers", "PERSON", "Desaulniers"),
    # new: an initial with a full stop
    ("Faina D. Yefremova signed the form", "PERSON", "Yefremova"),
]

NEAR_MISSES = [
    "Medicare Part B Premiums rise in 2026.",
    # new: a plan letter, a bare "I" of a Title Case heading, a vitamin
    "Plan A Participants get the match.",
    "What I Need To Know About RMDs",
    "Vitamin D Supplements are not a plan expense.",
]


test_hits_are_redacted, test_near_misses_are_kept = table_tests(RECOGNIZER, HITS, NEAR_MISSES)
