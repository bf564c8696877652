"""`beacon ask --json` / `POST /api/v1/turns` offer the participant's waiting nudges on the first
turn of a conversation (the spec's `nudges` field), as the web chat shows cards at session start."""

from __future__ import annotations

from assistant.services.turn_service import TurnService


def test_first_turn_offers_waiting_nudges_once(fresh_deps) -> None:  # type: ignore[no-untyped-def]
    svc = TurnService(fresh_deps)
    first = svc.run("What's the loan fee?", participant="A-1002", offer_nudges=True)
    assert first.action == "answer"
    ids = [n.id for n in first.nudges]
    assert "missed-match" in ids  # Daniel contributes 2%, below the 5% that earns the full match
    card = next(n for n in first.nudges if n.id == "missed-match")
    assert card.title == "You may be missing part of your employer match" and card.decision_id
    assert "you should" not in card.text.lower()  # the guarded nudge text
    follow_up = svc.run(
        "And how many loans can I have?", participant="A-1002", thread_id=first.thread_id, offer_nudges=True
    )
    assert follow_up.nudges == []  # offered once per conversation
    # the chat shows cards itself; other callers that do not ask get none
    assert svc.run("What's the loan fee?", participant="A-1002").nudges == []


def test_no_nudges_beside_a_crisis_or_without_a_participant(fresh_deps) -> None:  # type: ignore[no-untyped-def]
    svc = TurnService(fresh_deps)
    crisis = svc.run("I want to end my life, should I cash out my 401k?", participant="A-1002", offer_nudges=True)
    assert crisis.action == "escalate" and crisis.nudges == []
    general = svc.run("What is a Roth 401(k)?", plan="acme-401k", offer_nudges=True)
    assert general.nudges == []


def test_a_broken_nudge_store_costs_no_answer(fresh_deps, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import assistant.nudges.service as service

    def broken(*_a, **_k):  # type: ignore[no-untyped-def]
        raise RuntimeError("nudge store unavailable")

    monkeypatch.setattr(service, "session_cards", broken)
    out = TurnService(fresh_deps).run("What's the loan fee?", participant="A-1002", offer_nudges=True)
    assert out.action == "answer" and out.answer and out.nudges == []
