"""The REST API: same JSON as the CLI, authenticated, scoped, clear 4xx errors."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from assistant.records.users import UserStore
from assistant.services import runtime
from assistant.surfaces.api import build_app
from tests.conftest import CLI_JSON_KEYS

PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="module")
def client(service) -> TestClient:  # type: ignore[no-untyped-def]
    users = UserStore(service.deps.db)
    for name, role, pid in [("api-daniel", "participant", "A-1002"), ("api-agent", "agent", None)]:
        users.add(name, PASSWORD, role, pid, replace=True)
    runtime.install(service, users)
    return TestClient(build_app())


def test_turn_returns_the_cli_json(client: TestClient) -> None:
    r = client.post(
        "/api/v1/turns",
        json={"text": "How much more would my employer put in if I raised my contribution?"},
        auth=("api-daniel", PASSWORD),
    )
    assert r.status_code == 200
    body = r.json()
    assert CLI_JSON_KEYS <= set(body)
    assert body["action"] == "answer" and body["citations"][0]["id"] == "acme-401k/spd#4.2"
    follow = client.post(
        "/api/v1/turns",
        json={"text": "and what about the true-up?", "thread_id": body["thread_id"]},
        auth=("api-daniel", PASSWORD),
    )
    assert follow.status_code == 200 and follow.json()["thread_id"] == body["thread_id"]
    # one process: the connection is kept alive (only several workers close it after a turn)
    assert follow.headers.get("connection") != "close"


def test_authentication_and_scope(client: TestClient) -> None:
    assert client.post("/api/v1/turns", json={"text": "hi"}).status_code == 401
    assert client.post("/api/v1/turns", json={"text": "hi"}, auth=("api-daniel", "wrong-password!")).status_code == 401
    other = client.post("/api/v1/turns", json={"text": "hi", "participant": "C-2002"}, auth=("api-daniel", PASSWORD))
    assert other.status_code == 403
    agent = client.post(
        "/api/v1/turns",
        json={"text": "Am I vested?", "participant": "C-2001", "channel": "copilot"},
        auth=("api-agent", PASSWORD),
    )
    assert agent.status_code == 200 and "0% vested" in agent.json()["answer"]


@pytest.mark.parametrize(
    "body,status",
    [
        ({"text": ""}, 422),
        ({"txt": "hello"}, 422),
        ({"text": "hello", "thread_id": "nope"}, 404),
        ({"text": "hello", "plan": "nope-401k"}, 404),
        ({"text": "bad\u0000byte"}, 422),
        ({"text": "hello", "channel": "sms"}, 422),
    ],
)
def test_bad_input_gets_a_clear_4xx(client: TestClient, body: dict, status: int) -> None:  # type: ignore[type-arg]
    r = client.post("/api/v1/turns", json=body, auth=("api-agent", PASSWORD))
    assert r.status_code == status
    assert r.json().get("error") or r.json().get("detail")


def test_oversized_and_non_json_bodies(client: TestClient) -> None:
    big = client.post(
        "/api/v1/turns",
        content=b"x" * 70000,
        headers={"content-type": "application/json"},
        auth=("api-agent", PASSWORD),
    )
    assert big.status_code == 413
    junk = client.post(
        "/api/v1/turns",
        content=b"\xff\xfe not json",
        headers={"content-type": "application/json"},
        auth=("api-agent", PASSWORD),
    )
    assert junk.status_code == 400 and junk.json()["detail"]


def test_openapi_description(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/api/v1/turns" in spec["paths"]
