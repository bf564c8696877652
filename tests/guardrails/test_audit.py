"""The hash-chained audit log: append, verify, detect tampering naming the record."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from guardrails.audit import AuditLog


def filled(tmp_path: Path, n: int = 3) -> AuditLog:
    log = AuditLog(tmp_path / "audit.db")
    for i in range(n):
        log.append({"turn_id": f"t{i}", "thread_id": "th", "final_text": f"answer {i}", "n": i})
    return log


def test_append_and_verify(tmp_path: Path) -> None:
    log = filled(tmp_path)
    report = log.verify()
    assert report.ok and report.records == 3
    rec = log.get("t1")
    assert rec is not None and rec["final_text"] == "answer 1" and rec["_prev_hash"] == log.get("t0")["_hash"]  # type: ignore[index]
    assert [r["turn_id"] for r in log.iter_records()] == ["t0", "t1", "t2"]


def test_database_refuses_updates_and_deletes(tmp_path: Path) -> None:
    log = filled(tmp_path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        log.conn.execute("UPDATE audit_records SET record = '{}' WHERE turn_id = 't1'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        log.conn.execute("DELETE FROM audit_records WHERE turn_id = 't1'")


def tamper(path: Path, sql: str) -> None:
    """What someone with write access to the file could do: drop the guards and edit."""
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("DROP TRIGGER audit_no_delete")
    conn.execute(sql)
    conn.commit()
    conn.close()


def test_edited_record_fails_naming_it(tmp_path: Path) -> None:
    filled(tmp_path).close()
    tamper(
        tmp_path / "audit.db",
        "UPDATE audit_records SET record = replace(record, 'answer 1', 'answer X') WHERE turn_id = 't1'",
    )
    report = AuditLog(tmp_path / "audit.db").verify()
    assert not report.ok and report.broken_turn_id == "t1" and "altered" in (report.reason or "")


def test_deleted_record_breaks_the_next_link(tmp_path: Path) -> None:
    filled(tmp_path).close()
    tamper(tmp_path / "audit.db", "DELETE FROM audit_records WHERE turn_id = 't1'")
    report = AuditLog(tmp_path / "audit.db").verify()
    assert not report.ok and report.broken_turn_id == "t2" and "previous-hash" in (report.reason or "")
