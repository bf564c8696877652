"""Card numbers Presidio's card patterns leave out, next to "card" (CREDIT_CARD)."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer


class ContextCardRecognizer(PatternRecognizer):
    """Card numbers Presidio's card patterns leave out (12-19 digits: Maestro, JCB 2131/1800,
    Mastercard 2-series) when the Luhn check holds and the word "card" is near."""

    PATTERNS: ClassVar[list[Pattern]] = [Pattern("card digits", r"(?<![\w-])\d{12,19}(?![\w-])", 0.1)]
    CONTEXT: ClassVar[list[str]] = ["card", "credit", "debit", "visa", "mastercard", "amex", "maestro", "jcb"]

    def __init__(self) -> None:
        super().__init__(
            supported_entity="CREDIT_CARD", patterns=self.PATTERNS, context=self.CONTEXT, name="ContextCardRecognizer"
        )

    def validate_result(self, pattern_text: str) -> bool:
        total = 0
        for i, ch in enumerate(reversed(pattern_text)):
            d = int(ch) * (2 if i % 2 else 1)
            total += d - 9 if d > 9 else d
        return total % 10 == 0
