"""Schema versions: `beacon db upgrade`, `beacon db current`, and the start-up check.

A fresh, empty database is created at the newest revision when a process first opens it (the
default SQLite file, or a new PostgreSQL database). A database that holds Beacon tables at an older
revision (or the hand-written tables of a release before migrations) is never changed behind the
operator's back: the process refuses to start with one sentence naming `beacon db upgrade`.
Upgrades take a lock (PostgreSQL advisory lock; a lock file beside a SQLite database), so hosts that
start together migrate once.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from assistant.errors import BeaconError
from assistant.storage.database import Database
from assistant.storage.schema import metadata

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class SchemaOutdatedError(BeaconError):
    """The database's schema is older (or newer) than this Beacon's."""

    exit_code = 2


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "the package ships at least one migration"
    return head


def current_revision(db: Database) -> str | None:
    with db.read() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _has_beacon_tables(db: Database) -> bool:
    with db.read() as conn:
        return bool(set(inspect(conn).get_table_names()) & set(metadata.tables))


@contextmanager
def _migration_lock(db: Database) -> Iterator[None]:
    path = db.sqlite_path()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path.with_name(path.name + ".migrate-lock"), "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            yield
        return
    if db.is_sqlite:  # in memory: one process by definition
        yield
        return
    with db.engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(hashtext('beacon_schema_migrations'))"))
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(hashtext('beacon_schema_migrations'))"))
            conn.commit()


def upgrade(db: Database, revision: str = "head") -> tuple[str | None, str]:
    """Migrate to `revision` (default the newest); returns (before, after)."""
    with db._guard(), _migration_lock(db):
        before = current_revision(db)
        with db.engine.connect() as conn:
            cfg = _config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
            conn.commit()
        after = current_revision(db) or ""
    if after >= "0002":
        retire_legacy_files(db)
    return before, after


def ensure_current(db: Database) -> None:
    """The start-up check (see the module docstring)."""
    current = current_revision(db)
    head = head_revision()
    if current == head:
        return
    if current is None and not _has_beacon_tables(db):
        upgrade(db)
        return
    known = {s.revision for s in ScriptDirectory.from_config(_config()).walk_revisions()}
    if current is not None and current not in known:
        raise SchemaOutdatedError(
            f"The database {db.describe()} has schema revision {current}, newer than this Beacon knows "
            f"(newest {head}); upgrade Beacon before starting it."
        )
    raise SchemaOutdatedError(
        f"The database {db.describe()} has an older schema ({current or 'from before migrations'}, this Beacon "
        f"needs {head}); back it up and run `beacon db upgrade`, then start again."
    )


def retire_legacy_files(db: Database) -> list[Path]:
    """After revision 0002 committed: delete a release's separate `nudges.db` once every one of its
    rows is in the one database (checked table by table); returns the files deleted."""
    import sqlite3

    from assistant.storage.schema import NUDGE_TABLES

    main = db.sqlite_path()
    if main is None or not main.with_name("nudges.db").exists():
        return []
    legacy = main.with_name("nudges.db")
    old = sqlite3.connect(f"file:{legacy}?mode=ro", uri=True)
    try:
        present = {r[0] for r in old.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        with db.read() as conn:
            for name in NUDGE_TABLES:
                if name not in present:
                    continue
                cols = [r[1] for r in old.execute(f"PRAGMA table_info({name})")]
                for row in old.execute(f"SELECT * FROM {name}"):
                    where = " AND ".join(f'"{c}" IS :{c}' for c in cols)
                    found = conn.execute(text(f"SELECT 1 FROM {name} WHERE {where}"), dict(zip(cols, row, strict=True)))
                    if found.first() is None:
                        raise SchemaOutdatedError(
                            f"{legacy} holds a {name} row that is not in {db.describe()}; it was kept. "
                            "Run `beacon db upgrade` again or report this."
                        )
    finally:
        old.close()
    gone = []
    for suffix in ("", "-wal", "-shm"):
        f = legacy.with_name(legacy.name + suffix)
        if f.exists():
            f.unlink()
            gone.append(f)
    return gone
