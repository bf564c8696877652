"""Retirement plan and brokerage account numbers (PLAN_ACCOUNT)."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer

from guardrails.recognizers.text_patterns import CASE_SENSITIVE


class PlanAccountRecognizer(PatternRecognizer):
    """A retirement plan or brokerage account number: 6-12 digits, optionally with a short
    letter prefix, next to "account", "acct" or "contract" (0.45 in context: it outranks a
    phone-number reading of the same digits)."""

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("account number", r"(?<![\w$.,-])(?:[A-Z]{1,3}-?)?\d{6,12}(?![\w,.%-]\d|[\w%])", 0.1),
        Pattern("grouped account number", r"(?<![\w$.,-])\d{3,4}(?:-\d{3,6}){1,2}(?![\w-])", 0.1),
    ]
    CONTEXT: ClassVar[list[str]] = ["account", "acct", "acct#", "contract", "policy"]

    def __init__(self) -> None:
        super().__init__(
            supported_entity="PLAN_ACCOUNT",
            patterns=self.PATTERNS,
            context=self.CONTEXT,
            name="PlanAccountRecognizer",
            global_regex_flags=CASE_SENSITIVE,
        )
