"""Erasure of one participant, legal holds and retention, on real stores (the audit part on SQLite
and on the machine's real PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import pytest

from assistant.errors import NotFoundError
from assistant.records.privacy import (
    LegalHoldError,
    PrivacyContext,
    erase_participant,
    hold_of,
    place_hold,
    purge_expired,
    release_hold,
)
from assistant.records.users import UserStore
from assistant.services.turn_service import TurnService
from assistant.settings import history_url
from assistant.storage.checkpoints import open_checkpointer
from assistant.surfaces.cli import main
from assistant.surfaces.ui.history import _SCHEMA as CHAT_SCHEMA
from tests.conftest import make_deps
from tests.guardrails.audit_backends import BACKENDS, PG_URL, drop_schema
from tests.test_audit_trail import audit_settings

MARKER = "zanzibar"  # a word only the erased participant's question contains


@pytest.fixture(params=BACKENDS)
def beacon(request, models, tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    """A Beacon whose audit and web chat history are on one backend (PostgreSQL: schemas of their own)."""
    for settings in audit_settings(request.param):
        if request.param == "postgresql":  # the chat history in a schema of its own, dropped after
            import psycopg

            chat_schema = f"beacon_chat_test_{uuid.uuid4().hex[:12]}"
            with psycopg.connect(PG_URL, autocommit=True) as pg:
                pg.execute(f'CREATE SCHEMA "{chat_schema}"')
            request.addfinalizer(lambda schema=chat_schema: drop_schema(PG_URL, schema))
            settings = {**settings, "chat_history_url": f"{PG_URL}?options=-csearch_path%3D{chat_schema}"}
        data_dir = tmp_path / "data"
        monkeypatch.setenv("BEACON_DATA_DIR", str(data_dir))
        for k, v in settings.items():
            monkeypatch.setenv(f"BEACON_{k.upper()}", v)
        deps = make_deps(data_dir, models, **settings)
        yield deps
        deps.audit.close()


def context(deps, now: dt.datetime | None = None) -> PrivacyContext:  # type: ignore[no-untyped-def]
    ctx = PrivacyContext(
        db=deps.db,
        checkpoints=open_checkpointer(deps.settings),
        audit=deps.audit,
        pseudonyms=deps.pseudonyms,
        thread_days=deps.settings.retention_thread_days,
        audit_days=deps.settings.retention_audit_days,
        chat_history_url=history_url(deps.settings, sync=True),
        redact=lambda text: deps.guard.redact(text).text,
    )
    if now is not None:
        ctx.now = lambda: now
    return ctx


def conversations(deps) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    svc = TurnService(deps)
    mine = svc.run(f"What's the loan fee? I'm planning a trip to {MARKER}.", participant="A-1002")
    svc.run("And how many loans can I have?", participant="A-1002", thread_id=mine.thread_id)
    other = svc.run("What's the loan fee?", participant="A-1003")
    UserStore(deps.db).add("daniel", "correct horse battery", "participant", "A-1002")
    return mine.thread_id, other.thread_id


def nudge_rows(deps, key: str) -> Any:  # type: ignore[no-untyped-def]
    """Nudge state for A-1002 (a feed event, an in-app card, an outbox message, an intent) and a card for A-1003."""
    from assistant.nudges.store import NudgeStore

    db = NudgeStore(deps.db).db
    db.query("INSERT INTO feed_events VALUES ('A-1002', 'birth', '2026-10-01', '2026-10-02')")
    for pid in ("A-1002", "A-1003"):
        db.query(f"INSERT INTO in_app VALUES ('d-{pid}', '{pid}', 'New child', 'body', '2026-10-02', NULL)")
    db.query(f"INSERT INTO outbox VALUES ('d-A-1002', 'email', '2026-10-02', '{key}', 's', 'b', 'now')")
    db.query(f"INSERT INTO intents VALUES ('t1', '{key}', 'loan_fee', '2026-10-02')")
    return db


def _id(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))  # Chainlit's ids are UUIDs (a UUID column in PostgreSQL)


def chat_rows(deps, mine: str, other: str, when: str = "2026-11-20T10:00:00.000Z") -> Any:  # type: ignore[no-untyped-def]
    """The web chat's history as Chainlit's data layer stores it (`assistant/surfaces/ui/history.py` schema,
    SQLite or PostgreSQL): daniel's (A-1002) chat with a source panel and a rating, an agent's
    copilot chat about A-1002's conversation, and erin's (A-1003) chat."""
    from sqlalchemy import create_engine, text

    UserStore(deps.db).add("erin", "correct horse battery", "participant", "A-1003", replace=True)
    engine = create_engine(history_url(deps.settings, sync=True))
    pg = engine.dialect.name == "postgresql"
    as_json = "CAST(:m AS JSONB)" if pg else ":m"
    with engine.begin() as conn:
        for statement in filter(str.strip, CHAT_SCHEMA.format(tags="TEXT[]" if pg else "TEXT").split(";")):
            conn.exec_driver_sql(statement)
        for name, pid in (("daniel", "A-1002"), ("erin", "A-1003"), ("agent", None)):
            meta = json.dumps({"role": "agent" if pid is None else "participant", "participant_id": pid})
            conn.execute(
                text(f"INSERT INTO users VALUES (:i, :n, {as_json}, :w)"),
                {"i": _id(f"user-{name}"), "n": name, "m": meta, "w": when},
            )
        for name, beacon_thread in (("daniel", mine), ("erin", other), ("agent", mine)):
            chat = _id(f"chat-{name}")
            conn.execute(
                text(
                    'INSERT INTO threads ("id", "createdAt", "name", "userId", "userIdentifier") VALUES (:i, :w, :n, :u, :who)'
                ),
                {
                    "i": chat,
                    "w": when,
                    "n": f"trip to {MARKER}" if name == "daniel" else "loans",
                    "u": _id(f"user-{name}"),
                    "who": name,
                },
            )
            conn.execute(
                text(
                    'INSERT INTO steps ("id", "name", "type", "threadId", "streaming", "output", "createdAt", "metadata")'
                    f" VALUES (:i, 'Beacon', 'assistant_message', :t, :s, :o, :w, {as_json})"
                ),
                {
                    "i": _id(f"step-{name}"),
                    "t": chat,
                    "s": False,
                    "o": "answer" if name == "erin" else f"answer {MARKER}",
                    "w": when,
                    "m": json.dumps({"thread_id": beacon_thread}),
                },
            )
        conn.execute(
            text('INSERT INTO elements ("id", "threadId", "name", "url") VALUES (:i, :t, \'SPD 7.2\', \'data:,x\')'),
            {"i": _id("element"), "t": _id("chat-daniel")},
        )
        conn.execute(
            text("INSERT INTO feedbacks VALUES (:i, :f, :t, 1, 'thanks')"),
            {"i": _id("feedback"), "f": _id("step-daniel"), "t": _id("chat-daniel")},
        )
    return engine


def chat_counts(engine) -> dict[str, int]:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    with engine.connect() as conn:
        return {
            t: conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one()
            for t in ("users", "threads", "steps", "elements", "feedbacks")
        }


def files_of(deps, *names: str) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(p.read_bytes() for p in deps.settings.data_dir.iterdir() if p.name.startswith(names))


def test_erasure_purges_profile_logins_threads_and_unlinks_the_audit(beacon) -> None:  # type: ignore[no-untyped-def]
    mine, other = conversations(beacon)
    svc = TurnService(beacon)
    key_before = beacon.pseudonym("A-1002")
    audit_before = beacon.audit.count()
    assert MARKER.encode() in files_of(beacon, "checkpoints")

    nudges = nudge_rows(beacon, key_before)
    chat = chat_rows(beacon, mine, other)
    assert chat.dialect.name == ("postgresql" if beacon.settings.chat_history_url else "sqlite")
    assert chat.dialect.name == "postgresql" or MARKER.encode() in files_of(beacon, "chat_history")

    report = erase_participant(context(beacon), "A-1002")

    assert report.erased == {
        "chat_history": 2,  # daniel's chat and the agent's copilot chat about A-1002's conversation
        "profile": 1,
        "logins": 1,
        "threads": 1,
        "nudge_rows": 4,
        "handoffs": 0,
        "feedback": 0,
        "thread_owners": 1,
        "thread_turns": 2,
    }
    assert nudges.query("SELECT COUNT(*) FROM in_app") == [(1,)]  # A-1003's card stays
    assert nudges.query("SELECT COUNT(*) FROM outbox") == [(0,)]
    assert report.participant_key == key_before and report.audit_records_kept == 2
    with pytest.raises(NotFoundError):
        beacon.participants.get("A-1002")
    assert UserStore(beacon.db).get("daniel") is None
    assert svc.thread_state(mine) == {} and svc.thread_state(other)  # only theirs is gone
    # gone from the files too, not just unreachable (secure_delete + WAL checkpoint)
    assert MARKER.encode() not in files_of(beacon, "checkpoints", "beacon.db", "chat_history")
    # erin's chat and the agent's login stay; daniel's chat user row, panels and ratings are gone
    assert chat_counts(chat) == {"users": 2, "threads": 1, "steps": 1, "elements": 0, "feedbacks": 0}
    # the audit keeps its records, redacted, and gains one erasure record; the chain still verifies
    assert beacon.audit.count() == audit_before + 1 and beacon.audit.verify().ok
    kept = list(beacon.audit.iter_records(participant_key=key_before))
    assert [r.get("kind", "turn") for r in kept] == ["turn", "turn", "erasure"]
    assert all("A-1002" not in json.dumps(r) for r in kept)
    # the key can no longer be derived from the participant id: a returning participant gets a new one
    assert beacon.pseudonyms.peek("A-1002") is None
    assert beacon.pseudonym("A-1002") != key_before
    # erasing again: nothing left to erase
    beacon.pseudonyms.forget("A-1002")
    with pytest.raises(NotFoundError, match="holds no data for participant 'A-1002'"):
        erase_participant(context(beacon), "A-1002")


def test_legal_hold_blocks_erasure_until_released(beacon) -> None:  # type: ignore[no-untyped-def]
    mine, _ = conversations(beacon)
    ctx = context(beacon)
    hold = place_hold(ctx, "A-1002", "Matter 2026-17, counsel Jane Roe, SSN 287-65-4321")
    assert "287-65-4321" not in hold.reason and "Matter 2026-17" in hold.reason
    with pytest.raises(LegalHoldError, match="under legal hold") as e:
        erase_participant(ctx, "A-1002")
    assert "nothing was erased" in str(e.value)
    assert beacon.participants.get("A-1002") and TurnService(beacon).thread_state(mine)
    events = [r for r in beacon.audit.iter_records() if r.get("kind") == "legal_hold"]
    assert len(events) == 1 and "287-65-4321" not in json.dumps(events[0])
    release_hold(ctx, "A-1002")
    assert hold_of(ctx, "A-1002") is None
    assert erase_participant(ctx, "A-1002").erased["threads"] == 1
    kinds = [r.get("kind") for r in beacon.audit.iter_records() if r.get("kind")]
    assert kinds == ["legal_hold", "hold_release", "erasure"] and beacon.audit.verify().ok
    with pytest.raises(NotFoundError, match="not under legal hold"):
        release_hold(ctx, "A-1002")


def test_retention_purges_old_threads_but_not_held_ones_nor_the_audit(beacon) -> None:  # type: ignore[no-untyped-def]
    mine, other = conversations(beacon)
    svc = TurnService(beacon)
    audit_before = beacon.audit.count()
    place_hold(context(beacon), "A-1002", "Matter 2026-18")
    chat = chat_rows(beacon, mine, other, when=dt.datetime.now(dt.UTC).isoformat())

    today = purge_expired(context(beacon))
    assert today.threads_deleted == 0 and today.threads_kept_recent == 2 and today.chat_threads_deleted == 0

    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=beacon.settings.retention_thread_days + 1)
    dry = purge_expired(context(beacon, later), dry_run=True)
    assert (dry.threads_deleted, dry.threads_kept_on_hold) == (1, 1) and svc.thread_state(other)
    assert dry.chat_threads_deleted == 1 and chat_counts(chat)["threads"] == 3
    report = purge_expired(context(beacon, later))
    assert (report.threads_deleted, report.threads_kept_on_hold) == (1, 1)
    # erin's chat went with her conversation; the held participant's chat and the copilot chat about it stay
    assert report.chat_threads_deleted == 1 and chat_counts(chat)["threads"] == 2
    assert svc.thread_state(other) == {} and svc.thread_state(mine)
    # the audit lost nothing: hold + two purge records were added, every turn record is still there
    assert beacon.audit.count() == audit_before + 3 and beacon.audit.verify().ok
    much_later = later + dt.timedelta(days=beacon.settings.retention_audit_days)
    assert purge_expired(context(beacon, much_later), dry_run=True).audit_past_retention == beacon.audit.count()


def test_privacy_commands(beacon, capsys) -> None:  # type: ignore[no-untyped-def]
    conversations(beacon)
    assert main(["privacy", "erase", "--participant", "A-1002"]) == 0
    out = capsys.readouterr().out
    assert (
        "would erase for A-1002: 0 chat_history, 1 profile, 1 logins, 1 threads, 0 nudge_rows" in out and "--yes" in out
    )
    assert beacon.participants.get("A-1002")  # the dry run changed nothing
    place_hold(context(beacon), "A-1002", "Matter 2026-19")
    assert main(["privacy", "erase", "--participant", "A-1002", "--yes"]) == 1
    assert "under legal hold" in capsys.readouterr().err
    assert main(["privacy", "holds"]) == 0 and "A-1002" in capsys.readouterr().out
    assert main(["privacy", "release", "--participant", "A-1002"]) == 0
    assert main(["privacy", "erase", "--participant", "A-1002", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "erased for A-1002: 0 chat_history, 1 profile, 1 logins, 1 threads, 0 nudge_rows" in out
    record_id = out.split("beacon audit show ")[1].split("`")[0]
    assert main(["audit", "show", record_id]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith("Erasure erasure-") and "audit_records_kept" in shown and "A-1002" not in shown
    assert main(["privacy", "erase", "--participant", "Z-0000", "--yes"]) == 2
    assert "holds no data for participant 'Z-0000'" in capsys.readouterr().err
    assert main(["privacy", "purge-expired", "--dry-run"]) == 0
    assert "would delete 0 conversations" in capsys.readouterr().out
    assert main(["audit", "verify"]) == 0


def test_hold_command_redacts_its_reason(beacon, models, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("assistant.services.deps.load_models", lambda settings: models)
    assert main(["privacy", "hold", "--participant", "A-1002", "--reason", "Roe v. Acme, SSN 287-65-4321"]) == 0
    assert "287-65-4321" not in capsys.readouterr().out
    conn = sqlite3.connect(beacon.settings.db_path)
    (reason,) = conn.execute("SELECT reason FROM legal_holds").fetchone()
    assert "287-65-4321" not in reason and "Acme" in reason
    assert main(["privacy", "hold", "--participant", "A-1002", "--reason", "again"]) == 2
    assert "already under legal hold" in capsys.readouterr().err
