"""Authorization of the REST API as properties, over every role x endpoint x target.

The rules (README, "Accounts, roles and the REST API"), restated here independently of the code:
- a participant reaches only their own participant id and their own participant-channel threads;
  another participant's id answers 403 and another's thread or turn 404 — exactly as an id that
  does not exist, so nothing reveals that it does;
- agents and admins reach any participant; every such access is an audit record of kind
  `access` written before the data is returned, and with no record there is no data (503);
- compliance reads conversations and the hand-off queue (recorded the same way) but never acts
  for a participant (no participant turns, feedback, context card or hand-off claims).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.records.users import UserStore
from assistant.services import runtime
from assistant.surfaces.api import build_app

PASSWORD = "access-matrix-password"
ME, OTHER, MISSING = "A-1002", "C-2002", "Z-9999"
ROLES = ["participant", "agent", "compliance", "admin"]
TARGETS = ["own", "other", "missing"]
LOGIN = {
    "participant": "ax-daniel",
    "other": "ax-other",
    "agent": "ax-agent",
    "compliance": "ax-compl",
    "admin": "ax-admin",
}


@pytest.fixture(scope="module")
def world(service) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Two participants with a conversation each (one handed off), and one login per role."""
    users = UserStore(service.deps.db)
    users.add(LOGIN["participant"], PASSWORD, "participant", ME, replace=True)
    users.add(LOGIN["other"], PASSWORD, "participant", OTHER, replace=True)
    for role in ("agent", "compliance", "admin"):
        users.add(LOGIN[role], PASSWORD, role, replace=True)
    runtime.install(service, users)
    fast = service.deps.settings.model_copy(update={"api_turns_per_minute": 1000, "api_requests_per_minute": 1000})
    client = TestClient(build_app(fast))
    mine = client.post("/api/v1/turns", json={"text": "Am I vested?"}, auth=(LOGIN["participant"], PASSWORD)).json()
    theirs = client.post(
        "/api/v1/turns", json={"text": "How much can I borrow?"}, auth=(LOGIN["other"], PASSWORD)
    ).json()
    handed = client.post(
        "/api/v1/turns",
        json={"text": "Can I talk to a person?", "thread_id": theirs["thread_id"]},
        auth=(LOGIN["other"], PASSWORD),
    ).json()
    assert handed.get("handoff_id"), handed
    return {"client": client, "mine": mine, "theirs": theirs, "handoff": handed["handoff_id"]}


@pytest.fixture
def access_log(service, monkeypatch) -> Iterator[list[dict[str, Any]]]:  # type: ignore[no-untyped-def]
    """Every access record appended during the test (the real store still writes it)."""
    seen: list[dict[str, Any]] = []
    real = service.deps.audit.append

    def spy(record: dict[str, Any]) -> str:
        if record.get("kind") == "access":
            seen.append(record)
        return real(record)  # type: ignore[no-any-return]

    monkeypatch.setattr(service.deps.audit, "append", spy)
    yield seen


def _target(world: dict[str, Any], target: str) -> dict[str, str]:
    """Participant id, thread id and turn id for own / other / missing (from a participant's view)."""
    if target == "own":
        t = world["mine"]
        return {"pid": ME, "thread": t["thread_id"], "turn": t["turn_id"]}
    if target == "other":
        t = world["theirs"]
        return {"pid": OTHER, "thread": t["thread_id"], "turn": t["turn_id"]}
    return {"pid": MISSING, "thread": "f" * 32, "turn": "e" * 32}


def _call(client: TestClient, role: str, endpoint: str, ids: dict[str, str]) -> Any:
    auth = (LOGIN[role], PASSWORD)
    if endpoint == "threads?participant":
        return client.get("/api/v1/threads", params={"participant": ids["pid"]}, auth=auth)
    if endpoint == "thread history":
        return client.get(f"/api/v1/threads/{ids['thread']}", auth=auth)
    if endpoint == "feedback":
        return client.post("/api/v1/feedback", json={"turn_id": ids["turn"], "rating": "up"}, auth=auth)
    if endpoint == "context":
        return client.get(f"/api/v1/participants/{ids['pid']}/context", auth=auth)
    if endpoint == "turn for participant":
        return client.post("/api/v1/turns", json={"text": "Am I vested?", "participant": ids["pid"]}, auth=auth)
    if endpoint == "continue thread":
        return client.post("/api/v1/turns", json={"text": "and the match?", "thread_id": ids["thread"]}, auth=auth)
    raise AssertionError(endpoint)


