"""Beacon's own PII recognizers, registered in the explicit list `CUSTOM_RECOGNIZERS`.

Each recognizer is mostly data (patterns and context words), as in Presidio's own. Scores follow
Presidio's convention: a pattern that is ambiguous on its own gets a low score and only passes
the policy's per-entity threshold (`guardrails/policy.yaml`) when a context word is nearby
(Presidio adds 0.35 for one), or when the previous message of the thread supplied it.
"""

from __future__ import annotations

import functools
import itertools
from typing import TYPE_CHECKING, Any, ClassVar

import regex as re
from presidio_analyzer import AnalysisExplanation, LocalRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.predefined_recognizers import PhoneRecognizer
from spacy.lang.en.stop_words import STOP_WORDS

if TYPE_CHECKING:
    from presidio_analyzer.nlp_engine import NlpArtifacts
    from spacy.tokens import Token

CASE_SENSITIVE = re.DOTALL | re.MULTILINE


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


class SsnFragmentRecognizer(PatternRecognizer):
    """Part of an SSN ("ends in 6789", "starts 123-45") next to the word SSN, or in a short
    follow-up message right after one that named it (digits split across turns)."""

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("ssn head", r"\b\d{3}[- ]\d{2}\b(?![- ]?\d)", 0.05),
        Pattern("ssn tail", r"(?<![\d,.$-])\b\d{4}\b(?![\d%-]|[,.]\d)", 0.05),
    ]
    CONTEXT: ClassVar[list[str]] = ["ssn", "ss#"]

    def __init__(self) -> None:
        super().__init__(
            supported_entity="US_SSN", patterns=self.PATTERNS, context=self.CONTEXT, name="SsnFragmentRecognizer"
        )


class PlanAccountRecognizer(PatternRecognizer):
    """A retirement plan or brokerage account number: 6-12 digits, optionally with a short
    letter prefix, next to "account", "acct" or "contract" (0.45 in context: it outranks a
    phone-number reading of the same digits)."""

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("account number", r"(?<![\w$.,-])(?:[A-Z]{1,3}-?)?\d{6,12}(?![\w,.%-]\d|[\w%])", 0.1),
        Pattern("grouped account number", r"(?<![\w$.,-])\d{3,4}(?:-\d{3,6}){1,2}(?![\w-])", 0.1),
    ]
    CONTEXT: ClassVar[list[str]] = ["account", "acct", "acct#", "contract", "policy"]

    def __init__(self) -> None:
        super().__init__(
            supported_entity="PLAN_ACCOUNT",
            patterns=self.PATTERNS,
            context=self.CONTEXT,
            name="PlanAccountRecognizer",
            global_regex_flags=CASE_SENSITIVE,
        )


class ParticipantIdRecognizer(PatternRecognizer):
    """A participant, employee or member id (letters and digits such as A-1002 or E4471920)
    next to "participant", "employee", "member" or "badge"."""

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("participant id", r"(?<![\w-])[A-Z]{1,3}-?\d{4,9}(?![\w-])", 0.05),
        Pattern("numeric participant id", r"(?<![\w$.,-])\d{5,9}(?![\w,.%-]\d|[\w%])", 0.01),
    ]
    CONTEXT: ClassVar[list[str]] = ["participant", "employee", "member", "badge", "payroll", "id"]

    def __init__(self) -> None:
        super().__init__(
            supported_entity="PARTICIPANT_ID",
            patterns=self.PATTERNS,
            context=self.CONTEXT,
            name="ParticipantIdRecognizer",
            global_regex_flags=CASE_SENSITIVE,
        )


class EinRecognizer(PatternRecognizer):
    """An employer identification number, 12-3456789 (a sole proprietor's EIN identifies a person)."""

    PATTERNS: ClassVar[list[Pattern]] = [Pattern("ein", r"(?<![\w-])\d{2}-\d{7}(?![\w-])", 0.3)]
    CONTEXT: ClassVar[list[str]] = ["ein", "fein", "employer", "identification", "tax"]

    def __init__(self) -> None:
        super().__init__(supported_entity="US_EIN", patterns=self.PATTERNS, context=self.CONTEXT, name="EinRecognizer")


