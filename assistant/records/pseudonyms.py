"""Pseudonymous participant keys that an erasure can make unlinkable.

The audit log never stores a participant id, only `participant_key` =
`"p_" + HMAC-SHA256(deployment key, salt ‖ participant id)[:20 hex]`, where `salt` is random per
participant and kept *only* here (table `pseudonym_salts` in the participants database, never in
the audit store). While the salt exists, Beacon can find a participant's audit records (export
`--participant`, erasure). Erasing the participant deletes the salt (crypto-shredding): the
records stay, hash-chained and redacted, but nobody — not even with the deployment key and the
participant id — can tell any more whose they were. A participant who comes back later gets a
new salt and so a new, unrelated key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import sqlite3
import threading
from pathlib import Path


class Pseudonyms:
    """Per-participant salts in SQLite, on a connection of their own (safe across threads)."""

    def __init__(self, path: Path, key: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(str(path), check_same_thread=False, timeout=10)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA busy_timeout=10000")
        self.conn.execute("PRAGMA secure_delete=ON")  # a deleted salt is overwritten on disk
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS pseudonym_salts ("
            " participant_id TEXT PRIMARY KEY, salt TEXT NOT NULL, created_at TEXT NOT NULL)"
        )
        self.conn.commit()
        self._key = key
        self._lock = threading.Lock()

    def _hash(self, salt: str, participant_id: str) -> str:
        digest = hmac.new(self._key, f"{salt}\x00{participant_id}".encode(), hashlib.sha256).hexdigest()
        return "p_" + digest[:20]

    def _salt(self, participant_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT salt FROM pseudonym_salts WHERE participant_id = ?", (participant_id,)
        ).fetchone()
        return str(row[0]) if row else None

    def key_for(self, participant_id: str) -> str:
        """The participant's key, creating their salt on first use."""
        with self._lock:
            salt = self._salt(participant_id)
            if salt is None:
                with self.conn:
                    self.conn.execute(
                        "INSERT OR IGNORE INTO pseudonym_salts VALUES (?, ?, ?)",
                        (participant_id, secrets.token_hex(16), dt.datetime.now(dt.UTC).isoformat()),
                    )
                salt = self._salt(participant_id)
            assert salt is not None, "inserted just above"
            return self._hash(salt, participant_id)

    def peek(self, participant_id: str) -> str | None:
        """The participant's key if they have one (no salt is created)."""
        with self._lock:
            salt = self._salt(participant_id)
        return None if salt is None else self._hash(salt, participant_id)

    def forget(self, participant_id: str) -> bool:
        """Delete the salt: the participant's existing audit key can no longer be derived."""
        with self._lock, self.conn:
            cur = self.conn.execute("DELETE FROM pseudonym_salts WHERE participant_id = ?", (participant_id,))
        return cur.rowcount > 0

    def close(self) -> None:
        self.conn.close()
