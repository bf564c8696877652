"""A name after an introduction, a title or a person word (PERSON)."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer

from guardrails.recognizers.text_patterns import CASE_SENSITIVE, MONTHS_DAYS

_INTRO_NOT_NAME = (
    r"(?:on|not|in|the|a|an|at|and|but|or|so|i|is|was|wrong|missing|spelled|misspelled|listed|changed|different|"
    r"still|also|correct|incorrect|right|showing|shown|printed|written|there|here|my|your|his|her|their|being|"
    r"been|now|just|legally|officially|actually|really|no|yes|to|for|with|from|by|as|if|when|please|thanks|thank|"
    r"same|ok|okay|back|anytime|any|about|after|before|because|since|what|which|who|how|why|that|this|it)"
)
"""words after "my name is" in lower-case text that are not a name ("my name is on the account")"""


_INTRODUCED = (
    rf"(?!(?:Retired|Married|Single|Divorced|Widowed|Disabled|Unemployed|Employed|Working|Not|Over|Under|About|"
    rf"Turning|Still|Now|Going|Looking|Trying|Thinking|Planning|Leaving|Getting|Self|Currently|Also|Just|Very|"
    rf"New|Sure|Here|Back|Age|Aged|Almost|Nearly|Part|Full|Eligible|Vested|Enrolled|The|A|An|Tomorrow|Today|"
    rf"Tonight|Later|Anytime|Soon|{MONTHS_DAYS[3:-3]})\b)"
    r"\p{Lu}[\p{Ll}\p{M}'’-]+(?:[ \t]+(?:[A-Z]\.?|\p{Lu}[\p{Ll}\p{M}'’-]+)){0,2}\b"
)
"""the name after an introduction: one to three capitalised words or initials, not a word such as
"Retired", "Eligible" or a month or weekday ("call me Monday")"""


class IntroducedNameRecognizer(PatternRecognizer):
    """A capitalised name right after an introduction or a title ("my name is Ana Ruiz", "her maiden
    name is Møller", "named him Luís", "this is Ana", "Mrs. Ruiz", "Dear Ana"), which the small spaCy
    model often misses.

    Presidio matches with the `regex` module, so the introduction is a look-behind and only the
    name is redacted. Words on the policy's allow list (Roth, Acme, ...) are still kept.
    """

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "introduced name",
            r"(?<=\b(?:[Nn]ame is|[Nn]ame's|[Nn]ame was|named|named (?:him|her|them)|I am|I'm|[Tt]his is|[Nn]ame:|Dear|"
            r"Mr\.?|Mrs\.?|Ms\.?|Miss|Dr\.?|Mx\.?|mr\.|mrs\.|ms\.|dr\.)[ \t]+)" + _INTRODUCED,
            0.65,
        ),
        Pattern(
            "name after a person word",
            r"(?<=\b(?:(?:my|our|his|her|their|the|late|ex-?)[ \t]+(?:wife|husband|spouse|partner|son|daughter|"
            r"mother|father|mom|dad|brother|sister|beneficiary|executor|trustee|advisor|adviser|manager|boss)|"
            r"[Bb]eneficiary:|[Ss]pouse:|[Cc]ontact(?: person| name)?:|[Aa]ttn\.?:?|ATTN:?|[Aa]ttention:|[Ss]igned(?: by)?:?|"
            r"[Ss]igned by|call me|calls me|[Rr]egards,?[ \t]*\n|[Ss]incerely,?[ \t]*\n|[Bb]est,?[ \t]*\n)"
            r",?[ \t]*)" + _INTRODUCED,
            0.65,
        ),
        Pattern(
            "introduced name, lower case",
            rf"(?<=\b(?:(?:my|her|his|their)(?: maiden)? name is|my name's)[ \t]+)(?!{_INTRO_NOT_NAME}\b)[a-zà-öø-ÿ][a-zà-öø-ÿ'’-]+"
            rf"(?:[ \t]+(?!{_INTRO_NOT_NAME}\b)[a-zà-öø-ÿ][a-zà-öø-ÿ'’-]+)?\b",
            0.65,
        ),
    ]

    def __init__(self) -> None:
        super().__init__(
            supported_entity="PERSON",
            patterns=self.PATTERNS,
            name="IntroducedNameRecognizer",
            global_regex_flags=CASE_SENSITIVE,
        )
