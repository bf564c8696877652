"""Contact facts printed in the turn's own retrieved documents are shown; every near miss is still
redacted (the real Presidio + spaCy engine and the shipped policy's `output.pii` rule)."""

from __future__ import annotations

from pathlib import Path

import pytest

from guardrails.contact_facts import source_grounded
from guardrails.pii import PiiEngine
from guardrails.policy import load_policy
from guardrails.rules import CheckContext, PiiRedactionRule

POLICY = load_policy(Path(__file__).resolve().parents[2] / "guardrails/policy.yaml").policy
SPEC = next(r for r in POLICY.output_rules if r.id == "output.pii")

BOOKLET = (
    "Questions? Call the Birchwood Benefits Center at 1-888-555-0143, Monday through Friday, 8 a.m. to "
    "6 p.m. Pacific time. Write to Birchwood Health Retirement Plan, 2200 Alder Street, Suite 300, "
    "Portland, OR 97205, or email retirement@birchwood-health.example."
)


@pytest.fixture(scope="module")
def rule(models) -> PiiRedactionRule:  # type: ignore[no-untyped-def]
    return PiiRedactionRule(SPEC, PiiEngine(models.analyzer, POLICY.pii, b"test-key"))


@pytest.mark.parametrize(
    ("answer", "sources", "shown", "hidden"),
    [
        # printed in the retrieved booklet: a contact fact, shown as printed
        ("Call the Benefits Center at 1-888-555-0143.", [BOOKLET], "1-888-555-0143", None),
        ("Write to 2200 Alder Street, Suite 300, Portland, OR 97205.", [BOOKLET], "2200 Alder Street", None),
        ("Email retirement@birchwood-health.example.", [BOOKLET], "retirement@birchwood-health.example", None),
        # the booklet wraps the line; the answer does not
        ("Call 1-888-555-0143.", ["Call the center at\n1-888-555-0143 on weekdays."], "1-888-555-0143", None),
        # near misses: one digit off, not retrieved this turn, inside a longer number, another address
        ("Call the Benefits Center at 1-888-555-0148.", [BOOKLET], None, "1-888-555-0148"),
        ("Call the Benefits Center at 1-888-555-0143.", ["Call your plan's service center."], None, "1-888-555-0143"),
        ("Call 555-0143 today.", ["Fax 1-888-555-01439 for forms."], None, "555-0143"),
        ("Write to 2201 Alder Street, Portland, OR 97205.", [BOOKLET], None, "2201 Alder Street"),
        ("Email jane.doe@birchwood-health.example.", [BOOKLET], None, "jane.doe@birchwood-health.example"),
    ],
)
def test_contact_facts_grounded_in_the_sources(
    rule: PiiRedactionRule, answer: str, sources: list[str], shown: str | None, hidden: str | None
) -> None:
    out = rule.check(answer, CheckContext(sources=sources))
    text = out.text if out.text is not None else answer
    if shown:
        assert shown in text and out.finding.outcome == "pass", (text, out.finding)
    if hidden:
        assert hidden not in text and out.finding.outcome == "transform", text


def test_a_number_the_person_typed_is_never_shown_back(rule: PiiRedactionRule) -> None:
    """The person typed the same number (it was redacted on the way in, so its keyed hash is one of
    the thread's placeholders): a document printing it too does not make it showable."""
    typed = rule.pii.redact("my cell is 1-888-555-0143, call me")
    assert typed.entities and typed.entities[0].entity_type == "PHONE_NUMBER"
    ctx = CheckContext(sources=[BOOKLET], pii_placeholders=typed.placeholders)
    out = rule.check("Call the Benefits Center at 1-888-555-0143.", ctx)
    assert out.text is not None and "1-888-555-0143" not in out.text and "[PHONE_NUMBER_1]" in out.text


def test_a_name_printed_in_the_sources_is_still_redacted(rule: PiiRedactionRule) -> None:
    source = "Contact: Margaret Okafor, plan administrator, at 1-888-555-0143."
    out = rule.check("Ask Margaret Okafor at 1-888-555-0143.", CheckContext(sources=[source]))
    assert out.text is not None and "Margaret Okafor" not in out.text and "1-888-555-0143" in out.text


def test_only_the_rules_types_are_grounded() -> None:
    assert source_grounded([], [BOOKLET], []) is None
    keep = source_grounded(["PHONE_NUMBER"], [BOOKLET], [])
    assert keep is not None and keep("PHONE_NUMBER", "1-888-555-0143", "h")
    assert not keep("STREET_ADDRESS", "2200 Alder Street", "h")
    typed = source_grounded(["PHONE_NUMBER"], [BOOKLET], ["typed-hash"])
    assert typed is not None and not typed("PHONE_NUMBER", "1-888-555-0143", "typed-hash")
