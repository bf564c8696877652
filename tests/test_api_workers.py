"""`beacon serve --api-only --workers 2`: two real worker processes over one data dir.

Turns from many sessions at once are all answered, a conversation continues whichever worker
takes its next turn, one user's rate limit is shared by both workers, and the audit chain written
by both processes at once still verifies.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from assistant.errors import SettingsError
from assistant.records.users import UserStore
from assistant.storage.db import connect
from guardrails.audit import AuditLog
from tests.conftest import beacon_server, make_deps

pytestmark = pytest.mark.slow
SESSIONS = [("w-maya", "A-1001"), ("w-lena", "A-1002"), ("w-marcus", "A-1006"), ("w-chen", "C-2002")]
TURNS_PER_MINUTE = 6


@pytest.fixture(scope="module")
def api(models, tmp_path_factory) -> Iterator[tuple[str, Path, dict[str, str]]]:  # type: ignore[no-untyped-def]
    data = tmp_path_factory.mktemp("workers-data")
    deps = make_deps(data, models)
    users = UserStore(deps.db)
    tokens = {}
    for name, pid in SESSIONS:
        users.add(name, "workers-test-password", "participant", pid)
        tokens[name] = users.issue_token(name)
    deps.db.close()
    command = ("--api-only", "--workers", "2")
    with beacon_server(data, *command, env={"BEACON_API_TURNS_PER_MINUTE": str(TURNS_PER_MINUTE)}) as url:
        yield url, data, tokens


def _conversation(url: str, token: str) -> list[httpx.Response]:
    headers = {"Authorization": f"Bearer {token}"}
    out = []
    thread = None
    with httpx.Client(base_url=url, headers=headers, timeout=120) as client:
        for text in ("How much can I borrow from my 401k?", "And am I vested in the match?"):
            body = {"text": text, **({"thread_id": thread} if thread else {})}
            r = client.post("/api/v1/turns", json=body)
            out.append(r)
            if r.status_code == 200:
                thread = r.json()["thread_id"]
    return out


def test_two_workers_answer_concurrent_sessions_and_keep_one_audit_chain(api) -> None:  # type: ignore[no-untyped-def]
    url, data, tokens = api
    with ThreadPoolExecutor(len(SESSIONS)) as pool:
        conversations = list(pool.map(lambda name: _conversation(url, tokens[name]), tokens))
    for responses in conversations:
        assert [r.status_code for r in responses] == [200, 200], [r.text[:200] for r in responses]
        first, second = (r.json() for r in responses)
        assert first["thread_id"] == second["thread_id"]  # continued, whichever worker took the turn
        assert first["citations"] and first["guardrail"]["decision"] in ("allow", "transform")
        # each turn closes its connection, so the next one goes to whichever worker is free
        assert all(r.headers.get("connection") == "close" for r in responses)
    token = tokens["w-maya"]
    history = httpx.get(
        f"{url}/api/v1/threads/{conversations[0][0].json()['thread_id']}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert history.status_code == 200 and history.json()["turns"] == 2 and len(history.json()["messages"]) == 4
    report = AuditLog(data / "audit.db").verify()
    assert report.ok and report.records >= 2 * len(SESSIONS), report


def test_the_turn_limit_is_shared_by_both_workers(api) -> None:  # type: ignore[no-untyped-def]
    url, _, tokens = api
    headers = {"Authorization": f"Bearer {tokens['w-chen']}"}
    spent = 2  # the conversation test above already asked two questions as this user
    with ThreadPoolExecutor(4) as pool:
        codes = list(
            pool.map(
                lambda _: (
                    httpx.post(
                        f"{url}/api/v1/turns", json={"text": "Am I vested?"}, headers=headers, timeout=120
                    ).status_code
                ),
                range(TURNS_PER_MINUTE + 2),
            )
        )
    assert codes.count(200) == TURNS_PER_MINUTE - spent and codes.count(429) == len(codes) - codes.count(200)


def test_workers_need_api_only(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from assistant.surfaces.cli import main

    monkeypatch.setenv("BEACON_DATA_DIR", str(tmp_path))
    connect(tmp_path / "beacon.db").close()
    assert main(["serve", "--workers", "2"]) == SettingsError.exit_code
