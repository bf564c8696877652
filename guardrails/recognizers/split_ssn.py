"""An SSN split by spaces, punctuation or words, or spelled out (US_SSN)."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer

_DIGIT = r"(?:\d|\b(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)\b)"
_GLUE = r"(?:[\s.,/-]|\b(?:and|then|dash)\b)*"


class SplitSsnRecognizer(PatternRecognizer):
    """Nine digits split by spaces, punctuation or words, or spelled out ("one two three ...").

    Only with an SSN context word (or one from the previous message of the thread): nine digits
    in a row are too common to redact on their own.
    """

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("nine split or spelled digits", rf"(?<![\w-]){_DIGIT}(?:{_GLUE}{_DIGIT}){{8}}(?![\w-]*\d)", 0.05),
    ]
    CONTEXT: ClassVar[list[str]] = ["ssn", "social", "ss#", "taxpayer"]

    def __init__(self) -> None:
        super().__init__(
            supported_entity="US_SSN", patterns=self.PATTERNS, context=self.CONTEXT, name="SplitSsnRecognizer"
        )
