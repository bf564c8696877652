"""Phone numbers the phonenumbers library does not parse, by context or by shape (PHONE_NUMBER)."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer

from guardrails.recognizers.phones import not_a_phone


class ContextPhoneRecognizer(PatternRecognizer):
    """Phone numbers in international and local formats that the phonenumbers library does not
    parse ("+41 (0)62 585 51 90", "0688 843 79 56"), next to "phone", "call", "mobile" or "fax";
    and without a context word when the digits are grouped like a phone number: three or more
    groups with the same separator, 8 to 15 digits ("699 956 915", "71-33-52-22"), an area code in
    brackets ("(08) 8747 6301"), a trunk prefix ("0341 8387176") or a local "555-0199" number; not a
    date, years or a table row."""

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "phone",
            r"(?<![\w$.,-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,5}(?:[\s.-]\d{2,5}){0,3}[\s.-]\d{2,8}"
            r"(?:\s?(?:x|ext\.?)\s?\d{1,5})?(?![\w,.%-]?\d|[\w%])",
            0.05,
        ),
        Pattern(
            "phone-shaped groups",
            r"(?<![\w$.,/-])(?:\+\d{1,3}[ .-]?(?:\(0\)[ .-]?)?|\(\d{2,4}\)[ .-]?)?\d{2,4}([ .-])\d{2,4}(?:\1\d{2,4}){1,3}"
            r"(?![\w,.%/-]?\d|[\w%])",
            0.4,
        ),
        Pattern(
            "area code and two groups",
            r"(?<![\w$.,/-])(?:\+\d{1,3}[ .-]?)?\(\d{1,4}\)[ .-]?\d{2,4}[ .-]\d{3,4}(?![\w,.%/-]?\d|[\w%])",
            0.4,
        ),
        Pattern(
            "trunk prefix and subscriber number",
            # outside North America a national number starts with the trunk prefix 0 ("0341 8387176",
            # "020 71234567"); amounts, years and plan figures do not
            r"(?<![\w$.,/()-])0\d{1,4}[ .-]\d{5,8}(?![\w,.%/-]?\d|[\w%])",
            0.4,
        ),
        Pattern(
            "local number",
            r"(?<![\w$.,/()-])(?<!\b(?:Form|Forms|Publication|Pub\.|Line|Box|Page|Section|Table|No\.)[ \t])"
            r"\d{3}[ -](?!(?:19|20)\d\d\b)\d{4}(?![\w,.%/-]?\d|[\w%])",
            0.4,
        ),
        Pattern(
            "phone with extension",
            r"(?<![\w-])(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\s?(?:x|ext\.?)\s?\d{1,5}\b",
            0.5,
        ),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "phone",
        "call",
        "mobile",
        "cell",
        "fax",
        "tel",
        "telephone",
        "number",
        "reach",
        "text",
        "desk",
        "message",
        "sms",
        "whatsapp",
        "dial",
        "landline",
        "voicemail",
        "answer",
    ]

    def __init__(self) -> None:
        super().__init__(
            supported_entity="PHONE_NUMBER", patterns=self.PATTERNS, context=self.CONTEXT, name="ContextPhoneRecognizer"
        )

    def invalidate_result(self, pattern_text: str) -> bool | None:
        return not_a_phone(pattern_text)
