"""Nudge state joins the one database: rows of a release's separate `nudges.db` are copied in.

Before this revision the nudge engine kept its tables in `nudges.db` beside `beacon.db`. On SQLite,
when that file exists next to the database being upgraded, every row of its tables is copied into
the same tables here (rows already present are kept, so running it twice adds nothing). Once the
upgrade has committed, `beacon db upgrade` checks that every old row is present and deletes the old
file (`assistant.storage.migrate.retire_legacy_files`): an erased participant must not live on in
a stale copy. PostgreSQL databases never had it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04 09:05:00
"""

import sqlite3
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from assistant.storage.schema import NUDGE_TABLES

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

LEGACY = "nudges.db"


def _database_file() -> Path | None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return None
    for _seq, name, file in bind.exec_driver_sql("PRAGMA database_list").fetchall():
        if name == "main" and file:
            return Path(file)
    return None


def upgrade() -> None:
    main = _database_file()
    legacy = main.with_name(LEGACY) if main is not None else None
    if legacy is None or not legacy.exists():
        return
    bind = op.get_bind()
    old = sqlite3.connect(f"file:{legacy}?mode=ro", uri=True)
    try:
        present = {r[0] for r in old.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        for name in NUDGE_TABLES:
            if name not in present:
                continue
            cur = old.execute(f"SELECT * FROM {name}")
            cols = [d[0] for d in cur.description]
            table = sa.table(name, *(sa.column(c) for c in cols))
            insert = sqlite_insert(table).on_conflict_do_nothing()
            while rows := cur.fetchmany(5000):
                bind.execute(insert, [dict(zip(cols, r, strict=True)) for r in rows])
    finally:
        old.close()


def downgrade() -> None:
    """The rows stay in the one database; the old file is not recreated."""
