"""Pseudonymous participant keys that an erasure can make unlinkable.

The audit log never stores a participant id, only `participant_key` =
`"p_" + HMAC-SHA256(deployment key, salt ‖ participant id)[:20 hex]`, where `salt` is random per
participant and kept *only* here (table `pseudonym_salts` in Beacon's database, never in the audit
store). While the salt exists, Beacon can find a participant's audit records (export
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

from sqlalchemy import delete, select

from assistant.storage import schema
from assistant.storage.database import Database

_salts = schema.pseudonym_salts


class Pseudonyms:
    """Per-participant salts (table `pseudonym_salts`), safe across threads, processes and hosts."""

    def __init__(self, db: Database, key: bytes) -> None:
        self.db = db
        self._key = key

    def _hash(self, salt: str, participant_id: str) -> str:
        digest = hmac.new(self._key, f"{salt}\x00{participant_id}".encode(), hashlib.sha256).hexdigest()
        return "p_" + digest[:20]

    def _salt(self, participant_id: str) -> str | None:
        with self.db.read() as conn:
            salt = conn.execute(select(_salts.c.salt).where(_salts.c.participant_id == participant_id)).scalar()
        return str(salt) if salt is not None else None

    def key_for(self, participant_id: str) -> str:
        """The participant's key, creating their salt on first use (two hosts at once: one salt wins)."""
        salt = self._salt(participant_id)
        if salt is None:
            with self.db.write() as conn:
                conn.execute(
                    self.db.insert(_salts)
                    .values(
                        participant_id=participant_id,
                        salt=secrets.token_hex(16),
                        created_at=dt.datetime.now(dt.UTC).isoformat(),
                    )
                    .on_conflict_do_nothing()
                )
            salt = self._salt(participant_id)
        assert salt is not None, "inserted just above"
        return self._hash(salt, participant_id)

    def keys_for(self, participant_ids: list[str]) -> dict[str, str]:
        """Many participants' keys in a few bulk statements (a batch over millions of people), creating
        the missing salts; the same keys `key_for` gives."""
        out: dict[str, str] = {}
        now = dt.datetime.now(dt.UTC).isoformat()
        for start in range(0, len(participant_ids), 1000):
            chunk = participant_ids[start : start + 1000]
            salts = self._salts(chunk)
            missing = [pid for pid in chunk if pid not in salts]
            if missing:
                rows = [{"participant_id": pid, "salt": secrets.token_hex(16), "created_at": now} for pid in missing]
                with self.db.write() as conn:
                    conn.execute(self.db.insert(_salts).on_conflict_do_nothing(), rows)
                salts |= self._salts(missing)  # another host may have won: read what is stored
            out |= {pid: self._hash(salts[pid], pid) for pid in chunk}
        return out

    def _salts(self, ids: list[str]) -> dict[str, str]:
        with self.db.read() as conn:
            rows = conn.execute(select(_salts.c.participant_id, _salts.c.salt).where(_salts.c.participant_id.in_(ids)))
            return {pid: str(salt) for pid, salt in rows}

    def peek(self, participant_id: str) -> str | None:
        """The participant's key if they have one (no salt is created)."""
        salt = self._salt(participant_id)
        return None if salt is None else self._hash(salt, participant_id)

    def forget(self, participant_id: str) -> bool:
        """Delete the salt: the participant's existing audit key can no longer be derived."""
        with self.db.write() as conn:
            cur = conn.execute(delete(_salts).where(_salts.c.participant_id == participant_id))
        self.db.checkpoint_wal()
        return cur.rowcount > 0

    def close(self) -> None:
        """The database belongs to whoever opened it; nothing to release here."""
