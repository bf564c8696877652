"""PlanAccountRecognizer: plan and brokerage account numbers next to "account", "acct" or "contract".

Every row goes through the real analyzer and the policy's thresholds; a hit must also be found by
PlanAccountRecognizer on its own (see `table.py`)."""

from __future__ import annotations

from guardrails.recognizers.plan_account import PlanAccountRecognizer
from tests.guardrails.recognizers.table import table_tests

RECOGNIZER = PlanAccountRecognizer

HITS = [
    ("My 401k account number is 00012345678.", "PLAN_ACCOUNT", "00012345678"),
    ("acct # 4471-882910 at the recordkeeper", "PLAN_ACCOUNT", "4471-882910"),
]

NEAR_MISSES = [
    "My account balance is $123,456 and I contribute 6%.",  # money next to "account"
    "I have 401000 reasons to save; the 2026 limit is $24,500.",  # no account context
    "Can I roll over 457(b) money into a 403(b)?",
]


test_hits_are_redacted, test_near_misses_are_kept = table_tests(RECOGNIZER, HITS, NEAR_MISSES)
