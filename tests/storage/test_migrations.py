"""Schema versions: an empty database is created at the newest revision on both backends and
matches `schema.py` exactly; a data dir of the release before migrations (built with that
release's own code: fixtures/release-0.1) is refused until `beacon db upgrade`, which keeps every
row (its separate nudges.db included) and leaves no stale copy behind."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from assistant.nudges.store import NudgeStore
from assistant.records.handoffs import HandoffStore
from assistant.records.participants import ParticipantStore
from assistant.records.users import UserStore
from assistant.settings import Settings
from assistant.storage import Database, open_database, schema
from assistant.storage.migrate import SchemaOutdatedError, current_revision, head_revision
from assistant.surfaces.cli import main

RELEASE = Path(__file__).parent / "fixtures" / "release-0.1"


def test_an_empty_database_is_created_at_the_newest_revision_and_matches_the_schema(db: Database) -> None:
    assert current_revision(db) == head_revision()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), schema.metadata)
    assert diff == []  # the migrations build exactly the tables schema.py defines


def _counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables if t != "alembic_version"}
    finally:
        conn.close()


@pytest.fixture
def release_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    shutil.copytree(RELEASE, data)
    monkeypatch.setenv("BEACON_DATA_DIR", str(data))
    return data


def test_a_release_data_dir_is_refused_until_upgraded_and_keeps_every_row(release_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    before = _counts(release_dir / "beacon.db") | _counts(release_dir / "nudges.db")
    assert sum(before.values()) >= 30 and before["participants"] == 15

    with pytest.raises(SchemaOutdatedError, match=r"run `beacon db upgrade`"):
        open_database(Settings(data_dir=release_dir))
    assert main(["ask", "What is the loan fee?", "--participant", "A-1002"]) == 2
    assert "beacon db upgrade" in capsys.readouterr().err  # one sentence, before any model loads
    assert main(["db", "current"]) == 1
    assert "from before migrations" not in capsys.readouterr().out

    assert main(["db", "upgrade"]) == 0
    assert f"to {head_revision()}" in capsys.readouterr().out
    assert not (release_dir / "nudges.db").exists()  # copied in, checked, then deleted (no stale copy)
    after = _counts(release_dir / "beacon.db")
    assert {t: after[t] for t in before} == before  # no row lost
    assert main(["db", "current"]) == 0 and main(["db", "upgrade"]) == 0

    db = open_database(Settings(data_dir=release_dir))
    try:  # the stores read the release's rows
        assert ParticipantStore(db).count() == 15
        assert UserStore(db).authenticate("daniel", "correct horse battery").participant_id == "A-1002"  # type: ignore[union-attr]
        assert [h.turn_id for h in HandoffStore(db).list()] == ["turn-2"]
        store = NudgeStore(db)
        assert [d.decision_id for d in store.decisions()] == ["d-1"]
        assert store.outcomes()["d-1"]["shown"].isoformat() == "2026-10-02"
    finally:
        db.close()


def test_a_newer_schema_is_refused_too(tmp_path: Path) -> None:
    db = open_database(tmp_path / "beacon.db")
    db.query("UPDATE alembic_version SET version_num = '9999'")
    db.close()
    with pytest.raises(SchemaOutdatedError, match="newer than this Beacon knows"):
        open_database(tmp_path / "beacon.db")


def test_db_commands_on_postgresql(pg_schema_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BEACON_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BEACON_DATABASE_URL", pg_schema_url)
    assert main(["db", "current"]) == 1
    assert "schema none" in capsys.readouterr().out
    assert main(["db", "upgrade"]) == 0
    out = capsys.readouterr().out
    assert "***" not in out or "postgres" in out
    assert main(["db", "current"]) == 0
    assert "up to date" in capsys.readouterr().out
    assert not (tmp_path / "data" / "beacon.db").exists()  # nothing on disk: the stores are in PostgreSQL
