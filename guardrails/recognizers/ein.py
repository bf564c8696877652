"""Employer identification numbers (US_EIN)."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer


class EinRecognizer(PatternRecognizer):
    """An employer identification number, 12-3456789 (a sole proprietor's EIN identifies a person)."""

    PATTERNS: ClassVar[list[Pattern]] = [Pattern("ein", r"(?<![\w-])\d{2}-\d{7}(?![\w-])", 0.3)]
    CONTEXT: ClassVar[list[str]] = ["ein", "fein", "employer", "identification", "tax"]

    def __init__(self) -> None:
        super().__init__(supported_entity="US_EIN", patterns=self.PATTERNS, context=self.CONTEXT, name="EinRecognizer")
