"""A first name, a middle initial and a surname (PERSON)."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer

from guardrails.recognizers.text_patterns import CASE_SENSITIVE, LETTERS, NOT_NAME


class MiddleInitialNameRecognizer(PatternRecognizer):
    """PERSON: a capitalised first name, a middle initial and a capitalised surname ("Shane M Culp",
    "Faina D. Yefremova"), whatever the language of the name. Not "Part B Premiums", "Plan A
    Participants" or a Title Case heading ("What I Need": a bare "A" or "I" is a word, not an initial)."""

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "first, initial, last",
            rf"(?<![\w'’-]){NOT_NAME}(?!(?:Medicare|Vitamin|Type|Group|Category|Model|Unit|Column|Program|Sub|Subpart|"
            rf"Letter|Grade|Tab|Annex)\b)\p{{Lu}}\p{{Ll}}[{LETTERS}'’-]*[ \t]+(?:[B-HJ-Z]\.?|[AI]\.)[ \t]+"
            rf"\p{{Lu}}\p{{Ll}}[{LETTERS}'’-]*",
            0.65,
        ),
    ]

    def __init__(self) -> None:
        super().__init__(
            supported_entity="PERSON",
            patterns=self.PATTERNS,
            name="MiddleInitialNameRecognizer",
            global_regex_flags=CASE_SENSITIVE,
        )
