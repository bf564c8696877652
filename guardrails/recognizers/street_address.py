"""Street addresses, with their unit, city, region and postcode lines (STREET_ADDRESS)."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer

from guardrails.recognizers.address_patterns import (
    BLDG,
    EU_STREET,
    INLINE,
    LOWER_ADDRESS,
    NAME_ALONE,
    NAME_NUMBER,
    NAME_NUMBER_STRICT,
    NAMEW,
    PART,
    PREFIX_NUMBERED,
    SEP,
    STREETISH,
    SUFFIX,
    TAIL,
    UNIT,
    US_STREET,
)
from guardrails.recognizers.text_patterns import CASE_SENSITIVE


class StreetAddressRecognizer(PatternRecognizer):
    """A street address: house number, street name (a US suffix, a European street type before or
    after the name, or a "Name 12" form), apartments and suites, and the city/region/postcode lines
    that follow it; "the corner of A and B"; US military and PO box addresses. Case-sensitive:
    "the way" is not "Way"."""

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("street with suffix", rf"{US_STREET}{INLINE}{TAIL}", 0.5),
        Pattern("european street", rf"{EU_STREET}{INLINE}{TAIL}", 0.5),
        Pattern("numbered street with type before the name", rf"{PREFIX_NUMBERED}{INLINE}{TAIL}", 0.5),
        Pattern("name-number street, more lines", rf"{NAME_NUMBER}(?:{SEP}{PART}(?:[ \t]+{PART}){{0,4}}){{1,5}}", 0.45),
        Pattern("name-number street with unit", rf"{NAME_NUMBER},?[ \t]+{UNIT}{INLINE}{TAIL}", 0.5),
        Pattern("name-number street", rf"{NAME_NUMBER}{INLINE}{TAIL}", 0.2),
        Pattern("house number, name, building number", rf"{NAME_NUMBER_STRICT}{INLINE}{TAIL}", 0.4),
        Pattern(
            "name and number alone",
            rf"(?<![\w-][ \t]?){NAME_ALONE}(?:[ \t]+{NAME_ALONE}){{0,2}}[ \t]+(?!(?:19|20)\d\d){BLDG}",
            0.1,
        ),
        Pattern("street in lower-case text", LOWER_ADDRESS, 0.2),
        Pattern(
            # a named street without a house number ("lives on Elm Street", "on Marina Fort Street"):
            # only next to an address word
            "street without a number",
            rf"(?<=\b(?:on|at|in|to|off|near|along|from)[ \t]+)(?:{NAMEW}[ \t]+){{1,3}}{SUFFIX}(?![ \t]+\p{{Lu}})",
            0.05,
        ),
        Pattern(
            "named street, unmistakable type",
            rf"(?<=\b(?:on|at|to|off|near|along|from)[ \t]+)(?:{NAMEW}[ \t]+){{1,3}}"
            r"(?:Street|Avenue|Road|Boulevard|Lane|Drive)\b(?![ \t]+\p{Lu})",
            0.4,
        ),
        Pattern("street corner", rf"\b[Tt]he corner of[ \t]+{STREETISH}\.?[ \t]+and[ \t]+{STREETISH}", 0.6),
        Pattern(
            "military or po box",
            r"\b(?:(?:PSC|Unit|USNS|USNV|USS|USCGC)[ \t]+[\w ]{1,30}?,?[ \t\n]+(?:Box[ \t]+\d{1,5}[ \t]*\n?[ \t]*)?"
            r"(?:APO|FPO|DPO)[ \t]+A[AEP][ \t]+\d{5}|(?:\d{1,6}[ \t]+)?P\.?[ \t]?O\.?[ \t]+Box[ \t]+\d{1,6}"
            rf"(?:[ \t]+{NAMEW}){{0,3}}(?:[ \t]+{SUFFIX})?{INLINE})" + TAIL,
            0.6,
        ),
        Pattern("unit alone", UNIT, 0.1),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "address",
        "live",
        "lives",
        "living",
        "reside",
        "located",
        "location",
        "home",
        "house",
        "apartment",
        "office",
        "street",
        "corner",
        "mail",
        "send",
        "sent",
        "ship",
        "deliver",
        "billing",
        "postal",
        "moved",
        "meet",
        "visit",
        "drop",
        "pick",
        "directions",
        # more words people use around an address
        "resides",
        "residence",
        "stay",
        "staying",
        "based",
        "headquarter",
        "store",
        "shop",
        "restaurant",
        "hotel",
        "venue",
        "building",
        "flat",
        "neighborhood",
        "neighbourhood",
        "hometown",
        "zip",
        "postcode",
        "delivery",
        "return",
        "forward",
        "parcel",
        "package",
        "envelope",
    ]

    def __init__(self) -> None:
        super().__init__(
            supported_entity="STREET_ADDRESS",
            patterns=self.PATTERNS,
            context=self.CONTEXT,
            name="StreetAddressRecognizer",
            global_regex_flags=CASE_SENSITIVE,
        )
