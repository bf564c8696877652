"""Beacon's own PII recognizers, one per module, registered in the explicit list `CUSTOM_RECOGNIZERS`.

Each recognizer is mostly data (patterns and context words), as in Presidio's own. Scores follow
Presidio's convention: a pattern that is ambiguous on its own gets a low score and only passes
the policy's per-entity threshold (`guardrails/policy.yaml`) when a context word is nearby
(Presidio adds 0.35 for one), or when the previous message of the thread supplied it.

Shared pieces live in helper modules: `text_patterns` (regex building blocks), `address_patterns`
(the street-address pattern pieces), `names` (census and world name lists, the English-word test)
and `phones` (`not_a_phone`).

Adding a recognizer: one module here, one line in `CUSTOM_RECOGNIZERS`, one table-driven test file
`tests/guardrails/recognizers/test_<module>.py`, and its case in `evals/suites/pii.yaml`.
"""

from __future__ import annotations

from presidio_analyzer import LocalRecognizer

from guardrails.recognizers.aba_routing import AbaRoutingRecognizer
from guardrails.recognizers.any_ssn import AnySsnRecognizer
from guardrails.recognizers.census_name import CensusNameRecognizer
from guardrails.recognizers.checked_phone import CheckedPhoneRecognizer
from guardrails.recognizers.context_card import ContextCardRecognizer
from guardrails.recognizers.context_phone import ContextPhoneRecognizer
from guardrails.recognizers.date_of_birth import DateOfBirthRecognizer
from guardrails.recognizers.ein import EinRecognizer
from guardrails.recognizers.introduced_name import IntroducedNameRecognizer
from guardrails.recognizers.middle_initial_name import MiddleInitialNameRecognizer
from guardrails.recognizers.names import census_names, dictionary_words, is_dictionary_word
from guardrails.recognizers.participant_id import ParticipantIdRecognizer
from guardrails.recognizers.phones import not_a_phone
from guardrails.recognizers.plan_account import PlanAccountRecognizer
from guardrails.recognizers.speaker_name import SpeakerNameRecognizer
from guardrails.recognizers.split_ssn import SplitSsnRecognizer
from guardrails.recognizers.ssn_fragment import SsnFragmentRecognizer
from guardrails.recognizers.street_address import StreetAddressRecognizer
from guardrails.recognizers.surname import EMPLOYER_BEFORE, SurnameRecognizer
from guardrails.recognizers.text_patterns import CASE_SENSITIVE

__all__ = [
    "CASE_SENSITIVE",
    "CROSS_TURN_CONTEXT",
    "CUSTOM_RECOGNIZERS",
    "EMPLOYER_BEFORE",
    "REPLACED_DEFAULTS",
    "AbaRoutingRecognizer",
    "AnySsnRecognizer",
    "CensusNameRecognizer",
    "CheckedPhoneRecognizer",
    "ContextCardRecognizer",
    "ContextPhoneRecognizer",
    "DateOfBirthRecognizer",
    "EinRecognizer",
    "IntroducedNameRecognizer",
    "MiddleInitialNameRecognizer",
    "ParticipantIdRecognizer",
    "PlanAccountRecognizer",
    "SpeakerNameRecognizer",
    "SplitSsnRecognizer",
    "SsnFragmentRecognizer",
    "StreetAddressRecognizer",
    "SurnameRecognizer",
    "census_names",
    "dictionary_words",
    "is_dictionary_word",
    "not_a_phone",
]

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
"""Every recognizer Beacon adds to Presidio's defaults, in one explicit list (the analyzer registers
them in this order)."""
REPLACED_DEFAULTS = ["UsSsnRecognizer", "PhoneRecognizer"]
"""Presidio defaults that Beacon replaces with its own recognizer above."""
CROSS_TURN_CONTEXT = ["ssn", "ss#", "social", "account", "acct", "routing", "aba", "born", "dob", "birth", "phone"]
"""Context words carried from the previous user message into a short follow-up (split across turns)."""
