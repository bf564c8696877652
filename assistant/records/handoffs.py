"""The hand-off queue: conversations a participant asked to continue with a person.

A turn that escalates with reason `human_requested` opens one hand-off carrying the summary the
composer built (intents, figures shown, sources, open flags, last question — redacted text only).
Agents list the open ones, claim one, and resolve it with a note. Table `handoffs` in beacon.db.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from assistant.errors import BadInputError, NotFoundError

Status = Literal["open", "claimed", "resolved"]


@dataclass(frozen=True)
class Handoff:
    handoff_id: str
    thread_id: str
    turn_id: str
    participant_id: str | None
    plan_id: str | None
    summary: dict[str, Any]
    status: Status
    created_at: str
    claimed_by: str | None
    resolved_at: str | None
    note: str | None

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


class HandoffStore:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        conn.execute(
            "CREATE TABLE IF NOT EXISTS handoffs (handoff_id TEXT PRIMARY KEY, thread_id TEXT NOT NULL,"
            " turn_id TEXT NOT NULL UNIQUE, participant_id TEXT, plan_id TEXT, summary TEXT NOT NULL,"
            " status TEXT NOT NULL, created_at TEXT NOT NULL, claimed_by TEXT, resolved_at TEXT, note TEXT)"
        )
        conn.execute("CREATE INDEX IF NOT EXISTS handoffs_status ON handoffs(status, created_at)")
        conn.commit()

    def open(
        self, thread_id: str, turn_id: str, participant_id: str | None, plan_id: str | None, summary: dict[str, Any]
    ) -> Handoff:
        hid = uuid.uuid4().hex
        now = dt.datetime.now(dt.UTC).isoformat()
        with self.conn:
            self.conn.execute(
                "INSERT OR IGNORE INTO handoffs VALUES (?, ?, ?, ?, ?, ?, 'open', ?, NULL, NULL, NULL)",
                (hid, thread_id, turn_id, participant_id, plan_id, json.dumps(summary, sort_keys=True), now),
            )
        return self._by("turn_id", turn_id)

    def get(self, handoff_id: str) -> Handoff:
        return self._by("handoff_id", handoff_id)

    def list(self, status: Status | None = "open") -> list[Handoff]:
        sql = "SELECT * FROM handoffs" + (" WHERE status = ?" if status else "") + " ORDER BY created_at"
        return [self._row(r) for r in self.conn.execute(sql, (status,) if status else ()).fetchall()]

    def claim(self, handoff_id: str, agent: str) -> Handoff:
        current = self.get(handoff_id)
        if current.status != "open":
            raise BadInputError(
                f"Hand-off {handoff_id} is already {current.status}"
                + (f" by {current.claimed_by}" if current.claimed_by else "")
                + "; pick another from the open queue."
            )
        with self.conn:
            self.conn.execute(
                "UPDATE handoffs SET status = 'claimed', claimed_by = ? WHERE handoff_id = ? AND status = 'open'",
                (agent, handoff_id),
            )
        return self.get(handoff_id)

    def resolve(self, handoff_id: str, agent: str, note: str | None = None) -> Handoff:
        current = self.get(handoff_id)
        if current.status == "resolved":
            raise BadInputError(f"Hand-off {handoff_id} is already resolved.")
        with self.conn:
            self.conn.execute(
                "UPDATE handoffs SET status = 'resolved', claimed_by = COALESCE(claimed_by, ?), resolved_at = ?,"
                " note = ? WHERE handoff_id = ?",
                (agent, dt.datetime.now(dt.UTC).isoformat(), note, handoff_id),
            )
        return self.get(handoff_id)

    def _by(self, column: str, value: str) -> Handoff:
        row = self.conn.execute(f"SELECT * FROM handoffs WHERE {column} = ?", (value,)).fetchone()
        if row is None:
            raise NotFoundError(f"No hand-off '{value}'; list the open ones with GET /api/v1/handoffs.")
        return self._row(row)

    @staticmethod
    def _row(r: tuple[Any, ...]) -> Handoff:
        return Handoff(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6], r[7], r[8], r[9], r[10])
