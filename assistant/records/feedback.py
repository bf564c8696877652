"""Feedback on answers: thumbs up/down and an optional comment, linked to the turn's audit record.

The comment is redacted by the PII guard before it is stored (the caller passes the redactor).
Table `feedback` in beacon.db.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from collections.abc import Callable
from typing import Any, Literal

from assistant.errors import BadInputError

Rating = Literal["up", "down"]
MAX_COMMENT = 2000


class FeedbackStore:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        conn.execute(
            "CREATE TABLE IF NOT EXISTS feedback (feedback_id TEXT PRIMARY KEY, turn_id TEXT NOT NULL,"
            " thread_id TEXT, participant_id TEXT, user TEXT NOT NULL, rating TEXT NOT NULL, comment TEXT,"
            " created_at TEXT NOT NULL)"
        )
        conn.execute("CREATE INDEX IF NOT EXISTS feedback_turn ON feedback(turn_id)")
        conn.commit()

    def add(
        self,
        turn_id: str,
        user: str,
        rating: str,
        comment: str | None,
        redact: Callable[[str], str],
        thread_id: str | None = None,
        participant_id: str | None = None,
    ) -> dict[str, Any]:
        if rating not in ("up", "down"):
            raise BadInputError(f"rating must be 'up' or 'down', not '{rating}'.")
        if comment is not None and len(comment) > MAX_COMMENT:
            raise BadInputError(f"A feedback comment can have at most {MAX_COMMENT} characters; shorten it.")
        stored = redact(comment) if comment else None
        fid = uuid.uuid4().hex
        now = dt.datetime.now(dt.UTC).isoformat()
        with self.conn:
            self.conn.execute(
                "INSERT INTO feedback VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (fid, turn_id, thread_id, participant_id, user, rating, stored, now),
            )
        return {"feedback_id": fid, "turn_id": turn_id, "rating": rating, "comment": stored, "created_at": now}

    def for_turn(self, turn_id: str) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT feedback_id, rating, comment, user, created_at FROM feedback WHERE turn_id = ? ORDER BY created_at",
            (turn_id,),
        ).fetchall()
        return [dict(zip(("feedback_id", "rating", "comment", "user", "created_at"), r, strict=True)) for r in rows]