class AbaRoutingRecognizer(PatternRecognizer):
    """A bank routing (ABA) number: nine digits whose 3-7-1 checksum holds, next to "routing",
    "ABA" or "bank" (a direct-deposit or rollover form)."""

    PATTERNS: ClassVar[list[Pattern]] = [Pattern("aba", r"(?<![\w-])\d{9}(?![\w-])", 0.1)]
    CONTEXT: ClassVar[list[str]] = ["routing", "rout", "aba", "rtn", "bank", "transit", "deposit", "wire"]  # "rout": the lemma spaCy gives "Routing"

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
# Building blocks (Presidio matches with the `regex` module, so \p{Lu} is any capital letter:
# Latin, Greek, Cyrillic). Words are case-sensitive: "the way" is not "Way".
_LETTERS = r"\p{L}\p{M}"
_CAP = rf"\p{{Lu}}(?:[{_LETTERS}]{{0,3}}\.(?=[ \t]*[\d\p{{Lu}}])|[{_LETTERS}'’-]*+)"
"""a capitalised word; a trailing full stop only as an abbreviation ("St. Omers", "Avda. Rio")"""
_PARTICLE = r"(?:de|del|della|delle|dei|degli|des|du|da|do|dos|das|di|la|le|les|el|al|van|von|der|den|ten|ter|y|e|i|na|nad|pod|am|an|im|auf|sur|sous)"
"""lower-case words inside street and place names ("Avenue du Golf", "Mora de Rubielos")"""
_NOT_NAME = (
    r"(?!(?:Form|Forms|Publication|Pub|Chapter|Section|Sec|Table|Worksheet|Schedule|Line|Lines|Part|Box|Page|"
    r"Pages|Step|Figure|Exhibit|Appendix|Article|Item|Notice|Rev|Proc|Cat|No|Code|Title|Plan|Tier|Level|Year|"
    r"Years|Age|Ages|Option|Question|Example|Rule|Note|Chart|Lesson|Fund|Funds|Class|Series|Target|Index|Q)\b)"
)
"""words of tax forms and plan documents that precede numbers ("2025 Form 5329", "48 Publication 590")"""
_NAMEW = rf"(?:{_NOT_NAME}{_CAP}|{_PARTICLE}(?=[ \t])|[dl]['’]\p{{Lu}}[{_LETTERS}-]*)"
_SUFFIX = (
    # USPS Publication 28 street suffixes (the common ones) and their abbreviations
    r"(?:Street|Streets|St|Str|Avenue|Ave|Av|Road|Roads|Rd|Lane|Ln|Drive|Drives|Dr|Boulevard|Blvd|Court|Courts|Ct|"
    r"Way|Ways|Place|Pl|Terrace|Ter|Circle|Circles|Cir|Highway|Hwy|Parkway|Parkways|Pkwy|Square|Squares|Sq|"
    r"Trail|Trl|Crescent|Close|Row|Walk|Walks|Plaza|Pike|Ridge|Ridges|Run|Alley|Loop|Gardens|Garden|Mews|Hill|"
    r"Hills|Park|Parks|Green|Greens|Heights|Vale|View|Views|Vista|Port|Ports|Ville|Point|Points|Crossing|"
    r"Crossroad|Estate|Estates|Manor|Manors|Meadow|Meadows|Isle|Island|Islands|Junction|Junctions|Spur|Spurs|"
    r"Stravenue|Tunnel|Village|Villages|Well|Wells|Rapid|Rapids|Center|Centers|Forge|Forges|Shoal|Shoals|"
    r"Field|Fields|Glen|Glens|Flat|Flats|Falls|Ferry|Fort|Freeway|Gateway|Harbor|Harbors|Haven|Creek|Cove|"
    r"Coves|Corner|Corners|Camp|Branch|Bridge|Brook|Brooks|Burg|Burgs|Bypass|Canyon|Cape|Causeway|Cliff|"
    r"Cliffs|Club|Common|Commons|Course|Crest|Curve|Dale|Dam|Divide|Expressway|Extension|Ford|Fords|Forest|"
    r"Fork|Forks|Grove|Groves|Hollow|Inlet|Key|Keys|Knoll|Knolls|Lake|Lakes|Landing|Light|Lights|Lock|Locks|"
    r"Lodge|Mall|Mill|Mills|Mission|Motorway|Mount|Mountain|Neck|Orchard|Oval|Overpass|Pass|Passage|Path|"
    r"Pine|Pines|Plain|Plains|Prairie|Ranch|River|Route|Shore|Shores|Skyway|Spring|Springs|Station|Stream|"
    r"Summit|Trace|Track|Turnpike|Underpass|Union|Unions|Valley|Valleys|Viaduct|Walkway|Wharf)\b\.?"
)
_PREFIX = (
    # street types written before the name (French, Italian, Spanish, Portuguese, Catalan, Polish,
    # Slovenian/Croatian, Czech, Greek, Romanian, Indonesian) and their abbreviations
    r"(?:Rue|rue|Via|Viale|Vicolo|Piazza|Piazzale|Corso|Largo|Strada|Rua|rua|Rúa|rúa|Avenida|Avda\.|Av\.?|"
    r"Travessa|Praça|Estrada|Alameda|Calle|C/|Carrer|Camino|Paseo|Passeig|Plaza|Ronda|Vía|Avenue|avenue|"
    r"Boulevard|boulevard|Bd|Chemin|chemin|Allée|Impasse|Place|Quai|Cours|ul\.|Ul\.|ulica|Ulica|al\.|Al\.|"
    r"Aleja|aleja|pl\.|Plac|plac|os\.|Osiedle|trg|Trg|Náměstí|nám\.|Λεωφόρος|Οδός|Οδος|Πλατεία|Str\.|Calea|"
    r"Bulevardul|Jalan|Jl\.|Pasaje|Rodovia|Viela|Vereda|Contrada|Borgo|Aleea|Intrarea|Carrera|Cra\.|Diagonal|"
    r"Transversal|impasse|allée|quai)"
)
_COMPOUND = (
    # a street type joined to the name ("Kopfhölzistrasse", "Magasinsgatan", "Sludevej", "Tawastintie")
    rf"\p{{Lu}}[{_LETTERS}-]{{2,}}(?:strasse|straße|str\.|gasse|weg|allee|platz|damm|ufer|steig|pfad|gatan|"
    r"vägen|väg|gränd|veien|vegen|vegur|gata|vej|gade|stræde|tie|katu|kuja|polku|laan|straat|plein|gracht|"
    r"dijk|singel|utca|braut|stígur|cesta|ulica|tänav|kaari|rinne|dreef|backen|torget|stigen|svingen|"
    r"vænget|ranta|sétány|caddesi|sokak|sokağı)\b"
)
_TYPE_AFTER = (
    # a separate street-type word after the name ("Wesselényi u. 94", "Stensås terrasse 38")
    r"(?:u\.|út|útja|utca|körút|tér|sor|terrasse|tee|tänav|gata|gatan|vej|vei|veien|vegen|gate|cesta|ulica|"
    r"straße|strasse|weg|allee|laan|straat|kuja|tie|katu|polku|köz|sétány|sokak|sk\.|caddesi|cd\.|mnt\.?)"
)
_UNIT = (
    r"\b(?:[Aa]pt\.?|Apartment|[Ss]uite|Ste\.?|Unit|Floor|Fl\.?)(?:[ \t]*#[ \t]*|[ \t]+)(?:\d\w{0,5}|[A-Z]\d{0,4})\b"
)
_NUM = r"(?<![\w$.,/-])\d{1,6}[A-Za-z]?(?:[ \t]+\d{1,6})?(?![\w%])"
"""a house number, or two numbers ("370 3911": a lot or unit number before the house number)"""
_BLDG = r"\d{1,4}[A-Za-z]?(?![\w%(-]|[,.]\d)\.?"
"""a building number after a European street name ("Dalmatinova 68", "u. 94.")"""
_SEP = r"[ \t]*(?:,[ \t]*(?:\n[ \t?•·*]*)*|(?:\n[ \t?•·*]*)+(?:,[ \t]*)?)"
"""between address lines: a comma, line breaks (bulleted or not), or both ("\n, CO\n 70079")"""
_PART = (
    rf"(?:{_UNIT}|\((?:\p{{Lu}}[{_LETTERS}]*)\)|{_NAMEW}(?!:)|nan\b|\d{{3,6}}(?:-\d{{3,4}})?\b|"
    r"\d{2}(?=[ \t]+\d{3,6}\b)|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d\b)"
)
"""a word of a unit, city, region, country or postcode line (not a "Mobile:" label)"""
_TAIL = rf"(?:{_SEP}{_PART}(?:[ \t]+{_PART}){{0,4}}){{0,5}}"
_INLINE = rf"(?:,?[ \t]+{_UNIT})*(?:[ \t]+(?:{_CAP}|{_PARTICLE}(?=[ \t]+\p{{Lu}})|\d{{3,6}}\b)){{0,4}}"
"""units and a city/region/postcode on the same line ("Apt. 892 GUÉRET LI")"""
_US_STREET = rf"{_NUM}(?:[ \t]+{_NAMEW}){{1,4}}?[ \t]+{_SUFFIX}"
_EU_STREET = (
    rf"(?:{_NUM}[ \t]+)?(?:{_PREFIX}[ \t]+(?:{_NAMEW}[ \t]+){{0,4}}{_NAMEW}|(?:{_NAMEW}[ \t]+){{0,2}}{_COMPOUND}|"
    rf"(?:{_NAMEW}[ \t]+){{0,2}}[{_LETTERS}]+[ \t]+{_TYPE_AFTER})[ \t]+{_BLDG}"
)
_MONTHS_DAYS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|"
    r"Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
