"""The PII engine: Presidio with the packaged spaCy model plus Beacon's recognizers.

`redact` replaces each entity above its policy threshold with a placeholder that stays the same
for the same value within a thread (`[PERSON_1]` is always the same person), and returns keyed
hashes of the values instead of the values.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from presidio_analyzer import AnalyzerEngine, RecognizerResult
from presidio_analyzer.nlp_engine import NlpEngineProvider

from guardrails.errors import PolicyError
from guardrails.policy import PiiPolicy
from guardrails.recognizers import CROSS_TURN_CONTEXT, CUSTOM_RECOGNIZERS, REPLACED_DEFAULTS
from guardrails.recognizers.census_name import CensusNameRecognizer
from guardrails.recognizers.names import NOT_FIRST_NAMES, census_names, dictionary_words, is_dictionary_word
from guardrails.recognizers.surname import EMPLOYER_BEFORE

PLACEHOLDER = re.compile(r"\[([A-Z_]+)_(\d+)\]")
SPECIFIC = frozenset(
    {"ABA_ROUTING", "US_EIN", "US_SSN", "CREDIT_CARD", "PLAN_ACCOUNT", "PARTICIPANT_ID", "DATE_OF_BIRTH", "IBAN_CODE"}
)
"""identifiers that need their own context word or checksum: on the same span they beat generic
matches (PHONE_NUMBER, US_BANK_NUMBER, spaCy's names and dates)"""


@dataclass(frozen=True)
class Entity:
    """One redacted value: its type, placeholder and keyed hash (never the value)."""

    entity_type: str
    placeholder: str
    value_hash: str
    score: float


@dataclass
class Redaction:
    text: str
    entities: list[Entity] = field(default_factory=list)
    placeholders: dict[str, str] = field(default_factory=dict)
    """keyed hash -> placeholder, for the whole thread so far"""


def build_analyzer(spacy_model: str) -> AnalyzerEngine:
    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": spacy_model}],
        }
    )
    engine = provider.create_engine()
    # Presidio needs tokens, lemmas and entities, not the dependency parse: drop the parser (~15% faster).
    for nlp in getattr(engine, "nlp", {}).values():
        if "parser" in nlp.pipe_names:
            nlp.disable_pipes("parser")
    analyzer = AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])
    for name in REPLACED_DEFAULTS:
        analyzer.registry.remove_recognizer(name)
    for recognizer in CUSTOM_RECOGNIZERS:
        analyzer.registry.add_recognizer(recognizer())  # type: ignore[call-arg]
    return analyzer


def _carried_context(text: str, previous: str | None) -> list[str] | None:
    """Context words of the previous message that apply to a short, digit-bearing follow-up."""
    if not previous or len(re.findall(r"[A-Za-z]+", text)) > 8 or not re.search(r"\d", text):
        return None
    words = set(re.findall(r"[a-z#]+", previous.lower()))
    carried = [w for w in CROSS_TURN_CONTEXT if w in words]
    return carried or None


TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "madam", "dear", "prof"}
_NAME_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _trim_name(text: str, r: RecognizerResult) -> None:
    """A name ends at a line break ("Ana Ruiz\nPhone:" is Ana Ruiz) and before a possessive ("Maclean's")."""
    value = text[r.start : r.end]
    for line in value.split("\n"):
        if _NAME_WORD.search(line):
            r.start += value.index(line) + len(line) - len(line.lstrip())
            r.end = r.start + len(line.strip())
            break
    if text[r.start : r.end].endswith(("'s", "’s")):
        r.end -= 2


def _is_title_only(text: str, r: RecognizerResult) -> bool:
    """A PERSON that is only a title ("Dr", "Mrs.") names nobody."""
    words = {w.lower() for w in _NAME_WORD.findall(text[r.start : r.end])}
    return r.entity_type == "PERSON" and words <= TITLES


ORG_WORDS = frozenset(
    """Inc Incorporated Corp Corporation Co Company Ltd Limited LLC LLP PLC GmbH AG Group Holdings Partners
    Associates Investments Capital Bank Securities Advisors Insurance Financial Consulting Solutions Systems
    Technologies Labs Ventures Enterprises Industries Agency Studios Records Orchestra Band Quartet Ensemble
    Choir University College Institute Hospital Clinic""".split()
)
"""words that make a "name" a firm, band or institution ("Russell Investments", "the Davis Orchestra",
"Johnson Inc.")"""


