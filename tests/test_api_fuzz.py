"""No 500 on malformed input: random JSON, bytes, headers, ids and query strings at every
endpoint (hypothesis). A server error would surface here as a 5xx or as a raised exception."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.records.users import UserStore
from assistant.services import runtime
from assistant.surfaces.api import build_app

PASSWORD = "fuzz-test-password"
ROUTES = [
    ("POST", "/api/v1/turns"),
    ("GET", "/api/v1/threads"),
    ("GET", "/api/v1/threads/{id}"),
    ("POST", "/api/v1/feedback"),
    ("GET", "/api/v1/handoffs"),
    ("POST", "/api/v1/handoffs/{id}/claim"),
    ("POST", "/api/v1/handoffs/{id}/resolve"),
    ("GET", "/api/v1/participants/me/context"),
    ("GET", "/api/v1/participants/{id}/context"),
]
FIELDS = ["text", "plan", "participant", "thread_id", "channel", "turn_id", "rating", "comment", "note", "status"]
header_text = st.text(st.characters(min_codepoint=32, max_codepoint=255, exclude_characters="\x7f"), max_size=60)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=80),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
# objects shaped like the real requests (the likely keys, random values), and arbitrary JSON
bodies = st.one_of(
    st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=5),
    st.fixed_dictionaries(
        {"text": st.text(min_size=1, max_size=200)},
        optional={"participant": st.sampled_from(["A-1002", "C-2002", "", "Z-9"]), "channel": st.text(max_size=9)},
    ),
    json_values,
)


@pytest.fixture(scope="module")
def fuzz(service) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    users = UserStore(service.deps.db)
    logins = {}
    for role, pid in [("participant", "A-1003"), ("agent", None), ("compliance", None)]:
        users.add(f"fz-{role}", PASSWORD, role, pid, replace=True)
        logins[role] = (f"fz-{role}", PASSWORD)
    runtime.install(service, users)
    roomy = service.deps.settings.model_copy(update={"api_turns_per_minute": 100000, "api_requests_per_minute": 100000})
    return {"client": TestClient(build_app(roomy)), "logins": logins}


def _auth_header(kind: str, logins: dict[str, tuple[str, str]], junk: str) -> dict[str, str]:
    if kind in logins:
        user, pw = logins[kind]
        return {"Authorization": "Basic " + base64.b64encode(f"{user}:{pw}".encode()).decode()}
    if kind == "basic-junk":
        return {"Authorization": "Basic " + junk}
    if kind == "basic-b64-junk":
        return {"Authorization": "Basic " + base64.b64encode(junk.encode("latin-1")).decode()}
    if kind == "bearer-junk":
        return {"Authorization": "Bearer " + junk}
    if kind == "raw":
        return {"Authorization": junk}
    return {}


def _latin1(headers: dict[str, str]) -> dict[str, bytes]:
    """Header values as the raw bytes a client may send (httpx would refuse non-ASCII text)."""
    return {k: v.encode("latin-1") for k, v in headers.items()}


AUTH_KINDS = ["participant", "agent", "compliance", "none", "basic-junk", "basic-b64-junk", "bearer-junk", "raw"]


def _check(r: Any) -> None:
    assert r.status_code < 500, (r.status_code, r.text[:300])
    if r.status_code >= 400:
        body = r.json()
        assert body.get("error") or body.get("detail"), body


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    route=st.sampled_from(ROUTES),
    auth=st.sampled_from(AUTH_KINDS),
    junk=header_text,
    ident=st.text(max_size=40),
    body=bodies,
    query=st.dictionaries(st.sampled_from(["participant", "status", "reason", "x"]), header_text, max_size=2),
)
def test_random_json_never_gets_a_500(fuzz, route, auth, junk, ident, body, query) -> None:  # type: ignore[no-untyped-def]
    method, path = route
    url = path.replace("{id}", quote(ident, safe="") or "x")
    headers = _auth_header(auth, fuzz["logins"], junk)
    r = fuzz["client"].request(method, url, json=body, params=query, headers=_latin1(headers))
    _check(r)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    route=st.sampled_from(ROUTES),
    auth=st.sampled_from(AUTH_KINDS),
    raw=st.binary(max_size=300),
    content_type=st.sampled_from(
        ["application/json", "text/plain", "multipart/form-data", "", "application/json; charset=latin-1"]
    ),
    extra=st.dictionaries(header_text.filter(lambda k: k.isascii() and k.isalnum()), header_text, max_size=3),
)
def test_random_bytes_and_headers_never_get_a_500(fuzz, route, auth, raw, content_type, extra) -> None:  # type: ignore[no-untyped-def]
    method, path = route
    headers = {**extra, **_auth_header(auth, fuzz["logins"], raw.decode("latin-1")[:40].strip())}
    headers["Content-Type"] = content_type
    r = fuzz["client"].request(method, path.replace("{id}", "x"), content=raw, headers=_latin1(headers))
    _check(r)


def test_validation_errors_name_the_field(fuzz) -> None:  # type: ignore[no-untyped-def]
    client, agent = fuzz["client"], fuzz["logins"]["agent"]
    r = client.post("/api/v1/feedback", json={"turn_id": "x", "rating": "meh"}, auth=agent)
    assert r.status_code == 422 and r.json()["error"].startswith("Field 'rating':")
    r = client.post("/api/v1/turns", content=b"{not json", headers={"Content-Type": "application/json"}, auth=agent)
    assert r.status_code == 422 and "not valid JSON" in r.json()["error"]
    r = client.post("/api/v1/turns", content=json.dumps({"text": "x" * 70000}), auth=agent)
    assert r.status_code == 413 and "shorter" in r.json()["error"]
    chunked = iter([b'{"text": "' + b"x" * 40000, b"x" * 40000 + b'"}'])  # no Content-Length
    r = client.post("/api/v1/turns", content=chunked, headers={"Content-Type": "application/json"}, auth=agent)
    assert r.status_code == 413
