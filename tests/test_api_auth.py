"""API tokens, SSO header login, per-user rate limits and the production start-up guard."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from assistant.errors import SettingsError, UnavailableError
from assistant.records.ratelimit import RateLimiter
from assistant.records.users import LOCK_AFTER, LoginLocked, UserStore
from assistant.services import runtime
from assistant.settings import Settings
from assistant.storage import open_database
from assistant.surfaces.api import build_app
from assistant.surfaces.cli import main
from assistant.surfaces.server import check_startup

PASSWORD = "token-test-password"
PROXY_SECRET = "s" * 40


@pytest.fixture(scope="module")
def users(service) -> UserStore:  # type: ignore[no-untyped-def]
    store = UserStore(service.deps.db)
    store.add("tk-lena", PASSWORD, "participant", "A-1002", replace=True)
    store.add("tk-agent", PASSWORD, "agent", replace=True)
    runtime.install(service, store)
    return store


def test_api_token_is_shown_once_stored_as_a_hash_and_revocable(users, service) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(build_app())
    token = users.issue_token("tk-agent")
    assert token.startswith("bk_") and len(token) > 40
    stored = service.deps.db.query("SELECT token_hash FROM api_tokens WHERE username = 'tk-agent'")
    assert stored and all(token not in h for (h,) in stored)
    bearer = {"Authorization": f"Bearer {token}"}
    ok = client.get("/api/v1/threads", params={"participant": "C-2002"}, headers=bearer)
    assert ok.status_code == 200  # the token acts with the agent's role
    newer = users.issue_token("tk-agent")  # a new token revokes the old one
    assert client.get("/api/v1/threads", headers=bearer).status_code == 401
    assert client.get("/api/v1/threads", headers={"Authorization": f"Bearer {newer}"}).status_code == 200
    assert users.revoke_tokens("tk-agent") == 1
    gone = client.get("/api/v1/threads", headers={"Authorization": f"Bearer {newer}"})
    assert gone.status_code == 401 and "token" in gone.json()["error"]
    assert client.get("/api/v1/threads", headers={"Authorization": "Bearer bk_guessed"}).status_code == 401


def test_users_token_command(tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BEACON_DATA_DIR", str(tmp_path))
    UserStore(open_database(tmp_path / "beacon.db")).add("cli-agent", PASSWORD, "agent")
    assert main(["users", "token", "cli-agent"]) == 0
    token = next(w for w in capsys.readouterr().out.split() if w.startswith("bk_"))
    assert token.startswith("bk_")
    assert UserStore(open_database(tmp_path / "beacon.db")).user_for_token(token) is not None
    assert main(["users", "token", "cli-agent", "--revoke"]) == 0
    assert UserStore(open_database(tmp_path / "beacon.db")).user_for_token(token) is None
    assert main(["users", "token", "nobody"]) == 2
    assert "No user 'nobody'" in capsys.readouterr().err


def _sso_client(service) -> TestClient:  # type: ignore[no-untyped-def]
    settings = service.deps.settings.model_copy(
        update={"sso_header": "X-Forwarded-User", "sso_secret": SecretStr(PROXY_SECRET)}
    )
    return TestClient(build_app(settings))


def test_sso_header_needs_the_proxy_secret_and_a_known_user(users, service) -> None:  # type: ignore[no-untyped-def]
    client = _sso_client(service)
    proxy = {"X-Forwarded-User": "tk-lena", "X-Beacon-Proxy-Secret": PROXY_SECRET}
    me = client.get("/api/v1/participants/me/context", headers=proxy)
    assert me.status_code == 200 and me.json()["participant_id"] == "A-1002"  # role from the users table
    spoofed = client.get("/api/v1/participants/me/context", headers={"X-Forwarded-User": "tk-agent"})
    assert spoofed.status_code == 401 and "proxy" in spoofed.json()["error"]
    wrong = {"X-Forwarded-User": "tk-agent", "X-Beacon-Proxy-Secret": PROXY_SECRET[:-1] + "x"}
    assert client.get("/api/v1/threads", headers=wrong).status_code == 401
    unknown = {"X-Forwarded-User": "mallory", "X-Beacon-Proxy-Secret": PROXY_SECRET}
    r = client.get("/api/v1/threads", headers=unknown)
    assert r.status_code == 401 and "no Beacon login" in r.json()["error"]


def test_sso_is_off_by_default(users) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(build_app())
    r = client.get("/api/v1/threads", headers={"X-Forwarded-User": "tk-agent", "X-Beacon-Proxy-Secret": PROXY_SECRET})
    assert r.status_code == 401


def test_turns_are_rate_limited_per_user_with_retry_after(users, service) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(build_app(service.deps.settings.model_copy(update={"api_turns_per_minute": 2})))
    auth = ("tk-lena", PASSWORD)
    codes = [client.post("/api/v1/turns", json={"text": "Am I vested?"}, auth=auth).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    r = client.post("/api/v1/turns", json={"text": "Am I vested?"}, auth=auth)
    assert r.status_code == 429 and 1 <= int(r.headers["Retry-After"]) <= 30
    assert r.json()["error"].startswith("Too many questions in a minute; wait")
    other = client.post("/api/v1/turns", json={"text": "Am I vested?"}, auth=("tk-agent", PASSWORD))
    assert other.status_code == 200  # buckets are per user


def test_token_bucket_refills_at_the_steady_rate() -> None:
    now = [0.0]
    limiter = RateLimiter(60, "turns", clock=lambda: now[0])
    assert all(limiter.take("u") == 0.0 for _ in range(60))
    wait = limiter.take("u")
    assert wait == pytest.approx(1.0)
    now[0] += 1.0
    assert limiter.take("u") == 0.0 and limiter.take("u") > 0
    assert limiter.take("v") == 0.0


def test_worker_processes_share_one_bucket(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Two limiters on one database file (two API workers) spend from the same bucket; kinds stay apart."""
    db = open_database(tmp_path / "beacon.db")
    now = [100.0]
    first, second = (RateLimiter(4, "turns", db, clock=lambda: now[0]) for _ in range(2))
    assert [first.take("ana"), second.take("ana"), first.take("ana"), second.take("ana")] == [0.0] * 4
    assert first.take("ana") > 0 and second.take("ana") > 0
    assert RateLimiter(4, "requests", db, clock=lambda: now[0]).take("ana") == 0.0


