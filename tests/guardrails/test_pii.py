"""PII redaction with the real Presidio + spaCy model: hits, misses and look-alikes."""

from __future__ import annotations

from pathlib import Path

import pytest

from guardrails.pii import PiiEngine
from guardrails.policy import load_policy

POLICY = load_policy(Path(__file__).resolve().parents[2] / "guardrails/policy.yaml")


@pytest.fixture(scope="module")
def pii(models) -> PiiEngine:  # type: ignore[no-untyped-def]
    return PiiEngine(models.analyzer, POLICY.policy.pii, b"test-key")


@pytest.mark.parametrize(
    "text,entity,secret",
    [
        ("My SSN is 123-45-6789, can you check?", "US_SSN", "123-45-6789"),
        ("ssn 078 05 1120 please", "US_SSN", "078 05 1120"),
        ("my social security number is 219099999", "US_SSN", "219099999"),
        ("email me at jane.doe@example.com", "EMAIL_ADDRESS", "jane.doe@example.com"),
        ("call me on (212) 555-0199 tonight", "PHONE_NUMBER", "555-0199"),
        ("I'm Maria Gonzalez and I want a loan", "PERSON", "Maria Gonzalez"),
        ("card 4111 1111 1111 1111 was charged", "CREDIT_CARD", "4111 1111 1111 1111"),
    ],
)
def test_hits_are_redacted(pii: PiiEngine, text: str, entity: str, secret: str) -> None:
    r = pii.redact(text)
    assert secret not in r.text
    assert entity in {e.entity_type for e in r.entities}
    assert f"[{entity}_1]" in r.text


@pytest.mark.parametrize(
    "text",
    [
        "What's the most I can contribute to my 401(k) in 2026?",
        "The limit is $24,500 and the catch-up is $8,000.",
        "Can I open a Roth IRA after I leave Acme?",
        "I contribute 6% of $52,000 and have 3 years of service.",
        "What is an RMD and when is my required beginning date?",
        "Is a QDRO payment subject to the 10% additional tax?",
    ],
)
def test_retirement_vocabulary_is_not_pii(pii: PiiEngine, text: str) -> None:
    r = pii.redact(text)
    assert r.text == text, r.entities


def test_placeholders_stay_consistent_within_a_thread(pii: PiiEngine) -> None:
    first = pii.redact("My name is John Carter and my SSN is 123-45-6789.")
    second = pii.redact("John Carter again; my wife is Emily Carter.", first.placeholders)
    assert "[PERSON_1]" in first.text and "[US_SSN_1]" in first.text
    assert second.text.startswith("[PERSON_1] again")
    assert "[PERSON_2]" in second.text
    assert all("John" not in h and "6789" not in h for h in second.placeholders)


def test_keyed_hashes_depend_on_the_key(models) -> None:  # type: ignore[no-untyped-def]
    a = PiiEngine(models.analyzer, POLICY.policy.pii, b"key-a").redact("SSN 123-45-6789")
    b = PiiEngine(models.analyzer, POLICY.policy.pii, b"key-b").redact("SSN 123-45-6789")
    assert a.entities[0].value_hash != b.entities[0].value_hash


def test_extra_allow_list_keeps_the_plan_phone(pii: PiiEngine) -> None:
    text = "Call 1-800-555-0142 for help."
    assert pii.redact(text, extra_allow=["1-800-555-0142"]).text == text
    assert "0142" not in pii.redact(text).text
