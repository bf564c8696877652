"""Participant, employee and member ids (PARTICIPANT_ID)."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer

from guardrails.recognizers.text_patterns import CASE_SENSITIVE


class ParticipantIdRecognizer(PatternRecognizer):
    """A participant, employee or member id (letters and digits such as A-1002 or E4471920)
    next to "participant", "employee", "member" or "badge"."""

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("participant id", r"(?<![\w-])[A-Z]{1,3}-?\d{4,9}(?![\w-])", 0.05),
        Pattern("numeric participant id", r"(?<![\w$.,-])\d{5,9}(?![\w,.%-]\d|[\w%])", 0.01),
    ]
    CONTEXT: ClassVar[list[str]] = ["participant", "employee", "member", "badge", "payroll", "id"]

    def __init__(self) -> None:
        super().__init__(
            supported_entity="PARTICIPANT_ID",
            patterns=self.PATTERNS,
            context=self.CONTEXT,
            name="ParticipantIdRecognizer",
            global_regex_flags=CASE_SENSITIVE,
        )
