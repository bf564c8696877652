"""ContextPhoneRecognizer: phone numbers the phonenumbers library misses, by a context word or by their grouping.

Every row goes through the real analyzer and the policy's thresholds; a hit must also be found by
ContextPhoneRecognizer on its own (see `table.py`)."""

from __future__ import annotations

from guardrails.recognizers.context_phone import ContextPhoneRecognizer
from tests.guardrails.recognizers.table import table_tests

RECOGNIZER = ContextPhoneRecognizer

HITS = [
    ("call me on my mobile 0688 843 79 56", "PHONE_NUMBER", "0688 843 79 56"),
    # phone numbers grouped like phone numbers, with no context word
    ("They're not answering at 699 956 915", "PHONE_NUMBER", "699 956 915"),
    ("Desk: +447700 921 916", "PHONE_NUMBER", "+447700 921 916"),
    ("They're not answering at (08) 8747 6301", "PHONE_NUMBER", "8747 6301"),
    ("You can text me on 780-6326 after five", "PHONE_NUMBER", "780-6326"),
    # a long last group is a phone number next to a context word
    ("reach me on 47 551903 after lunch", "PHONE_NUMBER", "551903"),
    # a national number with its trunk prefix, and the phone line under an address
    ("Reach the office at 0341 8387176", "PHONE_NUMBER", "8387176"),
    ("Iris Lind\n12 Rue du Lac\nGeneva 1201\n+41 22 555 01 99", "PHONE_NUMBER", "+41 22 555 01 99"),
]

NEAR_MISSES = [
    # number groups that are years, dates or a schedule, not phone numbers
    "The plan years 2024 2025 2026 had the same match.",
    "The deadline moved to 2026-04-15.",
    "My employer matches 50% of the first 6% and the vesting is 20 40 60 80 100.",
    "Ages 50 60 63 get catch-up",
    "File Form 1040 2025 by April 15.",
    "Reach me on 47 or 551903",  # no phone shape
    "Move 0.5 of my balance, about 012 345 dollars",  # an amount
]


test_hits_are_redacted, test_near_misses_are_kept = table_tests(RECOGNIZER, HITS, NEAR_MISSES)
