"""Full dates next to a birth word (DATE_OF_BIRTH)."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer

_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"


class DateOfBirthRecognizer(PatternRecognizer):
    """A full date (day, month and year) next to "born", "birth", "DOB" or "birthday".

    A birth year alone is kept: RMD and catch-up answers need it, and a year does not identify.
    """

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("numeric date", r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)?\d{2}\b", 0.05),
        Pattern("iso date", r"\b(?:19|20)\d{2}-\d{2}-\d{2}\b", 0.05),
        Pattern("month day year", rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}}\b", 0.05),
        Pattern("day month year", rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(?:19|20)\d{{2}}\b", 0.05),
    ]
    CONTEXT: ClassVar[list[str]] = ["born", "bear", "birth", "dob", "birthday", "birthdate", "d.o.b"]
    """("bear" because Presidio compares lemmas, and spaCy's lemma of "born" is "bear")"""

    def __init__(self) -> None:
        super().__init__(
            supported_entity="DATE_OF_BIRTH", patterns=self.PATTERNS, context=self.CONTEXT, name="DateOfBirthRecognizer"
        )


# --- street addresses -------------------------------------------------------------------------
