"""The copilot's decision graph: a suggestion waits (LangGraph interrupt) for approve / edit /
reject; an edit is re-checked by the real output guard with the turn's passages and figures, and
only counts as sent if it passes; every decision is an audit record."""

from __future__ import annotations

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from assistant.services.copilot import Copilot

QUESTION = "How much more would my employer put in if I raised my contribution?"


@pytest.fixture
def copilot(service):  # type: ignore[no-untyped-def]
    return Copilot(service, InMemorySaver())


def decisions(deps, turn_id: str) -> list[dict]:  # type: ignore[no-untyped-def]
    return [
        r
        for r in deps.audit.iter_records()
        if r.get("kind") == "copilot_decision" and r.get("suggestion_turn_id") == turn_id
    ]


def test_suggestion_waits_for_the_agent_and_approve_sends_it(copilot) -> None:  # type: ignore[no-untyped-def]
    out = copilot.suggest(QUESTION, "A-1002", "agent")
    assert out.action == "answer" and "$1,440" in out.answer
    snap = copilot.graph.get_state(copilot._config(out.turn_id))
    assert snap.next == ("decide",)  # paused in interrupt()
    state = copilot.decide(out.turn_id, "approve")
    assert state["status"] == "sent" and state["sent_text"] == out.answer
    [record] = decisions(copilot.deps, out.turn_id)
    assert record["decision"] == "approve" and record["actor"] == "agent" and record["outcome"] == "sent"
    with pytest.raises(LookupError, match="already sent"):
        copilot.decide(out.turn_id, "approve")


def test_an_edit_with_an_invented_figure_is_refused_then_a_grounded_edit_is_sent(copilot) -> None:  # type: ignore[no-untyped-def]
    out = copilot.suggest(QUESTION, "A-1002", "agent")
    state = copilot.decide(out.turn_id, "edit", "Your employer would add $9,999 a year if you raise your rate.")
    assert state["status"] == "pending" and state["sent_text"] is None
    assert state["findings"] and all(f["outcome"] in ("fail", "error") for f in state["findings"])
    state = copilot.decide(out.turn_id, "edit", "At your current 2% rate your employer match is about $1,440 a year.")
    assert state["status"] == "sent" and "$1,440" in state["sent_text"]
    outcomes = [(r["decision"], r["outcome"]) for r in decisions(copilot.deps, out.turn_id)]
    assert outcomes == [("edit", "refused_by_guard"), ("edit", "sent")]


def test_an_edit_carrying_pii_is_not_sent_as_typed(copilot) -> None:  # type: ignore[no-untyped-def]
    out = copilot.suggest(QUESTION, "A-1002", "agent")
    state = copilot.decide(out.turn_id, "edit", "Your SSN 123-45-6789 is on file; the match is about $1,440 a year.")
    assert "123-45-6789" not in str(state.get("sent_text"))
    assert all("123-45-6789" not in str(r) for r in decisions(copilot.deps, out.turn_id))


def test_reject_sends_nothing_and_a_bad_decision_keeps_it_waiting(copilot) -> None:  # type: ignore[no-untyped-def]
    out = copilot.suggest(QUESTION, "A-1002", "agent")
    state = copilot.decide(out.turn_id, "edit", "   ")
    assert state["status"] == "pending" and state["findings"][0]["rule_id"] == "copilot.bad_decision"
    state = copilot.decide(out.turn_id, "reject")
    assert state["status"] == "rejected" and state["sent_text"] is None
    with pytest.raises(LookupError, match="No suggestion"):
        copilot.decide("no-such-turn", "approve")
