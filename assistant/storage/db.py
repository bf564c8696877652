"""A plain SQLite connection for the embedded LangGraph checkpointer (`SqliteSaver` takes a
`sqlite3.Connection` and serialises its use with a lock of its own). Every other store goes through
`assistant.storage.database.Database`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

BUSY_TIMEOUT_MS = 10000
"""how long a write waits for another connection's (another thread's or process's) write to finish"""


def connect(path: Path) -> sqlite3.Connection:
    """One connection, for one thread at a time (or a user with its own lock, like SqliteSaver)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA secure_delete=ON")  # an erased conversation is overwritten in the file
    return conn