ENDPOINTS = ["threads?participant", "thread history", "feedback", "context", "turn for participant", "continue thread"]
BY_ID = {"threads?participant", "context", "turn for participant"}
"""addressed by participant id (another's: 403); the rest by thread or turn id (another's: 404)"""


def expected(role: str, endpoint: str, target: str) -> int:
    """The rule table, written independently of assistant/surfaces/api/__init__.py."""
    ok = 201 if endpoint == "feedback" else 200
    if role == "participant":
        if target == "own":
            return ok
        return 403 if endpoint in BY_ID else 404
    if endpoint == "continue thread":
        return 404  # staff continue only threads they started themselves
    if target == "missing":
        if role == "compliance" and endpoint in ("context", "turn for participant", "feedback"):
            return 403
        return 404
    if role == "compliance":
        return 403 if endpoint in ("context", "turn for participant", "feedback") else 200
    return ok


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("role", ROLES)
def test_authorization_matrix(world, access_log, role: str, endpoint: str, target: str) -> None:  # type: ignore[no-untyped-def]
    r = _call(world["client"], role, endpoint, _target(world, target))
    assert r.status_code == expected(role, endpoint, target), r.text
    if r.status_code >= 400:
        assert r.json()["error"]  # one plain sentence
    reaches_participant = r.status_code < 300 and role != "participant" and endpoint != "feedback"
    recorded = [a for a in access_log if a["actor"] == LOGIN[role]]
    if reaches_participant and endpoint != "continue thread":
        assert recorded, "staff access to a participant must be recorded"
        assert all(a["actor_role"] == role and a["participant_key"] for a in recorded)
    if role == "participant":
        assert recorded == []  # a person looking at their own data is not an "access"


@pytest.mark.parametrize(
    "endpoint", ["thread history", "feedback", "continue thread", "context", "threads?participant"]
)
def test_another_participants_ids_look_exactly_like_missing_ones(world, endpoint: str) -> None:  # type: ignore[no-untyped-def]
    other, missing = _target(world, "other"), _target(world, "missing")
    a = _call(world["client"], "participant", endpoint, other)
    b = _call(world["client"], "participant", endpoint, missing)
    assert a.status_code == b.status_code
    masked = [
        r.text.replace(ids["thread"], "ID").replace(ids["turn"], "ID").replace(ids["pid"], "ID")
        for r, ids in ((a, other), (b, missing))
    ]
    assert masked[0] == masked[1]


def test_participant_lists_only_their_own_threads(world) -> None:  # type: ignore[no-untyped-def]
    client = world["client"]
    rows = client.get("/api/v1/threads", auth=(LOGIN["participant"], PASSWORD)).json()
    assert rows and {r["participant_id"] for r in rows} == {ME}
    assert world["theirs"]["thread_id"] not in {r["thread_id"] for r in rows}
    history = client.get(f"/api/v1/threads/{world['mine']['thread_id']}", auth=(LOGIN["participant"], PASSWORD))
    messages = history.json()["messages"]
    assert [m["role"] for m in messages[:2]] == ["user", "assistant"]
    assert messages[1]["turn_id"] == world["mine"]["turn_id"] and messages[1]["text"] == world["mine"]["answer"]


def test_history_holds_redacted_text_only(world) -> None:  # type: ignore[no-untyped-def]
    client, auth = world["client"], (LOGIN["participant"], PASSWORD)
    out = client.post("/api/v1/turns", json={"text": "My SSN is 287-65-4321, what's the loan fee?"}, auth=auth).json()
    history = client.get(f"/api/v1/threads/{out['thread_id']}", auth=auth).json()
    assert "287-65-4321" not in str(history) and "[US_SSN" in history["messages"][0]["text"]