FIRMS = frozenset(
    """schwab vanguard fidelity merrill ameritrade betterment wealthfront robinhood empower voya tiaa prudential
    transamerica nationwide massmutual ally sofi etrade""".split()
)
"""brokerages and recordkeepers people name when they ask where to hold an account ("schwab or vanguard for a
rollover IRA?" had "schwab" redacted as a surname, so the advice boundary had nothing to read); only the firm's name
alone, or "Charles Schwab", and never right after a person word ("my husband schwab")"""


def _is_firm(text: str, r: RecognizerResult) -> bool:
    words = [w.lower() for w in _NAME_WORD.findall(text[r.start : r.end])]
    return (
        bool(words)
        and words[-1] in FIRMS
        and (len(words) == 1 or words == ["charles", "schwab"])
        and not _RELATION_BEFORE.search(text[max(0, r.start - 20) : r.start])
    )


def _is_organisation(text: str, r: RecognizerResult) -> bool:
    """A PERSON whose last word, or the word right after it, is an organisation word is an organisation;
    so is a brokerage named alone (`FIRMS`) and one introduced as an employer."""
    words = _NAME_WORD.findall(text[r.start : r.end])
    after = re.match(r"[ \t]*(?:&[ \t]*)?([^\W\d_]+)", text[r.end :])
    return (
        r.entity_type == "PERSON"
        and (
            (len(words) > 1 and words[-1] in ORG_WORDS)
            or _is_firm(text, r)
            or bool(after and after.group(1) in ORG_WORDS)
            # (the second half of "Ellis-Ingram" is introduced by what comes before "Ellis-")
            or bool(EMPLOYER_BEFORE.search(re.sub(r"[^\W\d_][\w'’]*-$", "", text[max(0, r.start - 60) : r.start])))
        )
    )


_INSTITUTION_HOST = re.compile(r"(?:https?://)?(?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:gov|mil|edu|example)/?")
"""a bare host name of a government, military or school site, or of a plan's fictional `.example` site: never one
person's own (a `.com` or `.org` host may be, so a name in one stays redacted)"""


def _is_web_address(text: str, r: RecognizerResult) -> bool:
    """A PERSON inside an institution's bare web address ("visit www.TaxpayerAdvocate.IRS.gov" became "visit
    [PERSON_1]" in a quoted IRS sentence): such a host name, no path after it, names no one."""
    if r.entity_type != "PERSON":
        return False
    start = len(re.sub(r"\S*$", "", text[: r.start]))
    end = r.end + len(re.match(r"\S*", text[r.end :]).group())  # type: ignore[union-attr]
    return bool(_INSTITUTION_HOST.fullmatch(text[start:end].rstrip(".,;:!?)\"'’”")))


_IN_OR_AT = re.compile(r"\b(?:in|at|In|At)[ \t]+$")


def _is_place(text: str, r: RecognizerResult, first_names: frozenset[str]) -> bool:
    """A single word spaCy calls a person, right after "in" or "at", that is nobody's first name
    ("I am in Hirvli for a business trip", "arrived at Ettelgem"): a place, which Beacon keeps."""
    words = _NAME_WORD.findall(text[r.start : r.end])
    from_spacy = (r.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY) == "SpacyRecognizer"
    return (
        r.entity_type == "PERSON"
        and from_spacy
        and len(words) == 1
        and words[0] not in first_names
        and bool(_IN_OR_AT.search(text[max(0, r.start - 4) : r.start]))
    )


_RELATIONS = (
    r"wife|husband|spouse|partner|son|daughter|child|brother|sister|mom|mother|dad|father|friend|uncle|aunt|"
    r"cousin|niece|nephew|grandson|granddaughter|boss|manager|named|called"
)
_PERSON_WORD_BEFORE = re.compile(rf"\b({_RELATIONS}|to|with|and)\s+$", re.I)
"""a person word right before a lower-case name keeps it a name ("my son max")"""
_RELATION_BEFORE = re.compile(rf"\b({_RELATIONS}|mr|mrs|ms|miss|dr)\.?\s+$", re.I)
"""a person word or a title right before a firm's name keeps it a name ("my husband schwab", "Mr. Schwab")"""


def _lower_word(word: str, before: str) -> bool:
    return word.islower() and word.title() in NOT_FIRST_NAMES and not _PERSON_WORD_BEFORE.search(before)