_NAME_ALONE = rf"(?!{_MONTHS_DAYS}){_NOT_NAME}\p{{Lu}}\p{{Ll}}[{_LETTERS}'’-]++"
"""a street name without a house number before it ("Ziegelgasse 19"): a word of three letters or more, not a month"""
_PREFIX_NUMBERED = rf"{_NUM}[ \t]+{_PREFIX}[ \t]+(?:{_NAMEW}|\p{{Ll}}+)(?:[ \t]+{_NAMEW}){{0,4}}"
_NAME_NUMBER = rf"{_NUM}(?:[ \t]+{_NAMEW}){{1,4}}[ \t]+{_BLDG}"
_TITLE_CASE_WORD = (
    r"(?:Of|The|To|And|For|In|On|At|A|An|You|Your|Is|Are|With|From|By|Or|My|Our|How|What|Why|When|Ways?|Tips|"
    r"Steps|Reasons|Things|Top|Best|Years?|Months?|Weeks?|Days?|Hours?|Minutes?|Percent|Times?)\b"
)
"""words of a Title Case headline ("5 Musicians Of The 70s"), not of a street name"""
_AFTER_DOC_WORD = (
    r"(?<!\b(?:Chapter|Section|Sec\.|Page|Part|Step|Table|Line|Form|Box|No\.|Publication|Pub\.|Article|Item|"
    r"Schedule|Worksheet|Appendix|Figure|Exhibit|Rule|Code|Title|Notice|Question|Example|Lesson|Tier|Age|Ages|"
    r"Year|Years)[ \t])"
)
_NAME_NUMBER_STRICT = (
    rf"{_AFTER_DOC_WORD}(?<![\w$.,/-])\d{{2,6}}(?:[ \t]+\d{{1,6}})?(?:[ \t]+(?:(?!{_MONTHS_DAYS}|{_TITLE_CASE_WORD}){_NOT_NAME}"
    rf"\p{{Lu}}\p{{Ll}}[{_LETTERS}'’-]*+|{_PARTICLE}(?=[ \t]))){{1,3}}[ \t]+(?!(?:19|20)\d\d\b)\d{{1,4}}(?![\w%(-]|[,.]\d)\.?"
)
"""a house number, one to three capitalised words and a building number ("87818 Dalmatinova 68"):
an address shape on its own, unless a document word ("Chapter 1 Traditional IRAs 5") or a date
("25 Feb 2022") explains the numbers"""
_LOWER_STOP = (
    r"(?:a|an|the|and|or|but|in|on|at|to|of|for|with|by|from|as|is|are|was|be|i|my|me|we|you|it|this|that|"
    r"times?|years?|months?|weeks?|days?|hours?|percent|more|less|than|kids|children|dollars|shares|loans?|plans?|"
    r"please|thanks|when|if|then|so|after|before|about|per|each|every|other|another|form|forms|line|lines|box|page|"
    r"part|section|chapter|table|schedule|worksheet|publication|pub|step|item|rule|code|notice|subtract|add|enter|"
    r"see|minus|plus|age|ages|tier|level|option|fund|funds)\b"
)
_LOWER_WORD = rf"(?!{_LOWER_STOP})[\p{{Ll}}][{_LETTERS}'’.-]*+"
_LOWER_ADDRESS = (
    # the whole text is in lower case ("meet me at 2407 tawastintie 6, sé, portugal"): no capital letter anywhere
    rf"(?<![\w$.,/-])(?=\d\d)(?!(?:19|20)\d\d\b)(?!.*\p{{Lu}})(?<!\p{{Lu}}.*)\d{{2,6}}(?:[ \t]+{_LOWER_WORD}){{1,4}}?"
    rf"(?:[ \t]+\d{{1,4}}(?![\w%(-]|[,.]\d)\.?|[ \t]+(?:street|st\.|avenue|ave\.|road|rd\.|drive|lane|boulevard|blvd))"
    rf"(?:,?[ \t]+(?:apt\.?|suite|unit)[ \t]+\d{{1,6}})*(?:[ \t]+{_LOWER_WORD}){{0,4}}"
    rf"(?:(?:,[ \t]*|[ \t]*\n[ \t,]*)(?:{_LOWER_WORD}|\(\p{{Ll}}+\)|\d{{3,6}})(?:[ \t]+(?:{_LOWER_WORD}|\(\p{{Ll}}+\)|\d{{3,6}})){{0,3}}){{0,4}}"
)
_STREETISH = (
    rf"(?:{_US_STREET}|{_EU_STREET}|{_PREFIX_NUMBERED}|{_NAME_NUMBER}|(?:{_NUM}[ \t]+)?(?:{_PREFIX}[ \t]+)?{_NAMEW}"
    rf"(?:[ \t]+{_NAMEW}){{0,3}}(?:[ \t]+{_BLDG})?)"
)


