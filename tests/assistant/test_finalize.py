"""What the user sees when the guard blocks a draft: the fail-closed reply with how to reach a person,
and 988 first when the message carried a crisis signal (the blocked draft opened with it)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from assistant.decisions.drafts import Blocks
from assistant.turn.nodes.finalize import finalize

BLOCKS = Blocks()


def _blocked(check_in: bool, kind: str | None = None) -> dict[str, Any]:
    state: dict[str, Any] = {
        "turn_id": "t-1",
        "text": "How fast can I cash out my IRA?",
        "draft": {"action": "escalate", "reason": "crisis_check_in", "text": "...", "citations": [], "figures": []},
        "verdict": {"decision": "block", "text": ""},
        "screen": {"check_in": check_in, "kind": kind},
    }
    deps = SimpleNamespace(drafter=SimpleNamespace(blocks=BLOCKS), plans={})
    return finalize(state, deps)  # type: ignore[arg-type]


@pytest.mark.parametrize("check_in", [True, False])
def test_a_blocked_draft_keeps_988_when_the_message_carried_a_crisis_signal(check_in: bool) -> None:
    result = _blocked(check_in)["result"]
    assert result["reason"] == "guard_blocked"
    assert BLOCKS.get("blocked") in result["answer"]
    assert (BLOCKS.get("crisis_check_in") in result["answer"]) is check_in
    assert ("988" in result["answer"]) is check_in
    if check_in:
        assert result["action"] == "escalate"  # a person sees it


@pytest.mark.parametrize(("kind", "gives_988"), [("crisis", True), ("fraud", False), ("harmful", False), (None, False)])
def test_a_blocked_crisis_reply_still_gives_988(kind: str | None, gives_988: bool) -> None:
    """The crisis reply itself blocked by the output guard (a Spanish line's "marque 2" read as an
    ungrounded figure) had left "I'm not able to give a reliable answer" with no 988."""
    result = _blocked(False, kind)["result"]
    assert ("988" in result["answer"]) is gives_988
    assert BLOCKS.get("blocked") in result["answer"]
    if gives_988:
        assert result["action"] == "escalate"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ya no quiero vivir. quien recibe mi 401k?", True),
        ("Necesito retirar todo mi dinero. No quiero seguir viviendo.", True),
        ("I want to end my life, my 401k goes to my kids", False),
        ("No, I don't have a Roth. Is the de minimis rule for my IRA?", False),
    ],
)
def test_a_message_in_spanish_is_told_apart(text: str, expected: bool) -> None:
    from assistant.understanding.language import in_spanish

    assert in_spanish(text) is expected