def _is_common_words(text: str, r: RecognizerResult, words: frozenset[str], census: frozenset[str]) -> bool:
    """A spaCy PERSON made only of English words that are no census first or last name ("Guilty
    Pleasures", "Cautionary Tales", "Discipline"): a title or a word, not a name. A word written in
    lower case that is a name only as an ordinary word too ("max", "bill", "grant": `NOT_FIRST_NAMES`)
    counts as the word ("QCD max for 2026?", "is that really my max?"). Another recognizer's detection
    of the same words is kept."""
    found = _NAME_WORD.findall(text[r.start : r.end])
    from_spacy = (r.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY) == "SpacyRecognizer"
    return (
        r.entity_type == "PERSON"
        and from_spacy
        and bool(words)
        and bool(found)
        and all(
            is_dictionary_word(w, words)
            and (w.title() not in census or _lower_word(w, text[max(0, r.start - 20) : r.start]))
            for w in found
        )
    )


def _repeated_names(text: str, chosen: list[RecognizerResult], allowed: set[str]) -> list[RecognizerResult]:
    """Other mentions of a detected name's words in the same text ("Ana Ruiz ... Ana"; "directed by
    Maciej Borkowski and starring Borkowski"): redacting a name once and leaving it elsewhere would
    not hide it. Only from name-shaped detections (two or three capitalised words when spaCy found
    them), only words of three letters or more capitalised as in the name, and never a word the
    same text also uses in lower case ("Filing Status" ... "filing")."""
    words: dict[str, float] = {}
    ordinary: dict[str, bool] = {}
    for r in chosen:
        if r.entity_type != "PERSON":
            continue
        found = _NAME_WORD.findall(text[r.start : r.end])
        from_spacy = (r.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY) == "SpacyRecognizer"
        if from_spacy and not (2 <= len(found) <= 3 and all(len(w) > 1 and _TITLE_WORD.fullmatch(w) for w in found)):
            continue
        for w in found:
            if w not in ordinary:
                ordinary[w] = bool(_whole_word(w.lower()).search(_whole_word(w).sub(" ", text).lower()))
            if (
                len(w) >= 3
                and _TITLE_WORD.fullmatch(w)
                and w.lower() not in allowed | TITLES
                and w not in CensusNameRecognizer.NOT_NAMES
                and not ordinary[w]
            ):
                words[w] = max(words.get(w, 0.0), r.score)
    covered = bytearray(len(text))
    for c in chosen:
        covered[c.start : c.end] = b"\x01" * (c.end - c.start)
    extra: list[RecognizerResult] = []
    for word, score in sorted(words.items()):
        for m in _whole_word(word).finditer(text):
            if not any(covered[m.start() : m.end()]):
                covered[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
                extra.append(RecognizerResult("PERSON", m.start(), m.end(), score))
    return extra


_TITLE_WORD = re.compile(r"[^\W\d_][^\W\d_A-Z]*(?:['’-][^\W\d_][^\W\d_]*)*")
"""a capitalised word with no capitals after its first letter (not "IRS", not "IRA1")"""


def _whole_word(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w'’-]){re.escape(word)}(?![\w'’-])")


_NAME_AND_NUMBER = re.compile(r"(?:[^\W\d_][\w'’.-]*[ \t]+){1,3}\d{1,5}[A-Za-z]?\.?")


def _street_named_for_a_person(text: str, r: RecognizerResult) -> RecognizerResult:
    """A "name" with a house number after it ("Joaquin Suarez 2906", "Hoge Wei 32") is a street,
    often one named after a person: names carry no numbers."""
    if r.entity_type == "PERSON" and _NAME_AND_NUMBER.fullmatch(text[r.start : r.end]):
        return RecognizerResult("STREET_ADDRESS", r.start, r.end, max(r.score, 0.5), r.analysis_explanation)
    return r


def _end_addresses_at_phones(text: str, results: list[RecognizerResult]) -> None:
    """An address ends where a phone number begins: the digit groups of a signature's "Mobile: …"
    line after the postcode are the phone's, not the address's (else the longer address wins)."""
    phones = [p for p in results if p.entity_type == "PHONE_NUMBER"]
    for r in results:
        if r.entity_type != "STREET_ADDRESS":
            continue
        for p in phones:
            if r.start < p.start < r.end <= p.end or (
                r.start < p.start and p.end <= r.end and "\n" in text[r.start : p.start]
            ):
                r.end = r.start + len(text[r.start : p.start].rstrip(" \t\n,;:"))


def _normalize(value: str) -> str:
    return re.sub(r"[^a-z0-9@.]", "", value.lower())


