""" "Why am I seeing this?" through the API: plain words from the audit record, the person's own
values only for them, another participant's turn or nudge is 404 (as a missing one), and staff
access is recorded first."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.records.users import UserStore
from assistant.services import runtime
from assistant.supervision.why import explain
from assistant.surfaces.api import build_app

pytestmark = pytest.mark.slow
PASSWORD = "why-test-password"
LOGIN = {"me": "why-daniel", "other": "why-other", "agent": "why-agent", "compliance": "why-compl"}


@pytest.fixture(scope="module")
def world(service) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    users = UserStore(service.deps.db)
    users.add(LOGIN["me"], PASSWORD, "participant", "A-1002", replace=True)
    users.add(LOGIN["other"], PASSWORD, "participant", "C-2002", replace=True)
    users.add(LOGIN["agent"], PASSWORD, "agent", replace=True)
    users.add(LOGIN["compliance"], PASSWORD, "compliance", replace=True)
    runtime.install(service, users)
    fast = service.deps.settings.model_copy(update={"api_turns_per_minute": 1000, "api_requests_per_minute": 1000})
    client = TestClient(build_app(fast))
    ask = lambda who, text: client.post("/api/v1/turns", json={"text": text}, auth=(LOGIN[who], PASSWORD)).json()  # noqa: E731
    return {
        "client": client,
        "mine": ask("me", "How much can I borrow from my 401(k)?"),
        "theirs": ask("other", "How much can I borrow from my 403(b)?"),
    }


def why(world: dict[str, Any], who: str, turn_id: str) -> Any:
    return world["client"].get(f"/api/v1/turns/{turn_id}/why", auth=(LOGIN[who], PASSWORD))


def test_an_answer_explains_its_sources_and_the_persons_own_data(world) -> None:  # type: ignore[no-untyped-def]
    r = why(world, "me", world["mine"]["turn_id"])
    assert r.status_code == 200, r.text
    w = r.json()
    assert w["kind"] == "answer" and w["values_shown"] is True
    assert "You asked about plan loans." in w["text"]
    loan_rule = next(s for s in w["sources"] if s["id"] == "acme-401k/spd#7.1")
    assert loan_rule["section_title"] == "Loan amounts" and "Summary Plan Description" in loan_rule["title"]
    used = {d["field"]: d["value"] for d in w["data_used"]}
    assert used["vested_balance"] == 40300.0  # Daniel's own figure (roster: $40,300 vested)
    assert "your vested balance ($40,300.00)" in w["text"]
    assert "plan_max_loans" not in used  # a plan rule, not the person's data
    assert "compliance checks" in w["text"]


def test_another_participants_turn_is_404_like_a_missing_one(world) -> None:  # type: ignore[no-untyped-def]
    theirs = why(world, "me", world["theirs"]["turn_id"])
    missing = why(world, "me", "e" * 32)
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["error"].replace(world["theirs"]["turn_id"], "ID") == missing.json()["error"].replace(
        "e" * 32, "ID"
    )
    assert why(world, "other", world["mine"]["turn_id"]).status_code == 404


def test_staff_see_field_names_not_values_and_their_access_is_recorded(world, service) -> None:  # type: ignore[no-untyped-def]
    before = service.deps.audit.count()
    for role in ("agent", "compliance"):
        r = why(world, role, world["mine"]["turn_id"])
        assert r.status_code == 200, r.text
        w = r.json()
        assert w["values_shown"] is False and all(d["value"] is None for d in w["data_used"])
        assert "40,300" not in w["text"] and "your vested balance" in w["text"]
    records = list(service.deps.audit.iter_records())[-(service.deps.audit.count() - before) :]
    access = [a for a in records if a.get("kind") == "access" and a["what"] == f"why {world['mine']['turn_id']}"]
    assert {a["actor"] for a in access} == {LOGIN["agent"], LOGIN["compliance"]}


def test_a_nudge_explains_the_life_event_or_rule_that_triggered_it(world) -> None:  # type: ignore[no-untyped-def]
    nudges = world["mine"]["nudges"]
    card = next(n for n in nudges if n["id"] == "missed-match")
    r = why(world, "me", card["decision_id"])
    assert r.status_code == 200, r.text
    w = r.json()
    assert w["kind"] == "nudge"
    assert "below the rate that earns the full match" in w["text"] and "missed-match" in w["text"]
    assert {d["field"] for d in w["data_used"]} >= {"deferral_pct"}
    assert why(world, "other", card["decision_id"]).status_code == 404


def test_values_are_left_out_when_it_is_not_the_persons_own() -> None:
    record = {
        "turn_id": "t1",
        "intent": "match",
        "final_action": "answer",
        "citations": [],
        "calculations": [{"name": "annual_match_missed", "inputs": {"annual_pay": 52000.0, "match_rate": 1.0}}],
        "guard_findings": [],
    }
    source = lambda c: {"label": c}  # noqa: E731
    mine, staff = explain(record, True, source), explain(record, False, source)
    assert mine["data_used"] == [{"field": "annual_pay", "label": "your annual pay", "value": 52000.0}]
    assert staff["data_used"] == [{"field": "annual_pay", "label": "your annual pay"}]
    assert "$52,000.00" in mine["text"] and "52,000" not in staff["text"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ident=st.text(max_size=80), who=st.sampled_from(list(LOGIN)))
def test_random_ids_never_get_a_500(world, ident: str, who: str) -> None:  # type: ignore[no-untyped-def]
    r = why(world, who, quote(ident, safe="") or "x")
    assert r.status_code < 500, r.text
    assert r.status_code in (200, 404, 405, 307) or r.json()["error"]
