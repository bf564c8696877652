"""SurnameRecognizer: census surnames in a list of names or after a first name.

Every row goes through the real analyzer and the policy's thresholds; a hit must also be found by
SurnameRecognizer on its own (see `table.py`)."""

from __future__ import annotations

from guardrails.recognizers.surname import SurnameRecognizer
from tests.guardrails.recognizers.table import table_tests

RECOGNIZER = SurnameRecognizer

HITS = [
    # census surnames: a list of surnames (a foreign one spaCy calls a place), a name before a surname
    ("The three partners were Dvořák, Keller and Morales.", "PERSON", "Dvořák"),
    ("Add Mirela Szabo as my beneficiary", "PERSON", "Szabo"),
]

NEAR_MISSES = [
    # surnames that are English words do not make a list of names; firms and titles are not people
    "Cash, Stocks and Bonds are the three asset classes.",
    "The Brown, Young and King families",
    "I worked for Shapiro Investments until 2019.",
    "The Brooks and Lindqvist Orchestra plays tonight.",
    "I read Cautionary Tales and Guilty Pleasures.",  # spaCy calls both titles people
    # an employer named after people is a firm
    "I spent two years at Weeks-Rivas before I joined Acme.",
]


test_hits_are_redacted, test_near_misses_are_kept = table_tests(RECOGNIZER, HITS, NEAR_MISSES)
