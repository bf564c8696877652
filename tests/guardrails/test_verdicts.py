"""Verdicts check their own invariants."""

from __future__ import annotations

import pytest

from guardrails.verdicts import Finding, Verdict

PASS = Finding("output.guarantee", "output", "pass", "ok")
FAIL = Finding("output.guarantee", "output", "fail", "matched 'guaranteed'")


def test_valid_verdicts() -> None:
    assert Verdict("allow", (PASS,), text="hi").passed
    assert not Verdict("block", (PASS, FAIL)).passed
    assert Verdict("escalate", (FAIL,)).to_dict()["decision"] == "escalate"


@pytest.mark.parametrize(
    "decision,findings,text",
    [
        ("allow", (FAIL,), "hi"),  # allow with a failing finding
        ("allow", (PASS,), None),  # allow without text
        ("transform", (PASS,), None),
        ("block", (PASS,), None),  # block without a reason
        ("block", (FAIL,), "leaked"),  # block that still carries text
    ],
)
def test_invalid_verdicts_raise(decision: str, findings: tuple, text: str | None) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValueError):
        Verdict(decision, findings, text=text)  # type: ignore[arg-type]
