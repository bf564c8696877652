"""Bank routing (ABA) numbers with a valid checksum (ABA_ROUTING)."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer


class AbaRoutingRecognizer(PatternRecognizer):
    """A bank routing (ABA) number: nine digits whose 3-7-1 checksum holds, next to "routing",
    "ABA" or "bank" (a direct-deposit or rollover form)."""

    PATTERNS: ClassVar[list[Pattern]] = [Pattern("aba", r"(?<![\w-])\d{9}(?![\w-])", 0.1)]
    CONTEXT: ClassVar[list[str]] = [
        "routing",
        "rout",
        "aba",
        "rtn",
        "bank",
        "transit",
        "deposit",
        "wire",
    ]  # "rout": the lemma spaCy gives "Routing"

    def __init__(self) -> None:
        super().__init__(
            supported_entity="ABA_ROUTING", patterns=self.PATTERNS, context=self.CONTEXT, name="AbaRoutingRecognizer"
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        """A failed checksum rules the number out; a good one proves little (one nine-digit number in
        ten passes), so the score stays and the context word decides (an SSN must not become a
        "routing number" at full confidence)."""
        d = [int(c) for c in pattern_text]
        return None if sum(w * x for w, x in zip([3, 7, 1] * 3, d, strict=True)) % 10 == 0 else False
