"""IntroducedNameRecognizer: a name after an introduction, a title or a person word.

Every row goes through the real analyzer and the policy's thresholds; a hit must also be found by
IntroducedNameRecognizer on its own (see `table.py`)."""

from __future__ import annotations

from guardrails.recognizers.introduced_name import IntroducedNameRecognizer
from tests.guardrails.recognizers.table import table_tests

RECOGNIZER = IntroducedNameRecognizer

HITS = [
    ("My name is Siiri and I want a loan", "PERSON", "Siiri"),
    ("my name is vitoria", "PERSON", "vitoria"),
    ("She was born on 11/22/2000. Her maiden name is Møller", "PERSON", "Møller"),
    # words that introduce a person
    ("Please add my wife Solveig as a beneficiary", "PERSON", "Solveig"),
    ("Attn: Radomir Kowalczyk", "PERSON", "Kowalczyk"),
    ("Thanks for the help.\nRegards,\nTeodora", "PERSON", "Teodora"),
    ("Signed: Oksana Hrytsenko", "PERSON", "Hrytsenko"),
]

NEAR_MISSES = [
    "I am Retired and my employee plan is the Acme 401(k).",
    "my name is on the account but my wife pays",
    "call me Monday about the loan",
    "My wife Retired last year, can she roll over?",
]


test_hits_are_redacted, test_near_misses_are_kept = table_tests(RECOGNIZER, HITS, NEAR_MISSES)
