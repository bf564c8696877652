"""Beacon's PII recognizers through the real analyzer and policy thresholds: one row per hit,
miss and look-alike (a year vs a date of birth, a dollar amount vs an account number)."""

from __future__ import annotations

from pathlib import Path

import pytest

from guardrails.pii import PiiEngine
from guardrails.policy import load_policy
from guardrails.recognizers import CUSTOM_RECOGNIZERS

POLICY = load_policy(Path(__file__).resolve().parents[2] / "guardrails/policy.yaml")


@pytest.fixture(scope="module")
def pii(models) -> PiiEngine:  # type: ignore[no-untyped-def]
    return PiiEngine(models.analyzer, POLICY.policy.pii, b"test-key")


HITS = [
    ("My 401k account number is 00012345678.", "PLAN_ACCOUNT", "00012345678"),
    ("acct # 4471-882910 at the recordkeeper", "PLAN_ACCOUNT", "4471-882910"),
    ("my participant id is A-1002", "PARTICIPANT_ID", "A-1002"),
    ("Employee ID E4471920, can I get a loan?", "PARTICIPANT_ID", "E4471920"),
    ("Our company EIN is 12-3456789.", "US_EIN", "12-3456789"),
    ("Routing number 021000021 for the rollover check", "ABA_ROUTING", "021000021"),
    ("I was born on 03/14/1961, when do RMDs start?", "DATE_OF_BIRTH", "03/14/1961"),
    ("My date of birth is March 14, 1961.", "DATE_OF_BIRTH", "March 14, 1961"),
    ("DOB 1961-03-14", "DATE_OF_BIRTH", "1961-03-14"),
    ("my ssn is 123 45 6789", "US_SSN", "123 45 6789"),
    (
        "my ssn is one two three four five six seven eight nine",
        "US_SSN",
        "one two three four five six seven eight nine",
    ),
    ("social security 1 2 3 - 4 5 - 6 7 8 9", "US_SSN", "1 2 3 - 4 5 - 6 7 8 9"),
    ("the last four of my SSN are 6789", "US_SSN", "6789"),
    (
        "Please mail the check to 1420 Maple Street, Apt 4B, Springfield, IL 62704",
        "STREET_ADDRESS",
        "1420 Maple Street",
    ),
    ("send it to 28030 Edeby 55\n Apt. 297\n TYSTBERGA\n Sweden 99178", "STREET_ADDRESS", "Edeby 55"),
    ("PSC 1437, Box 3833\nAPO AA 66791", "STREET_ADDRESS", "Box 3833"),
    ("call me on my mobile 0688 843 79 56", "PHONE_NUMBER", "0688 843 79 56"),
    ("My name is Siiri and I want a loan", "PERSON", "Siiri"),
    ("my debit card 213176828496175 was declined", "CREDIT_CARD", "213176828496175"),
]


@pytest.mark.parametrize("text,entity,secret", HITS)
def test_hits_are_redacted(pii: PiiEngine, text: str, entity: str, secret: str) -> None:
    r = pii.redact(text)
    assert secret not in r.text, r.text
    assert entity in {e.entity_type for e in r.entities}, r.entities


NEAR_MISSES = [
    "I was born in 1961, when do my RMDs start?",  # a birth year alone is kept
    "My account balance is $123,456 and I contribute 6%.",  # money next to "account"
    "The plan year starts on 01/01/2026 and the deadline is April 15, 2026.",  # dates, not birthdays
    "I have 401000 reasons to save; the 2026 limit is $24,500.",  # no account context
    "Section 4.2 of the Acme plan says loans are repaid over 5 years.",
    "Can I roll over 457(b) money into a 403(b)?",
    "I am Retired and my employee plan is the Acme 401(k).",
    "What is the catch-up limit at age 60 to 63 in 2026?",
    "The way to change my contribution is on the portal.",
    "My social security benefit starts at 67; is 62 too early?",
    "Can I borrow 50% of my vested balance, up to $50,000?",
]


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_near_misses_are_kept(pii: PiiEngine, text: str) -> None:
    r = pii.redact(text)
    assert r.text == text, r.entities


def test_ssn_split_across_turns(pii: PiiEngine) -> None:
    first = pii.redact("my ssn starts with 123-45")
    assert "123-45" not in first.text
    second = pii.redact("and then 6789", first.placeholders, previous=first.text)
    assert "6789" not in second.text and second.entities[0].entity_type == "US_SSN"
    # the same follow-up without that context is an ordinary number
    assert pii.redact("and then 6789", previous="what is the loan fee?").text == "and then 6789"
    # a long follow-up does not inherit the context
    long = "Thanks. Also what is the most I can put in during 2026 if I am 55 years old?"
    assert pii.redact(long, previous=first.text).text == long


def test_every_custom_recognizer_feeds_a_policy_entity(models) -> None:  # type: ignore[no-untyped-def]
    entities = set(POLICY.policy.pii.entities)
    for cls in CUSTOM_RECOGNIZERS:
        assert set(cls().supported_entities) <= entities, cls.__name__


def test_a_policy_entity_no_recognizer_produces_stops_start_up(models) -> None:  # type: ignore[no-untyped-def]
    from guardrails.errors import PolicyError

    bad = POLICY.policy.pii.model_copy(update={"entities": {**POLICY.policy.pii.entities, "PASSPORT_NO": 0.5}})
    with pytest.raises(PolicyError, match=r"pii\.entities.*PASSPORT_NO"):
        PiiEngine(models.analyzer, bad, b"k")
