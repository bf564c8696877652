"""US social security numbers with or without separators (US_SSN)."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer


class AnySsnRecognizer(PatternRecognizer):
    """US social security numbers with or without separators.

    Unlike Presidio's `UsSsnRecognizer` this does not drop numbers it considers invalid
    (such as 123-45-6789): a redaction guard should fail safe.
    """

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("ssn dashed", r"\b\d{3}-\d{2}-\d{4}\b", 0.6),
        Pattern("ssn spaced or dotted", r"\b\d{3}[ .]\d{2}[ .]\d{4}\b", 0.5),
        Pattern("ssn bare", r"\b\d{9}\b", 0.3),
        # "TIN"/"ITIN" as Presidio context words would match inside "routing", "waiting": a pattern instead
        Pattern("after tin", r"(?<=\b(?:TIN|ITIN|[Tt]in|[Ii]tin)\b[^\n\d]{0,20})\b\d{3}[- .]?\d{2}[- .]?\d{4}\b", 0.6),
    ]
    CONTEXT: ClassVar[list[str]] = ["ssn", "social", "security", "ss#", "taxpayer"]

    def __init__(self) -> None:
        super().__init__(
            supported_entity="US_SSN",
            patterns=self.PATTERNS,
            context=self.CONTEXT,
            name="AnySsnRecognizer",
        )