def test_feedback_comment_is_redacted_and_linked(world, service) -> None:  # type: ignore[no-untyped-def]
    turn = world["mine"]["turn_id"]
    r = world["client"].post(
        "/api/v1/feedback",
        json={"turn_id": turn, "rating": "down", "comment": "Call me on 415-555-0134 please"},
        auth=(LOGIN["participant"], PASSWORD),
    )
    assert r.status_code == 201 and "415-555-0134" not in r.text
    stored = service.deps.feedback.for_turn(turn)
    assert stored[-1]["rating"] == "down" and "415-555-0134" not in stored[-1]["comment"]


def test_handoff_queue_claim_and_resolve(world, service, access_log) -> None:  # type: ignore[no-untyped-def]
    client = world["client"]
    hid = world["handoff"]
    queue = client.get("/api/v1/handoffs", auth=(LOGIN["compliance"], PASSWORD))
    assert queue.status_code == 200 and hid in {h["handoff_id"] for h in queue.json()}
    assert client.get("/api/v1/handoffs", auth=(LOGIN["participant"], PASSWORD)).status_code == 403
    assert client.post(f"/api/v1/handoffs/{hid}/claim", auth=(LOGIN["compliance"], PASSWORD)).status_code == 403
    claimed = client.post(f"/api/v1/handoffs/{hid}/claim", auth=(LOGIN["agent"], PASSWORD))
    assert claimed.status_code == 200 and claimed.json()["claimed_by"] == LOGIN["agent"]
    again = client.post(f"/api/v1/handoffs/{hid}/claim", auth=(LOGIN["admin"], PASSWORD))
    assert again.status_code == 409 and "already claimed" in again.json()["error"]
    done = client.post(
        f"/api/v1/handoffs/{hid}/resolve",
        json={"note": "Called back on 415-555-0134."},
        auth=(LOGIN["agent"], PASSWORD),
    )
    assert done.status_code == 200 and done.json()["status"] == "resolved" and "415-555-0134" not in done.text
    assert client.post(f"/api/v1/handoffs/{'0' * 32}/claim", auth=(LOGIN["agent"], PASSWORD)).status_code == 404
    assert {a["actor"] for a in access_log} >= {LOGIN["compliance"], LOGIN["agent"]}


def test_context_cards(world) -> None:  # type: ignore[no-untyped-def]
    client = world["client"]
    mine = client.get("/api/v1/participants/me/context", auth=(LOGIN["participant"], PASSWORD))
    assert mine.status_code == 200
    card = mine.json()
    assert card["participant_id"] == ME and card["plan_id"] == "acme-401k"
    assert card["balance"]["total"] == pytest.approx(card["balance"]["employee"] + card["balance"]["employer"])
    assert {"vested_pct", "loans", "recent_life_events", "pending_nudges", "deferral_pct", "age"} <= set(card)
    agent = client.get(f"/api/v1/participants/{OTHER}/context", auth=(LOGIN["agent"], PASSWORD))
    assert agent.status_code == 200 and agent.json()["participant_id"] == OTHER
    assert client.get("/api/v1/participants/me/context", auth=(LOGIN["agent"], PASSWORD)).status_code == 403


def test_access_is_not_shown_when_it_cannot_be_recorded(world, service, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    real = service.deps.audit.append

    def broken(record: dict[str, Any]) -> str:
        if record.get("kind") == "access":
            raise OSError("disk full")
        return real(record)  # type: ignore[no-any-return]

    monkeypatch.setattr(service.deps.audit, "append", broken)
    client, auth = world["client"], (LOGIN["agent"], PASSWORD)
    for r in (
        client.get(f"/api/v1/participants/{OTHER}/context", auth=auth),
        client.get(f"/api/v1/threads/{world['theirs']['thread_id']}", auth=auth),
        client.get("/api/v1/threads", params={"participant": OTHER}, auth=auth),
        client.post("/api/v1/turns", json={"text": "Am I vested?", "participant": OTHER}, auth=auth),
    ):
        assert r.status_code == 503 and "audit trail" in r.json()["error"]
        assert "balance" not in r.text and "messages" not in r.text


def test_participant_cannot_use_the_copilot_channel(world) -> None:  # type: ignore[no-untyped-def]
    r = world["client"].post(
        "/api/v1/turns", json={"text": "Am I vested?", "channel": "copilot"}, auth=(LOGIN["participant"], PASSWORD)
    )
    assert r.status_code == 403