class StreetAddressRecognizer(PatternRecognizer):
    """A street address: house number, street name (a US suffix, a European street type before or
    after the name, or a "Name 12" form), apartments and suites, and the city/region/postcode lines
    that follow it; "the corner of A and B"; US military and PO box addresses. Case-sensitive:
    "the way" is not "Way"."""

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("street with suffix", rf"{_US_STREET}{_INLINE}{_TAIL}", 0.5),
        Pattern("european street", rf"{_EU_STREET}{_INLINE}{_TAIL}", 0.5),
        Pattern("numbered street with type before the name", rf"{_PREFIX_NUMBERED}{_INLINE}{_TAIL}", 0.5),
        Pattern(
            "name-number street, more lines", rf"{_NAME_NUMBER}(?:{_SEP}{_PART}(?:[ \t]+{_PART}){{0,4}}){{1,5}}", 0.45
        ),
        Pattern("name-number street with unit", rf"{_NAME_NUMBER},?[ \t]+{_UNIT}{_INLINE}{_TAIL}", 0.5),
        Pattern("name-number street", rf"{_NAME_NUMBER}{_INLINE}{_TAIL}", 0.2),
        Pattern("house number, name, building number", rf"{_NAME_NUMBER_STRICT}{_INLINE}{_TAIL}", 0.4),
        Pattern(
            "name and number alone",
            rf"(?<![\w-][ \t]?){_NAME_ALONE}(?:[ \t]+{_NAME_ALONE}){{0,2}}[ \t]+(?!(?:19|20)\d\d){_BLDG}",
            0.1,
        ),
        Pattern("street in lower-case text", _LOWER_ADDRESS, 0.2),
        Pattern(
            # a named street without a house number ("lives on Elm Street", "on Marina Fort Street"):
            # only next to an address word
            "street without a number",
            rf"(?<=\b(?:on|at|in|to|off|near|along|from)[ \t]+)(?:{_NAMEW}[ \t]+){{1,3}}{_SUFFIX}(?![ \t]+\p{{Lu}})",
            0.05,
        ),
        Pattern(
            "named street, unmistakable type",
            rf"(?<=\b(?:on|at|to|off|near|along|from)[ \t]+)(?:{_NAMEW}[ \t]+){{1,3}}"
            r"(?:Street|Avenue|Road|Boulevard|Lane|Drive)\b(?![ \t]+\p{Lu})",
            0.4,
        ),
        Pattern("street corner", rf"\b[Tt]he corner of[ \t]+{_STREETISH}\.?[ \t]+and[ \t]+{_STREETISH}", 0.6),
        Pattern(
            "military or po box",
            r"\b(?:(?:PSC|Unit|USNS|USNV|USS|USCGC)[ \t]+[\w ]{1,30}?,?[ \t\n]+(?:Box[ \t]+\d{1,5}[ \t]*\n?[ \t]*)?"
            r"(?:APO|FPO|DPO)[ \t]+A[AEP][ \t]+\d{5}|(?:\d{1,6}[ \t]+)?P\.?[ \t]?O\.?[ \t]+Box[ \t]+\d{1,6}"
            rf"(?:[ \t]+{_NAMEW}){{0,3}}(?:[ \t]+{_SUFFIX})?{_INLINE})" + _TAIL,
            0.6,
        ),
        Pattern("unit alone", _UNIT, 0.1),
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
    rf"Tonight|Later|Anytime|Soon|{_MONTHS_DAYS[3:-3]})\b)"
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


_LABEL_WORDS = frozenset(
    """Bot User Agent Customer Caller Client Participant Member Employee Employer Advisor Adviser Rep Support
    Operator Assistant System Admin Moderator Host Guest Speaker Interviewer Interviewee Narrator Q A Re Fwd
    Subject Phone Mobile Cell Fax Desk Email Website Address Note Tip Example Answer Question Chat""".split()
)
"""speaker labels and field labels that are roles, not names ("Agent:", "Caller:", "Mobile:")"""
_SPEAKER = re.compile(r"^[ \t]*(\p{Lu}[\p{Ll}\p{M}'’-]+)[ \t]*:[ \t]+\S", re.MULTILINE)
_VOCATIVE = re.compile(
    r"(?:^|(?<=[.!?\n][ \t]{0,3}))(?:(?:Hi|Hello|Hey|Dear|Thanks|Thank you|Sorry|Excuse me|Oh|Well|Yes|No),?[ \t]+)?"
    r"(\p{Lu}[\p{Ll}\p{M}'’-]+),[ \t]+(?=(?:can|could|would|will|please|do|did|are|is|have|has|I|you|we|"
    r"thanks|thank|how|what|when|where|why|let|listen|look|remember|tell|wait|stop|hurry|come|meet)\b)"
)
_REPORTED = re.compile(
    r"\b(?:said|asked|told|replied|answered|shouted|whispered|wrote|says|asks)[ \t]+(\p{Lu}[\p{Ll}\p{M}'’-]+)"
    r"(?:[ \t]+(?:to|at)[ \t]+(\p{Lu}[\p{Ll}\p{M}'’-]+))?(?![\w'’-])"
)