def test_rate_limit_store_failure_refuses_the_request(tmp_path) -> None:  # type: ignore[no-untyped-def]
    limiter = RateLimiter(60, "turns", open_database(tmp_path / "beacon.db"))
    limiter.db.query("DROP TABLE rate_buckets")
    with pytest.raises(UnavailableError, match="cannot check the request limit"):
        limiter.take("ana")


def _production(tmp_path, **extra: Any) -> Settings:  # type: ignore[no-untyped-def]
    return Settings(data_dir=tmp_path, mode="production", audit_key=SecretStr("k" * 48), **extra)


def test_production_refuses_to_start_with_demo_users_or_a_generated_key(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = UserStore(open_database(tmp_path / "beacon.db"))
    store.add("agent", PASSWORD, "agent", demo=True)
    with pytest.raises(SettingsError, match=r"demo users exist \(agent\)"):
        check_startup(_production(tmp_path))
    store.remove("agent")
    check_startup(_production(tmp_path))  # no demo users, a configured key: starts
    with pytest.raises(SettingsError, match="BEACON_AUDIT_KEY is unset"):
        check_startup(Settings(data_dir=tmp_path, mode="production"))
    with pytest.raises(SettingsError, match="BEACON_SSO_SECRET must be at least"):
        check_startup(_production(tmp_path, sso_header="X-Forwarded-User", sso_secret=SecretStr("short")))
    with pytest.raises(SettingsError, match="without BEACON_SSO_SECRET"):
        check_startup(Settings(data_dir=tmp_path, sso_header="X-Forwarded-User"))


def test_beacon_serve_exits_2_in_production_with_demo_users(tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    UserStore(open_database(tmp_path / "beacon.db")).add("admin", PASSWORD, "admin", demo=True)
    monkeypatch.setenv("BEACON_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BEACON_MODE", "production")
    monkeypatch.setenv("BEACON_AUDIT_KEY", "k" * 48)
    assert main(["serve", "--port", "1"]) == 2
    err = capsys.readouterr().err
    assert "Production mode refuses to start" in err and "demo users exist (admin)" in err
    assert "Traceback" not in err


def test_failed_sign_ins_lock_the_name_for_a_while_then_unlock(tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    store = UserStore(open_database(tmp_path / "beacon.db"))
    store.add("lock-me", PASSWORD, "agent")
    t = 1_000_000.0
    for _ in range(LOCK_AFTER):
        assert store.authenticate("lock-me", "wrong", now=t) is None
    with pytest.raises(LoginLocked, match=r"try again in 59 seconds") as locked:
        store.authenticate("lock-me", PASSWORD, now=t + 1)  # even the right password, while locked
    assert locked.value.wait_s == pytest.approx(59.0)
    assert store.authenticate("lock-me", PASSWORD, now=t + 61) is not None  # the lock ran out; success clears
    for _ in range(LOCK_AFTER):
        assert store.authenticate("lock-me", "wrong", now=t + 100) is None
    assert store.authenticate("lock-me", "wrong", now=t + 161) is None  # wrong again once the lock ends
    with pytest.raises(LoginLocked) as longer:  # the sixth failure in a row doubles the lock
        store.authenticate("lock-me", PASSWORD, now=t + 161)
    assert longer.value.wait_s == pytest.approx(120.0)
    stored = store.db.query("SELECT name_hash FROM login_failures")
    assert stored and all("lock-me" not in h for (h,) in stored)  # names are kept as hashes only
    monkeypatch.setenv("BEACON_DATA_DIR", str(tmp_path))
    assert main(["users", "unlock", "lock-me"]) == 0 and "cleared" in capsys.readouterr().out
    assert store.authenticate("lock-me", PASSWORD) is not None


def test_unknown_names_lock_too(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = UserStore(open_database(tmp_path / "beacon.db"))
    for _ in range(LOCK_AFTER):
        assert store.authenticate("nobody", "guess", now=50.0) is None
    with pytest.raises(LoginLocked):
        store.authenticate("nobody", "guess", now=51.0)


def test_api_answers_a_locked_login_with_429_and_retry_after(service) -> None:  # type: ignore[no-untyped-def]
    store = UserStore(service.deps.db)
    store.add("tk-locked", PASSWORD, "agent", replace=True)
    store.unlock("tk-locked")
    runtime.install(service, store)
    client = TestClient(build_app())
    codes = [client.get("/api/v1/threads", auth=("tk-locked", "wrong")).status_code for _ in range(LOCK_AFTER)]
    assert codes == [401] * LOCK_AFTER
    r = client.get("/api/v1/threads", auth=("tk-locked", PASSWORD))
    assert r.status_code == 429 and 1 <= int(r.headers["Retry-After"]) <= 60
    assert "Too many failed sign-ins" in r.json()["error"]
    store.unlock("tk-locked")
    assert client.get("/api/v1/threads", auth=("tk-locked", PASSWORD)).status_code == 200
