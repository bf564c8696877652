"""Presidio's phonenumbers-based recognizer, less what `not_a_phone` rules out (PHONE_NUMBER)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex as re
from presidio_analyzer import RecognizerResult
from presidio_analyzer.predefined_recognizers import PhoneRecognizer

from guardrails.recognizers.phones import not_a_phone

if TYPE_CHECKING:
    from presidio_analyzer.nlp_engine import NlpArtifacts


_DIGIT_RUN = re.compile(r"[+(]?\d[\d \t().\-/]{5,}\d")
"""where a phone number can be: seven or more digits with phone punctuation between them"""


class CheckedPhoneRecognizer(PhoneRecognizer):
    """Presidio's phonenumbers-based `PhoneRecognizer`, less what `not_a_phone` rules out: the
    library reads an RMD table row ("age 72 73 74 75 76") as a valid number.

    The library scans the whole text once per region (eight of them), which cost a long answer full
    of amounts and years ~7 ms; it is given only the digit runs that could be a phone number (with a
    few characters around them for a "+", brackets or an extension)."""

    WINDOW = 6

    def __init__(self) -> None:
        super().__init__(name="CheckedPhoneRecognizer")

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results: dict[tuple[int, int], RecognizerResult] = {}
        for m in _DIGIT_RUN.finditer(text):
            if sum(c.isdigit() for c in m.group(0)) < 7:
                continue
            lo, hi = max(0, m.start() - self.WINDOW), min(len(text), m.end() + self.WINDOW)
            for r in super().analyze(text[lo:hi], entities, nlp_artifacts):  # type: ignore[arg-type]
                r.start, r.end = r.start + lo, r.end + lo
                results.setdefault((r.start, r.end), r)
        return [r for r in results.values() if not not_a_phone(text[r.start : r.end])]