class PiiEngine:
    """Detect and redact PII according to the policy's entity thresholds."""

    def __init__(self, analyzer: AnalyzerEngine, policy: PiiPolicy, key: bytes) -> None:
        supported = set(analyzer.get_supported_entities("en"))
        unknown = sorted(set(policy.entities) - supported)
        if unknown:
            raise PolicyError(
                f"Policy field 'pii.entities' names {', '.join(unknown)}, which no registered recognizer "
                f"produces (known: {', '.join(sorted(supported))})."
            )
        self.analyzer = analyzer
        self.policy = policy
        # the first-name recognizer the analyzer already runs (its name sets are built once per process)
        self._first_names = next(
            (r for r in analyzer.registry.recognizers if isinstance(r, CensusNameRecognizer)), CensusNameRecognizer()
        )
        self._key = key

    def keyed_hash(self, text: str) -> str:
        return hmac.new(self._key, text.encode("utf-8"), hashlib.sha256).hexdigest()[:24]

    def detect(
        self, text: str, extra_allow: list[str] | None = None, previous: str | None = None
    ) -> list[RecognizerResult]:
        """Entities above their thresholds, overlaps resolved (longer, then higher score, wins).

        `previous` is the thread's previous user message (already redacted): when this message is a
        short follow-up with digits ("and the last four are 6789"), the context words of that
        message ("ssn", "routing") count here too, so a number split across turns is still caught.
        """
        if not text.strip():
            return []
        allow = self.policy.allow_list + (extra_allow or [])
        results = self.analyzer.analyze(
            text=text,
            language="en",
            entities=list(self.policy.entities),
            allow_list=allow or None,
            context=_carried_context(text, previous),
        )
        # the allow list also matches regardless of case and in combination ("roth ira", "ROTH")
        allowed_words = {w.lower() for term in allow for w in term.split()}
        kept = [
            r
            for r in results
            if r.score >= self.policy.entities.get(r.entity_type, 1.01)
            and not set(re.findall(r"[a-z0-9]+", text[r.start : r.end].lower())) <= allowed_words
            and not PLACEHOLDER.fullmatch(text[r.start : r.end].strip("[] "))
            and not PLACEHOLDER.search(text[max(0, r.start - 1) : r.end + 1])
        ]
        for r in kept:
            if r.entity_type == "PERSON":
                _trim_name(text, r)
        words, census = dictionary_words(self.analyzer.nlp_engine), census_names()
        first_names = self._first_names.names_for(self.analyzer.nlp_engine)
        kept = [
            r
            for r in kept
            if r.end > r.start
            and not _is_title_only(text, r)
            and not _is_organisation(text, r)
            and not _is_web_address(text, r)
            and not _is_common_words(text, r, words, census)
            and not _is_place(text, r, first_names)
        ]
        kept = [_street_named_for_a_person(text, r) for r in kept]
        _end_addresses_at_phones(text, kept)
        kept = [r for r in kept if r.end > r.start]  # an "address" that was only the phone's lead-in
        # the longer span wins an overlap ("Tawastintie 72" is a name to spaCy but part of an address);
        # on the same span a specific recognizer in context beats spaCy's PERSON ("A-1002")
        # and an identifier its own context word confirmed beats a generic phone or bank number ("routing
        # number 021000021" is a routing number although the phone matcher also likes "number")
        kept.sort(
            key=lambda r: (-(r.end - r.start), r.entity_type == "PERSON", r.entity_type not in SPECIFIC, -r.score)
        )
        chosen: list[RecognizerResult] = []
        for r in kept:
            if all(r.end <= c.start or r.start >= c.end for c in chosen):
                chosen.append(r)
        chosen += _repeated_names(text, chosen, allowed_words)
        return sorted(chosen, key=lambda r: r.start)

    def redact(
        self,
        text: str,
        placeholders: dict[str, str] | None = None,
        extra_allow: list[str] | None = None,
        previous: str | None = None,
        keep: Callable[[str, str, str], bool] | None = None,
    ) -> Redaction:
        """`keep(entity_type, value, keyed_hash)` may leave a detected value as it is (a contact fact
        printed in the turn's own retrieved documents, `guardrails/contact_facts.py`)."""
        mapping = dict(placeholders or {})
        found = self.detect(text, extra_allow, previous)
        entities: list[Entity] = []
        out = text
        for r in sorted(found, key=lambda r: r.start, reverse=True):
            value = text[r.start : r.end]
            h = self.keyed_hash(f"{r.entity_type}:{_normalize(value)}")
            if keep is not None and keep(r.entity_type, value, h):
                continue
            if h not in mapping:
                n = 1 + sum(1 for p in mapping.values() if p.startswith(f"[{r.entity_type}_"))
                mapping[h] = f"[{r.entity_type}_{n}]"
            entities.append(Entity(r.entity_type, mapping[h], h, round(r.score, 3)))
            out = out[: r.start] + mapping[h] + out[r.end :]
        entities.reverse()
        return Redaction(text=out, entities=entities, placeholders=mapping)
