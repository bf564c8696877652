"""Two `beacon serve --api-only` hosts with separate data dirs (nothing shared on disk), one
PostgreSQL database (a fresh schema of the machine's server) and one Chroma server (`chroma run`):
a conversation alternates between the hosts, rate limits and sign-in lockouts are shared, a hand-off
opened on one is claimed on the other, an erasure removes the person everywhere, and the audit chain
both hosts wrote at once verifies."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.records.users import LOCK_AFTER, UserStore
from tests.conftest import beacon_server, free_port, make_deps
from tests.storage.conftest import PG_URL, create_schema, drop_schema

pytestmark = pytest.mark.slow
PASSWORD = "two-hosts-password"
USERS = {"h-lena": "A-1002", "h-erin": "A-1003", "h-maya": "A-1001", "h-rate": "A-1006", "h-lock": "C-2002"}


@dataclass
class Hosts:
    a: str
    b: str
    env: dict[str, str]
    tokens: dict[str, str]
    deps: Any
    schema: str

    def count(self, sql: str) -> int:
        import psycopg

        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'SET search_path TO "{self.schema}"')
            return int(conn.execute(sql).fetchone()[0])  # type: ignore[index]


def chroma_server(path: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    chroma = Path(sys.executable).with_name("chroma")
    log = open(path.parent / "chroma.log", "wb")
    proc = subprocess.Popen(
        [str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    pytest.fail(f"chroma run did not start: {(path.parent / 'chroma.log').read_text()[-1000:]}")


@pytest.fixture(scope="module")
def hosts(models, tmp_path_factory) -> Iterator[Hosts]:  # type: ignore[no-untyped-def]
    from assistant.tooling.processes import stop

    root = tmp_path_factory.mktemp("two-hosts")
    schema = f"beacon_test_{uuid.uuid4().hex[:12]}"
    db_url = create_schema(schema)
    chroma, chroma_url = chroma_server(root / "chroma-server")
    env = {
        "BEACON_DATABASE_URL": db_url,
        "BEACON_CHROMA_URL": chroma_url,
        "BEACON_AUDIT_KEY": "two-hosts-audit-key-" + "k" * 32,  # one key: the same pseudonyms on every host
        "BEACON_API_REQUESTS_PER_MINUTE": "6",
        "BEACON_GUARD_TIMEOUT_S": "60",  # a busy 2-core machine running two servers: no load-induced fail-closed
    }
    try:
        # the operator's set-up, once, from a third machine: index into the Chroma server, roster and logins into PostgreSQL
        settings: dict[str, Any] = {
            "database_url": db_url,
            "chroma_url": chroma_url,
            "audit_key": env["BEACON_AUDIT_KEY"],
        }
        deps = make_deps(root / "setup", models, **settings)
        users = UserStore(deps.db)
        users.add("h-agent", PASSWORD, "agent")
        tokens = {"h-agent": users.issue_token("h-agent")}
        for name, pid in USERS.items():
            users.add(name, PASSWORD, "participant", pid)
            tokens[name] = users.issue_token(name)
        for host in ("host-a", "host-b"):
            (root / host).mkdir()
        with ExitStack() as stack:
            a = stack.enter_context(beacon_server(root / "host-a", "--api-only", env=env))
            b = stack.enter_context(beacon_server(root / "host-b", "--api-only", env=env))
            yield Hosts(a, b, env, tokens, deps, schema)
    finally:
        stop(chroma)
        drop_schema(schema)


def call(url: str, token: str, method: str, path: str, **kw: Any) -> httpx.Response:
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=120) as client:
        return client.request(method, f"/api/v1{path}", **kw)


def test_one_conversation_alternates_between_the_hosts(hosts: Hosts) -> None:
    token = hosts.tokens["h-lena"]
    questions = ["How much can I borrow from my 401k?", "and how many loans can I have?", "and what's the fee?"]
    thread = None
    for i, text in enumerate([*questions, "Am I vested in the match?"]):
        r = call(hosts.a if i % 2 == 0 else hosts.b, token, "POST", "/turns", json={"text": text, "thread_id": thread})
        assert r.status_code == 200, r.text
        assert r.json()["action"] == "answer", r.json()
        thread = r.json()["thread_id"]
        if i == 1:
            assert "loan" in r.json()["answer"].lower()  # the follow-up resolved on the other host
    history = call(hosts.b, token, "GET", f"/threads/{thread}")
    assert history.status_code == 200 and len(history.json()["messages"]) == 8


def test_rate_limits_and_lockouts_are_shared(hosts: Hosts) -> None:
    token = hosts.tokens["h-rate"]
    codes = [call(hosts.a if i % 2 else hosts.b, token, "GET", "/threads").status_code for i in range(6)]
    assert codes == [200] * 6
    assert call(hosts.a, token, "GET", "/threads").status_code == 429
    assert call(hosts.b, token, "GET", "/threads").status_code == 429

    for i in range(LOCK_AFTER):
        r = httpx.get(f"{hosts.a if i % 2 else hosts.b}/api/v1/threads", auth=("h-lock", "wrong password"))
        assert r.status_code == 401
    for url in (hosts.a, hosts.b):  # even the right password, on either host
        assert httpx.get(f"{url}/api/v1/threads", auth=("h-lock", PASSWORD)).status_code == 429


def test_a_handoff_opened_on_one_host_is_claimed_on_the_other(hosts: Hosts) -> None:
    r = call(hosts.a, hosts.tokens["h-maya"], "POST", "/turns", json={"text": "I want to talk to a person"})
    assert r.status_code == 200 and r.json()["handoff_id"], r.text
    hid = r.json()["handoff_id"]
    queue = call(hosts.b, hosts.tokens["h-agent"], "GET", "/handoffs")
    assert hid in [h["handoff_id"] for h in queue.json()]
    claimed = call(hosts.b, hosts.tokens["h-agent"], "POST", f"/handoffs/{hid}/claim")
    assert claimed.status_code == 200 and claimed.json()["claimed_by"] == "h-agent"
    assert call(hosts.a, hosts.tokens["h-agent"], "POST", f"/handoffs/{hid}/claim").status_code == 409


def test_an_erasure_on_one_host_removes_the_person_everywhere(hosts: Hosts, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    token = hosts.tokens["h-erin"]
    r = call(hosts.b, token, "POST", "/turns", json={"text": "What's the loan fee?"})
    assert r.status_code == 200
    thread = r.json()["thread_id"]
    for k, v in {**hosts.env, "BEACON_DATA_DIR": str(Path(hosts.deps.settings.data_dir))}.items():
        monkeypatch.setenv(k, v)
    from assistant.surfaces.cli import main

    assert main(["privacy", "erase", "--participant", "A-1003", "--yes"]) == 0
    for url in (hosts.a, hosts.b):
        assert call(url, token, "GET", f"/threads/{thread}").status_code == 401  # the login is gone
        agent = call(url, hosts.tokens["h-agent"], "GET", "/threads", params={"participant": "A-1003"})
        assert agent.status_code == 404  # and the profile
    assert hosts.count("SELECT COUNT(*) FROM thread_owners WHERE participant_id = 'A-1003'") == 0
    assert hosts.count(f"SELECT COUNT(*) FROM checkpoints WHERE thread_id = '{thread}'") == 0


def test_the_audit_chain_verifies_after_both_hosts_wrote_at_once(hosts: Hosts) -> None:
    before = hosts.deps.audit.count()
    jobs = [(hosts.a if i % 2 else hosts.b, hosts.tokens["h-lena"]) for i in range(8)]
    with ThreadPoolExecutor(8) as pool:
        codes = list(
            pool.map(lambda j: call(j[0], j[1], "POST", "/turns", json={"text": "Am I vested?"}).status_code, jobs)
        )
    assert codes == [200] * 8
    assert hosts.deps.audit.count() == before + 8
    report = hosts.deps.audit.verify()
    assert report.ok, report
