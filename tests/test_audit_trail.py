"""The audit trail end to end, on SQLite and on the machine's real PostgreSQL: a real turn's
record carries every DESIGN.md field, no raw PII reaches any store, and `beacon audit
verify | show | export` work against the configured backend."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.services.turn_service import TurnService
from assistant.surfaces.cli import main
from guardrails.audit import verify_lines
from tests.conftest import make_deps
from tests.guardrails.audit_backends import BACKENDS, drop_schema, postgres_or_skip

SSN, EMAIL, PHONE = "287-65-4321", "jane.roe@example.com", "415-555-0199"
PII_QUESTION = f"My SSN is {SSN}, email {EMAIL}, phone {PHONE}. How much more would my employer put in if I raised my contribution?"

DESIGN_FIELDS = {
    "turn_id",
    "thread_id",
    "participant_key",
    "channel",
    "started_at",
    "finished_at",
    "redacted_input",
    "intent",
    "retrieved",
    "calculations",
    "prompt",
    "policy_version",
    "backend",
    "index_version",
    "draft_hash",
    "guard_findings",
    "final_action",
    "final_text",
    "_prev_hash",
    "_hash",
}


def audit_settings(backend: str) -> Iterator[dict[str, str]]:
    """Settings that put the audit on `backend` (PostgreSQL: a schema of its own, dropped after)."""
    if backend == "sqlite":
        yield {}
        return
    url = postgres_or_skip()
    schema = f"beacon_audit_test_{uuid.uuid4().hex[:12]}"
    try:
        yield {"audit_url": url, "audit_schema": schema}
    finally:
        drop_schema(url, schema)


@pytest.fixture(params=BACKENDS)
def trail(request, models, tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    """A Beacon whose audit is on one backend; the CLI in this process reads the same settings."""
    for settings in audit_settings(request.param):
        data_dir = tmp_path / "data"
        monkeypatch.setenv("BEACON_DATA_DIR", str(data_dir))
        for k, v in settings.items():
            monkeypatch.setenv(f"BEACON_{k.upper()}", v)
        deps = make_deps(data_dir, models, **settings)
        assert deps.audit.backend == request.param
        yield deps
        deps.audit.close()


def stored_bytes(deps, data_dir: Path) -> bytes:  # type: ignore[no-untyped-def]
    """Every byte Beacon keeps: all files of the data dir, plus the PostgreSQL rows."""
    blob = b"".join(p.read_bytes() for p in data_dir.rglob("*") if p.is_file())
    if deps.audit.backend == "postgresql":
        rows = deps.audit._live().execute("SELECT turn_id, thread_id, created_at, record FROM audit_records")
        blob += "".join(str(r) for r in rows.fetchall()).encode()
    return blob


def test_a_real_turn_is_recorded_with_every_field_and_no_raw_pii(trail, capsys) -> None:  # type: ignore[no-untyped-def]
    out = TurnService(trail).run(PII_QUESTION, participant="A-1002")
    assert out.action == "answer"
    record = trail.audit.get(out.turn_id)
    assert record is not None and DESIGN_FIELDS <= set(record), DESIGN_FIELDS - set(record)
    assert record["participant_key"].startswith("p_") and "A-1002" not in json.dumps(record)
    assert record["retrieved"] and all(r["doc_id"] and r["version"] for r in record["retrieved"])
    assert any(c["name"] == "annual_match_missed" and c["inputs"] for c in record["calculations"])
    assert record["prompt"] and len(record["policy_version"]) == 64
    assert all(f["rationale"] for f in record["guard_findings"])
    assert "[US_SSN_1]" in record["redacted_input"] or "US_SSN" in record["redacted_input"]
    assert out.audit_id == record["_hash"]
    # raw PII is nowhere at rest: not in the audit store, checkpoints, or any other file
    blob = stored_bytes(trail, trail.settings.data_dir)
    for raw in (SSN, "287654321", EMAIL, PHONE):
        assert raw.encode() not in blob, f"{raw} found at rest"

    # the CLI reads the same backend
    assert main(["audit", "verify"]) == 0
    assert f"{trail.audit.backend}" in capsys.readouterr().out
    assert main(["audit", "show", out.turn_id]) == 0
    shown = capsys.readouterr().out
    for needle in ("acme-401k/spd#4.2", "annual_match_missed", "output.ungrounded_figure", record["_hash"]):
        assert needle in shown
    assert main(["audit", "show", "no-such-turn"]) == 2
    assert "no audit record for turn 'no-such-turn'" in capsys.readouterr().err


def test_export_filters_and_round_trip(trail, capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    svc = TurnService(trail)
    a = svc.run("What's the loan fee?", participant="A-1002")
    svc.run("And how many loans can I have?", participant="A-1002", thread_id=a.thread_id)
    other = svc.run("What's the loan fee?", participant="C-2001")
    assert main(["audit", "export", "--output", str(tmp_path / "all.jsonl")]) == 0
    lines = (tmp_path / "all.jsonl").read_text().splitlines()
    assert len(lines) == 3 and verify_lines(lines).ok
    capsys.readouterr()
    assert main(["audit", "export", "--thread", a.thread_id]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2
    assert main(["audit", "export", "--participant", "C-2001"]) == 0
    only = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [r["turn_id"] for r in only] == [other.turn_id]
    assert main(["audit", "export", "--since", "2999-01-01"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["audit", "export", "--participant", "Z-9999"]) == 2
    assert "no audit key" in capsys.readouterr().err
    assert main(["audit", "export", "--since", "yesterday"]) == 2
    assert "not an ISO date" in capsys.readouterr().err


def test_bad_audit_url_is_one_sentence_exit_2(monkeypatch, capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BEACON_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BEACON_AUDIT_URL", "mysql://u:topsecret@h/db")
    assert main(["audit", "verify"]) == 2
    err = capsys.readouterr().err
    assert "BEACON_AUDIT_URL must start with postgresql://" in err and "topsecret" not in err
    assert "Traceback" not in err
    monkeypatch.setenv("BEACON_AUDIT_URL", "postgresql://u:topsecret@127.0.0.1:1/db")
    assert main(["audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert "cannot be reached" in err and "topsecret" not in err
