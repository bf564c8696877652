"""Beacon's stores: one database (SQLite by default, PostgreSQL by `BEACON_DATABASE_URL`), its schema
(`schema.py`), migrations (`migrations/`, `migrate.py`), LangGraph checkpointers (`checkpoints.py`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from assistant.storage.database import Database

if TYPE_CHECKING:
    from assistant.settings import Settings


def open_database(target: Settings | str | Path, check: bool = True) -> Database:
    """The database of `settings` (or a URL, or a SQLite file path), checked against this Beacon's
    schema: created when empty, refused with `SchemaOutdatedError` when older (`check=False`: as is,
    for `beacon db upgrade` and `beacon db current`)."""
    from assistant.settings import Settings, database_url
    from assistant.storage.migrate import ensure_current

    if isinstance(target, Settings):
        db = Database(
            database_url(target),
            pool_size=target.database_pool_size,
            max_overflow=target.database_max_overflow,
            timeout_s=target.database_timeout_s,
        )
    elif isinstance(target, Path):
        db = Database(f"sqlite:///{target}")
    else:
        db = Database(target)
    if check:
        try:
            ensure_current(db)
        except BaseException:
            db.close()
            raise
    return db


__all__ = ["Database", "open_database"]