class SpeakerNameRecognizer(LocalRecognizer):
    """PERSON where the text's shape says a word is someone's name, even one no list knows:

    * speaker labels of a transcript ("Leverett: What a wife.⏎Danielle: …"; two or more labelled
      lines, as an agent pastes from a call or chat);
    * a person addressed at the start of a sentence ("Warrane, can I please speak to your boss?");
    * reported speech ("said Maslin to Antonio").

    Never a role or field label ("Agent:", "Mobile:") or an English word ("Note:", "Example:",
    "Well, ..."; the spaCy pipeline's WordNet index says which)."""

    SCORE = 0.65

    def __init__(self) -> None:
        super().__init__(supported_entities=["PERSON"], name="SpeakerNameRecognizer")

    def load(self) -> None:
        pass

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if nlp_artifacts is None or "PERSON" not in entities:
            return []
        words = dictionary_words(nlp_artifacts.nlp_engine)
        if not words:
            return []
        names = census_names()

        def is_name(word: str) -> bool:
            return (
                len(word) > 2
                and word.lower() not in STOP_WORDS
                and word not in _LABEL_WORDS
                and word not in CensusNameRecognizer.NOT_NAMES
                and (word in names or not is_dictionary_word(word, words))
            )

        spans: list[tuple[int, int]] = []
        labels = list(_SPEAKER.finditer(text))
        if len(labels) >= 2 and len({m.group(1) for m in labels}) >= 2:
            spans += [m.span(1) for m in labels if is_name(m.group(1))]
        for m in _VOCATIVE.finditer(text):
            if is_name(m.group(1)):
                spans.append(m.span(1))
        for m in _REPORTED.finditer(text):
            spans += [m.span(g) for g in (1, 2) if m.group(g) and is_name(m.group(g))]
        return [
            RecognizerResult(
                "PERSON",
                start,
                end,
                self.SCORE,
                analysis_explanation=AnalysisExplanation(
                    "SpeakerNameRecognizer", self.SCORE, textual_explanation="speaker, addressee or reported speaker"
                ),
                recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: "SpeakerNameRecognizer",
                    RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                },
            )
            for start, end in spans
        ]


class MiddleInitialNameRecognizer(PatternRecognizer):
    """PERSON: a capitalised first name, a middle initial and a capitalised surname ("Shane M Culp",
    "Faina D. Yefremova"), whatever the language of the name. Not "Part B Premiums", "Plan A
    Participants" or a Title Case heading ("What I Need": a bare "A" or "I" is a word, not an initial)."""

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "first, initial, last",
            rf"(?<![\w'’-]){_NOT_NAME}(?!(?:Medicare|Vitamin|Type|Group|Category|Model|Unit|Column|Program|Sub|Subpart|"
            rf"Letter|Grade|Tab|Annex)\b)\p{{Lu}}\p{{Ll}}[{_LETTERS}'’-]*[ \t]+(?:[B-HJ-Z]\.?|[AI]\.)[ \t]+"
            rf"\p{{Lu}}\p{{Ll}}[{_LETTERS}'’-]*",
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


@functools.cache
def _census_first_names() -> frozenset[str]:
    """First names of the US Census 1990 lists shipped in the `names` package (5,163 names)."""
    from importlib.resources import files

    out: set[str] = set()
    for filename in ("dist.female.first", "dist.male.first"):
        for line in (files("names") / filename).read_text(encoding="ascii").splitlines():
            if line.strip():
                out.add(line.split()[0].title())
    return frozenset(out)


