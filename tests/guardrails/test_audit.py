"""The audit-log conformance suite: SQLite and PostgreSQL pass the same spec.

append/get/iter/count, the database refusing edits, tampering named by `verify`, no forks under
concurrent appends from separate connections, export round-trip, filters, bad URLs.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from guardrails.audit import GENESIS, AuditStore, open_audit, verify_lines
from guardrails.errors import AuditConfigError, AuditError
from tests.guardrails.audit_backends import Backend


def fill(log: AuditStore, n: int = 3, thread: str = "th", start: int = 0) -> None:
    for i in range(start, start + n):
        log.append(
            {
                "turn_id": f"t{i}",
                "thread_id": thread,
                "participant_key": f"p_{i % 2}",
                "final_text": f"answer {i} — café ✓",  # non-ASCII survives canonical JSON
                "n": i,
            }
        )


def test_append_get_iter_count(store: AuditStore) -> None:
    assert store.count() == 0 and store.verify().ok and store.get("t0") is None
    fill(store)
    assert store.count() == 3
    report = store.verify()
    assert report.ok and report.records == 3
    first, second = store.get("t0"), store.get("t1")
    assert first is not None and second is not None
    assert first["_prev_hash"] == GENESIS and second["_prev_hash"] == first["_hash"]
    assert second["final_text"] == "answer 1 — café ✓" and second["n"] == 1
    assert [r["turn_id"] for r in store.iter_records()] == ["t0", "t1", "t2"]
    assert "_hash" not in next(store.iter_records())


def test_a_record_id_is_written_once(store: AuditStore) -> None:
    fill(store, 1)
    with pytest.raises(AuditError, match="could not be written"):
        store.append({"turn_id": "t0", "thread_id": "th"})
    assert store.count() == 1 and store.verify().ok


def test_reopened_store_continues_the_chain(backend: Backend) -> None:
    log = backend.open()
    fill(log, 2)
    log.close()
    again = backend.open()
    fill(again, 2, start=2)
    assert again.count() == 4 and again.verify().ok
    assert again.get("t2")["_prev_hash"] == again.get("t1")["_hash"]  # type: ignore[index]
    again.close()


def _raw_execute(store: AuditStore, sql: str) -> None:
    if store.backend == "sqlite":
        store.conn.execute(sql)  # type: ignore[attr-defined]
    else:
        store._live().execute(sql)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_records SET record = '{}' WHERE turn_id = 't1'",
        "DELETE FROM audit_records WHERE turn_id = 't1'",
    ],
)
def test_database_refuses_updates_and_deletes(store: AuditStore, sql: str) -> None:
    fill(store)
    with pytest.raises(Exception, match="append-only"):
        _raw_execute(store, sql)
    assert store.count() == 3 and store.verify().ok


def test_postgres_refuses_truncate(backend: Backend) -> None:
    if backend.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE; DELETE is covered above")
    log = backend.open()
    fill(log)
    with pytest.raises(Exception, match="append-only"):
        _raw_execute(log, "TRUNCATE audit_records")
    assert log.count() == 3
    log.close()


def test_a_fork_cannot_be_stored(store: AuditStore) -> None:
    """Even a writer that skipped the lock cannot give one record two successors."""
    fill(store, 2)
    head = store.get("t1")
    assert head is not None
    with pytest.raises(Exception, match=r"(?i)unique"):
        _raw_execute(
            store,
            "INSERT INTO audit_records (turn_id, thread_id, created_at, record, prev_hash, hash)"
            f" VALUES ('fork', 'th', '2026-01-01', '{{}}', '{head['_prev_hash']}', 'x')",
        )


def test_edited_record_fails_naming_it(backend: Backend) -> None:
    log = backend.open()
    fill(log)
    backend.tamper("UPDATE audit_records SET record = replace(record, 'answer 1', 'answer X') WHERE turn_id = 't1'")
    report = log.verify()
    assert not report.ok and report.broken_turn_id == "t1" and report.records == 2
    assert "altered" in (report.reason or "")
    log.close()


def test_deleted_record_breaks_the_next_link(backend: Backend) -> None:
    log = backend.open()
    fill(log)
    backend.tamper("DELETE FROM audit_records WHERE turn_id = 't1'")
    report = log.verify()
    assert not report.ok and report.broken_turn_id == "t2" and "previous-hash" in (report.reason or "")
    log.close()


def test_rehashed_record_still_breaks_the_chain(backend: Backend) -> None:
    """An editor who also recomputes the edited row's own hash is caught at the next link."""
    log = backend.open()
    fill(log)
    t0 = log.get("t0")
    assert t0 is not None
    from guardrails.audit import canonical, chain_hash

    forged = {"turn_id": "t1", "thread_id": "th", "participant_key": "p_1", "final_text": "forged", "n": 1}
    body = canonical(forged).replace("'", "''")
    backend.tamper(
        f"UPDATE audit_records SET record = '{body}', hash = '{chain_hash(str(t0['_hash']), canonical(forged))}'"
        " WHERE turn_id = 't1'"
    )
    report = log.verify()
    assert not report.ok and report.broken_turn_id == "t2"
    log.close()


