"""Who owns a conversation: thread -> participant, channel and creating login; turn -> thread.

Written by `TurnService.run` when a turn is answered, so the REST API and the chat can check
ownership (history, feedback, continuing a thread) without scanning checkpoints. Holds ids only,
never message text. Tables `thread_owners` and `thread_turns` in beacon.db; erased with the
participant (assistant/records/privacy.py).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class ThreadOwner:
    thread_id: str
    participant_id: str | None
    plan_id: str | None
    channel: str
    created_by: str | None
    """the login that started the thread (None for the CLI)"""
    created_at: str
    updated_at: str
    turns: int


class ThreadStore:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        conn.execute(
            "CREATE TABLE IF NOT EXISTS thread_owners (thread_id TEXT PRIMARY KEY, participant_id TEXT,"
            " plan_id TEXT, channel TEXT NOT NULL, created_by TEXT, created_at TEXT NOT NULL,"
            " updated_at TEXT NOT NULL)"
        )
        conn.execute(
            "CREATE TABLE IF NOT EXISTS thread_turns (turn_id TEXT PRIMARY KEY, thread_id TEXT NOT NULL,"
            " participant_id TEXT, created_at TEXT NOT NULL)"
        )
        conn.execute("CREATE INDEX IF NOT EXISTS thread_owners_participant ON thread_owners(participant_id)")
        conn.execute("CREATE INDEX IF NOT EXISTS thread_owners_creator ON thread_owners(created_by)")
        conn.execute("CREATE INDEX IF NOT EXISTS thread_turns_thread ON thread_turns(thread_id)")
        conn.commit()

    def record(
        self,
        thread_id: str,
        turn_id: str,
        participant_id: str | None,
        plan_id: str | None,
        channel: str,
        created_by: str | None,
    ) -> None:
        """The first turn of a thread sets its owner; later turns only add their turn id."""
        now = dt.datetime.now(dt.UTC).isoformat()
        with self.conn:
            self.conn.execute(
                "INSERT INTO thread_owners VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(thread_id) DO UPDATE SET updated_at = excluded.updated_at",
                (thread_id, participant_id, plan_id, channel, created_by, now, now),
            )
            self.conn.execute(
                "INSERT OR IGNORE INTO thread_turns VALUES (?, ?, ?, ?)", (turn_id, thread_id, participant_id, now)
            )

    _SELECT = (
        "SELECT o.thread_id, o.participant_id, o.plan_id, o.channel, o.created_by, o.created_at, o.updated_at,"
        " (SELECT COUNT(*) FROM thread_turns t WHERE t.thread_id = o.thread_id) FROM thread_owners o"
    )

    def get(self, thread_id: str) -> ThreadOwner | None:
        row = self.conn.execute(self._SELECT + " WHERE o.thread_id = ?", (thread_id,)).fetchone()
        return ThreadOwner(*row) if row else None

    def thread_of_turn(self, turn_id: str) -> ThreadOwner | None:
        row = self.conn.execute("SELECT thread_id FROM thread_turns WHERE turn_id = ?", (turn_id,)).fetchone()
        return self.get(row[0]) if row else None

    def for_participant(self, participant_id: str, channel: str | None = None) -> list[ThreadOwner]:
        sql = self._SELECT + " WHERE o.participant_id = ?" + (" AND o.channel = ?" if channel else "")
        args = (participant_id, channel) if channel else (participant_id,)
        return [ThreadOwner(*r) for r in self.conn.execute(sql + " ORDER BY o.updated_at DESC", args).fetchall()]

    def created_by(self, username: str) -> list[ThreadOwner]:
        sql = self._SELECT + " WHERE o.created_by = ? ORDER BY o.updated_at DESC"
        return [ThreadOwner(*r) for r in self.conn.execute(sql, (username,)).fetchall()]