@functools.cache
def _world_first_names() -> frozenset[str]:
    """First names from 50+ countries: Jörg Michael's name dictionary `nam_dict.txt` (GNU FDL 1.2),
    read as data from the `gender-guesser` package (no code of it is imported). Single words only
    ("Jean+Pierre" compounds are left out: each part is listed on its own line)."""
    from importlib.resources import files

    out: set[str] = set()
    text = (files("gender_guesser") / "data" / "nam_dict.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        parts = line.split()
        if line[:1] in ("#", "=") or len(parts) < 2:
            continue
        name = parts[1]  # the gender code, then the name
        if name[0].isupper() and re.fullmatch(r"[\p{L}\p{M}'’]+", name):
            out.add(name)
    return frozenset(out)


class CensusNameRecognizer(LocalRecognizer):
    """PERSON: a census first name that spaCy tags as a proper noun, with a middle initial and a
    capitalised surname when they follow ("Rebecca", "Sofia Lima", "Shane M Culp"). First names of
    other countries ("Halldór", "Virpi", "Miklós Hajdu") count too when they are not English words
    (`_world_first_names`; the spaCy pipeline's WordNet index says which: "Karma", "Red" are not).

    The small spaCy model often labels such names ORG or GPE or nothing; its part-of-speech tag
    still says proper noun, and "Will" (modal) or "Mark" (verb) are not. Census first names that are
    also ordinary words, months, places or firms ("Hope", "June", "Chase", "Lincoln") are left out,
    and so are the words on the policy's allow list (`PiiEngine.detect`). Uses the tokens spaCy
    already produced for the message: no extra model run.
    """

    NOT_NAMES: ClassVar[frozenset[str]] = frozenset(
        """Will May Mark Bill Grant Hope Joy Faith June April August Summer Autumn Winter Spring Rich Frank Art
        Chase Sterling Penny Dean Ray Jack Guy Gene Major King Prince Princess Royal Christian Iris Rose Ruby
        Crystal Amber Pearl Jewel Ivy Holly Daisy Lily Violet Hazel Olive Ginger Honey Candy Cherry Brandy Misty
        Dawn Eve Star Sunny Loan Sunday Easter Page Ok My An In So Ira Love Carry Golden Van Miss Sue Gay Young
        Sun Una Alpha Ivory Precious Soon Meta Mercy Li Glory Marry Numbers Harmony Min Else Song Desire Son
        Liberty Hang Tory Pa Drew Na Man Season Marine See Ping Moon Ta Many Don Al Brain Rob Cliff Ward Forest
        Chance Foster Sal Herb Manual Long Buck Max Pat Sandy Rusty Dusty Bud Sonny Junior Lane Wade Miles Earl
        Marshall Hunter Mason Porter Jordan Dallas Austin Houston Denver Aurora Georgia Virginia Carolina Florida
        Dakota Nevada Paris Sydney Chelsea Lincoln Morgan Stanley Merrill Ada Ha Le Del Mac Heath Noble Brook
        Brooks Dale Glen Sage Basil Clay Emery Ernest Earnest Fern Flora Gale Grace Queen Reed Sol Spencer Stormy
        Walker Warren Windy Tad Coy Argentina China Dominica France India Israel Kenya Asia America Maryland Rico
        Orlando Venice Milan Geneva January February March July September October November December Jan Feb Mar
        Apr Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday Saturday Angle Bell Berry
        Blossom Chuck Coral Dot Ebony Echo Fawn German Irish Lance Lean Marvel Merry Peg Raven Rocky Roman Scarlet
        Shin Sparkle Tiny Velvet Dimple Garland Hue Kit Lacy Tawny Cherish Angelic Blanch Dan Reg San Santa Sao""".split()
    )
    """first names that are also ordinary words, months, places, abbreviations ("Treas. Reg.", "San
    Diego") or financial firms; and "Dan"
    (the "DAN" jailbreak persona: input rules read the redacted text, so it must stay readable)"""
    NOT_INSIDE: ClassVar[frozenset[str]] = frozenset({"DATE", "TIME", "GPE", "LOC", "FAC", "EVENT", "LAW", "MONEY"})
    """a token inside (not at the start of) such a spaCy entity is not a first name ("Puerto Rico", "Jan 5")"""
    PROPER_NOUN_TAGS: ClassVar[frozenset[str]] = frozenset({"NNP", "NNPS"})
    FIRST_NAME_SCORE = 0.65
    FULL_NAME_SCORE = 0.75

    def __init__(self) -> None:
        self.first_names = _census_first_names() - self.NOT_NAMES
        self._with_world: dict[int, frozenset[str]] = {}
        super().__init__(supported_entities=["PERSON"], name="CensusNameRecognizer")

    def names_for(self, nlp_engine: Any) -> frozenset[str]:
        """Census first names plus the world's first names that are not English words."""
        key = id(nlp_engine)
        if key not in self._with_world:
            words = dictionary_words(nlp_engine)
            world = {n for n in _world_first_names() - self.NOT_NAMES if not is_dictionary_word(n, words)}
            self._with_world[key] = self.first_names | world
        return self._with_world[key]

    def load(self) -> None:
        pass

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if nlp_artifacts is None or not nlp_artifacts.tokens or "PERSON" not in entities:
            return []
        doc = nlp_artifacts.tokens
        lower_text = not any(c.isupper() for c in text)  # "follow up with patricia desrosiers"
        names = self.names_for(nlp_artifacts.nlp_engine)
        words = dictionary_words(nlp_artifacts.nlp_engine)
        results = []
        i = 0
        while i < len(doc):
            tok = doc[i]
            if lower_text and not self._lower_first_name(tok) and self._lower_world_name(doc, i, names, words):
                results.append(self._result(tok.idx, doc[i + 1].idx + len(doc[i + 1].text), self.FULL_NAME_SCORE))
                i += 2
                continue
            if not (self._lower_first_name(tok) if lower_text else self._first_name(tok, names)):
                i += 1
                continue
            end = i + 1
            if not lower_text and end < len(doc) and re.fullmatch(r"[A-Z]\.?", doc[end].text) and doc[end].whitespace_:
                end += 1  # a middle initial
            surname = end
            while surname < len(doc) and doc[surname].is_space and "\n" not in doc[surname].text:
                surname += 1  # "Lara  Fiorentino"
            if surname < len(doc) and (
                _is_lower_surname(tok, doc[surname]) if lower_text else _is_surname(doc[surname])
            ):
                surname += 1
            else:
                surname = end
            if surname == end and end > i + 1:
                end = i + 1  # an initial with no surname after it is not part of the name
            if lower_text and surname == end and tok.tag_ != "NNP":
                i += 1  # a lower-case first name alone counts only when spaCy calls it a proper noun
                continue
            score = self.FULL_NAME_SCORE if surname > end else self.FIRST_NAME_SCORE
            last = doc[max(surname, end) - 1]
            results.append(self._result(tok.idx, last.idx + len(last.text), score))
            i = max(surname, end)
        return results

    def _first_name(self, tok: Token, names: frozenset[str]) -> bool:
        return bool(
            tok.is_title
            and tok.text in names
            and (tok.tag_ in self.PROPER_NOUN_TAGS or (tok.tag_ == "NN" and _starts_sentence(tok)))
            and not (tok.ent_type_ in self.NOT_INSIDE and (tok.ent_iob_ == "I" or tok.ent_type_ in {"DATE", "TIME"}))
        )

    @staticmethod
    def _lower_world_name(doc: Any, i: int, names: frozenset[str], words: frozenset[str]) -> bool:
        """In lower-case text: a first name of another country followed by a surname-like word, neither
        an English word ("aksel kristensen", "leone mazzi"; not "karma police")."""
        if i + 1 >= len(doc):
            return False
        first, last = doc[i], doc[i + 1]
        return all(
            t.is_lower and t.is_alpha and len(t.text) > 2 and not t.is_stop and not is_dictionary_word(t.text, words)
            for t in (first, last)
        ) and first.text.title() in names and first.whitespace_ == " "

    def _lower_first_name(self, tok: Token) -> bool:
        """In a text typed all in lower case: a census first name spaCy tags as a noun."""
        return bool(
            tok.is_lower and tok.is_alpha and tok.text.title() in self.first_names and tok.tag_ in {"NNP", "NN"}
        )

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        return RecognizerResult(
            "PERSON",
            start,
            end,
            score,
            analysis_explanation=AnalysisExplanation(
                "CensusNameRecognizer", score, textual_explanation="census first name"
            ),
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: "CensusNameRecognizer",
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )


def _starts_sentence(tok: Token) -> bool:
    """First word of the text or of a sentence (spaCy often tags a name there as a common noun)."""
    return tok.i == 0 or tok.nbor(-1).text in {".", "!", "?", "\n", ":"} or "\n" in tok.nbor(-1).text


def _is_lower_surname(first: Token, tok: Token) -> bool:
    """A lower-case word after a lower-case first name: a proper noun, or any noun or modifier when
    spaCy called the first name a proper noun ("patricia desrosiers"); never a stop word."""
    return bool(
        tok.is_lower
        and tok.is_alpha
        and len(tok.text) > 1
        and not tok.is_stop
        and (tok.tag_ in {"NNP", "NNPS"} or (first.tag_ == "NNP" and tok.tag_ in {"NN", "NNS", "JJ", "RB"}))
    )


def _is_surname(tok: Token) -> bool:
    """A capitalised word after a first name, on the same line ("Sofia Lima", "Szöllösy", "O'Neil")."""
    return bool(
        re.fullmatch(r"\p{Lu}[\p{L}\p{M}'’-]+", tok.text)
        and "\n" not in tok.doc.text[tok.idx - 1 : tok.idx]
        and tok.tag_ in {"NNP", "NNPS", "NN"}
        and tok.text not in _NOT_SURNAMES
    )


_NOT_SURNAMES = frozenset(
    "Inc Corp Corporation Company Co Ltd LLC Group Bank Trust Fund Plan Insurance Street Avenue Road".split()
)


@functools.cache
def _census_last_names() -> frozenset[str]:
    """Surnames of the US Census 1990 list shipped in the `names` package (88,799 names)."""
    from importlib.resources import files

    text = (files("names") / "dist.all.last").read_text(encoding="ascii")
    return frozenset(line.split()[0].title() for line in text.splitlines() if line.strip())


@functools.cache
def census_names() -> frozenset[str]:
    """Every census first name and surname (title case)."""
    return _census_first_names() | _census_last_names()


_DICTIONARY: dict[int, frozenset[str]] = {}


def dictionary_words(nlp_engine: Any) -> frozenset[str]:
    """English words (lower case) of the spaCy pipeline's own lemmatizer table (WordNet's index of
    nouns, verbs, adjectives and adverbs): what a capitalised word can be besides a name. Empty when
    the pipeline has no rule lemmatizer."""
    key = id(nlp_engine)
    if key not in _DICTIONARY:
        words: set[str] = set()
        for nlp in (getattr(nlp_engine, "nlp", None) or {}).values():
            if "lemmatizer" in nlp.pipe_names:
                lookups = nlp.get_pipe("lemmatizer").lookups
                if lookups.has_table("lemma_index"):
                    index = lookups.get_table("lemma_index")
                    for pos in index:
                        words.update(w for w in index[pos] if "_" not in w)
        _DICTIONARY[key] = frozenset(words)
    return _DICTIONARY[key]


def is_dictionary_word(word: str, words: frozenset[str]) -> bool:
    """The word or its singular ("Tales" -> "tale", "Pleasures" -> "pleasure") is an English word."""
    w = word.lower()
    return (
        w in words
        or (w.endswith("s") and w[:-1] in words)
        or (w.endswith("es") and w[:-2] in words)
        or (w.endswith("ies") and w[:-3] + "y" in words)
    )


EMPLOYER_BEFORE = re.compile(
    r"\b(?:work(?:s|ed|ing)?[ \t]+(?:for|at)|employed[ \t]+(?:by|at)|(?:a|one|two|three|\d+)[ \t]+(?:year|month)s?"
    r"[ \t]+at|employer[ \t]+is|company[ \t]+is)[ \t]+$",
    re.IGNORECASE,
)
"""what introduces an employer ("I work for Ellis-Ingram", "spent a year at Weeks-Rivas"): a firm, even
one named after people; Beacon keeps employers (plan questions name them)"""


class SurnameRecognizer(LocalRecognizer):
    """PERSON from the census surname list (`names` package) where the context makes a name likely:

    * a list of capitalised words ("our founders: Kónya, Becker and Vasquez") with at least two census
      names (first or last) that spaCy does not call a place or date, at least one word that is not an
      English word, and at most one word spaCy calls a place (it often takes a foreign surname for
      one): all its members;
    * a capitalised word before a census surname that is not an English word ("Magnus Poulsen"):
      both words, unless spaCy calls them a place, a date or a facility.

    Surnames that are also English words ("Brown", "Price", "Roth", "Cash") never count on their own
    (the spaCy pipeline's WordNet index says which), so "Cash, Stocks and Bonds" is not a list of
    names. Uses the tokens spaCy already produced."""

    NOT_IN: ClassVar[frozenset[str]] = frozenset({"GPE", "LOC", "FAC", "DATE", "TIME", "MONEY", "LAW", "EVENT"})
    LIST_SCORE = 0.65
    PAIR_SCORE = 0.65

    def __init__(self) -> None:
        super().__init__(supported_entities=["PERSON"], name="SurnameRecognizer")

    def load(self) -> None:
        self.last_names = _census_last_names()
        self.first_names = _census_first_names() - CensusNameRecognizer.NOT_NAMES

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if nlp_artifacts is None or not nlp_artifacts.tokens or "PERSON" not in entities:
            return []
        doc = nlp_artifacts.tokens
        words = dictionary_words(nlp_artifacts.nlp_engine)
        if not words:
            return []
        results: list[RecognizerResult] = []

        def capitalised(tok: Token) -> bool:
            return bool(
                _NAME_TOKEN.fullmatch(tok.text)
                and not tok.is_stop
                and tok.text not in CensusNameRecognizer.NOT_NAMES
                and tok.text not in _NOT_SURNAMES
            )

        def census(tok: Token) -> bool:
            return tok.text in self.last_names or tok.text in self.first_names

        def distinct(tok: Token) -> bool:
            """not an English word, and not used in lower case in the same text"""
            return not is_dictionary_word(tok.text, words) and not _used_in_lower_case(text, tok.text)

        # lists: A, B and C / A, B, C / A, B & C
        i = 0
        while i < len(doc):
            members = [i] if capitalised(doc[i]) else []
            j = i + 1
            while members and j + 1 < len(doc) and doc[j].text in {",", "and", "&"} and capitalised(doc[j + 1]):
                members.append(j + 1)
                if doc[j].text in {"and", "&"}:
                    break
                j += 2
            last = doc[members[-1]] if members else None
            if (
                last is not None
                and len(members) >= 3 - (doc[members[-1] - 1].text in {"and", "&"})
                and doc[members[-1] - 1].text in {"and", "&"}
                and not (last.i + 1 < len(doc) and _NAME_TOKEN.fullmatch(doc[last.i + 1].text))
                and sum(census(doc[m]) and doc[m].ent_type_ not in self.NOT_IN for m in members) >= 2
                and any(distinct(doc[m]) for m in members)
                and sum(doc[m].ent_type_ in self.NOT_IN for m in members) <= 1
                and not EMPLOYER_BEFORE.search(text[max(0, doc[members[0]].idx - 40) : doc[members[0]].idx])
            ):
                results += [self._result(doc[m].idx, doc[m].idx + len(doc[m].text), self.LIST_SCORE) for m in members]
                i = members[-1] + 1
                continue
            i += 1
        # pairs: Name Surname
        for a, b in itertools.pairwise(doc):
            if (
                capitalised(a)
                and capitalised(b)
                and a.whitespace_ == " "
                and b.text in self.last_names
                and distinct(b)
                and (a.text in self.first_names or distinct(a))
                and a.tag_ in {"NNP", "NNPS"}
                and b.tag_ in {"NNP", "NNPS"}
                and not {a.ent_type_, b.ent_type_} & self.NOT_IN
            ):
                results.append(self._result(a.idx, b.idx + len(b.text), self.PAIR_SCORE))
        return results

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        return RecognizerResult(
            "PERSON",
            start,
            end,
            score,
            analysis_explanation=AnalysisExplanation("SurnameRecognizer", score, textual_explanation="census surname"),
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: "SurnameRecognizer",
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )


_NAME_TOKEN = re.compile(r"\p{Lu}[\p{Ll}\p{M}'’-]+")
"""a capitalised word with no capitals after its first letter ("Kónya", "O'Neil" is not one)"""


def _used_in_lower_case(text: str, word: str) -> bool:
    """The text also writes the word in lower case ("Cash ... cash"): an ordinary word there."""
    return bool(re.search(rf"(?<![\w'’-]){re.escape(word.lower())}(?![\w'’-])", text))


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


def not_a_phone(value: str) -> bool:
    """Digits that are not a phone number: too few or too many, years ("2024 2025 2026"), a date,
    a table row or schedule of evenly spaced numbers ("72 73 74 75 76", "20 40 60 80 100"), or
    numbers with decimals."""
    digits = sum(c.isdigit() for c in value.split("x")[0].split("ext")[0])
    groups = re.findall(r"\d+", value)
    return (
        not 7 <= digits <= 15
        or all(re.fullmatch(r"(?:19|20)\d\d", g) for g in groups)
        or bool(re.fullmatch(r"\d{1,2}([./-])\d{1,2}\1(?:19|20)\d\d|(?:19|20)\d\d([./-])\d\d\2\d\d", value))
        or (len(groups) > 2 and len({int(b) - int(a) for a, b in itertools.pairwise(groups)}) == 1)
        or bool(re.search(r"\d\.\d(?!\d)", value))  # a decimal: "92 10.8 117 2.7" (life-expectancy table)
    )


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


CUSTOM_RECOGNIZERS: list[type[LocalRecognizer]] = [
    AnySsnRecognizer,
    SplitSsnRecognizer,
    SsnFragmentRecognizer,
    PlanAccountRecognizer,
    ParticipantIdRecognizer,
    EinRecognizer,
    AbaRoutingRecognizer,
    DateOfBirthRecognizer,
    StreetAddressRecognizer,
    ContextPhoneRecognizer,
    IntroducedNameRecognizer,
    CensusNameRecognizer,
    SurnameRecognizer,
    SpeakerNameRecognizer,
    MiddleInitialNameRecognizer,
    ContextCardRecognizer,
    CheckedPhoneRecognizer,
]
"""Every recognizer Beacon adds to Presidio's defaults, in one explicit list."""
REPLACED_DEFAULTS = ["UsSsnRecognizer", "PhoneRecognizer"]
"""Presidio defaults that Beacon replaces with its own recognizer above."""
CROSS_TURN_CONTEXT = ["ssn", "ss#", "social", "account", "acct", "routing", "aba", "born", "dob", "birth", "phone"]
"""Context words carried from the previous user message into a short follow-up (split across turns)."""
