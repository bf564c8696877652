"""Part of an SSN next to the word SSN, or split across turns (US_SSN)."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer


class SsnFragmentRecognizer(PatternRecognizer):
    """Part of an SSN ("ends in 6789", "starts 123-45") next to the word SSN, or in a short
    follow-up message right after one that named it (digits split across turns)."""

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("ssn head", r"\b\d{3}[- ]\d{2}\b(?![- ]?\d)", 0.05),
        Pattern("ssn tail", r"(?<![\d,.$-])\b\d{4}\b(?![\d%-]|[,.]\d)", 0.05),
    ]
    CONTEXT: ClassVar[list[str]] = ["ssn", "ss#"]

    def __init__(self) -> None:
        super().__init__(
            supported_entity="US_SSN", patterns=self.PATTERNS, context=self.CONTEXT, name="SsnFragmentRecognizer"
        )