def test_concurrent_appends_from_separate_connections_keep_one_chain(backend: Backend) -> None:
    writers, per_writer = 4, 15
    handles = [backend.open() for _ in range(writers)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(writers)

    def write(w: int) -> None:
        try:
            barrier.wait()
            for i in range(per_writer):
                handles[w].append({"turn_id": f"w{w}-{i}", "thread_id": f"th{w}", "n": i})
        except BaseException as e:  # surfaced below
            errors.append(e)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    report = handles[0].verify()
    assert report.ok and report.records == writers * per_writer
    # every writer's records are in the chain, in its own order
    for w in range(writers):
        assert [r["n"] for r in handles[0].iter_records(thread_id=f"th{w}")] == list(range(per_writer))
    for h in handles:
        h.close()


def test_export_round_trip_verifies_and_detects_an_edited_line(store: AuditStore) -> None:
    fill(store, 4)
    lines = [json.dumps(r, ensure_ascii=False) for r in store.iter_records(with_hashes=True)]
    report = verify_lines(lines)
    assert report.ok and report.records == 4
    back = [json.loads(line) for line in lines]
    assert [r["turn_id"] for r in back] == ["t0", "t1", "t2", "t3"]
    assert back[2]["final_text"] == "answer 2 — café ✓" and back[2]["_hash"] == store.get("t2")["_hash"]  # type: ignore[index]
    lines[2] = lines[2].replace("answer 2", "answer 9")
    bad = verify_lines(lines)
    assert not bad.ok and bad.broken_turn_id == "t2"


def test_filters(store: AuditStore) -> None:
    fill(store, 2, thread="a")
    fill(store, 2, thread="b", start=2)
    assert [r["turn_id"] for r in store.iter_records(thread_id="b")] == ["t2", "t3"]
    assert [r["turn_id"] for r in store.iter_records(participant_key="p_1")] == ["t1", "t3"]
    created = str(store.get("t0")["_created_at"])  # type: ignore[index]
    today = created[:10]
    assert len(list(store.iter_records(since=today, until=today))) == 4
    assert list(store.iter_records(until="2000-01-01")) == []
    assert list(store.iter_records(since="2999-01-01")) == []
    assert len(list(store.iter_records(since=created))) == 4
    with pytest.raises(AuditConfigError, match="not an ISO date"):
        list(store.iter_records(since="last tuesday"))


def test_bad_urls_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(AuditConfigError, match="must start with postgresql:// or sqlite:///"):
        open_audit("mysql://root:hunter2@db/audit", tmp_path / "a.db")
    with pytest.raises(AuditConfigError, match="sqlite:///path"):
        open_audit("sqlite://", tmp_path / "a.db")
    assert open_audit(f"sqlite:///{tmp_path / 'x.db'}", tmp_path / "a.db").describe().endswith("x.db")
    assert open_audit(None, tmp_path / "a.db").backend == "sqlite"


def test_unreachable_postgres_is_named_without_the_password(tmp_path: Path) -> None:
    pytest.importorskip("psycopg")
    with pytest.raises(AuditError) as e:
        open_audit("postgresql://beacon:s3cret-pw@127.0.0.1:1/audit", tmp_path / "a.db")
    msg = str(e.value)
    assert "cannot be reached" in msg and "BEACON_AUDIT_URL" in msg and "127.0.0.1:1/audit" in msg
    assert "s3cret-pw" not in msg


def test_bad_schema_name_is_refused(tmp_path: Path) -> None:
    pytest.importorskip("psycopg")
    with pytest.raises(AuditConfigError, match="BEACON_AUDIT_SCHEMA"):
        open_audit("postgresql://postgres@127.0.0.1:5432/test", tmp_path / "a.db", schema='x"; drop table y')
