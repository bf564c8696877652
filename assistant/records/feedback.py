"""Feedback on answers: thumbs up/down and an optional comment, linked to the turn's audit record.

The comment is redacted by the PII guard before it is stored (the caller passes the redactor).
Table `feedback` in the database.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any, Literal

from sqlalchemy import insert, select

from assistant.errors import BadInputError
from assistant.storage import schema
from assistant.storage.database import Database

_feedback = schema.feedback

Rating = Literal["up", "down"]
MAX_COMMENT = 2000


class FeedbackStore:
    def __init__(self, db: Database) -> None:
        self.db = db

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
        with self.db.write() as conn:
            conn.execute(
                insert(_feedback).values(
                    feedback_id=fid,
                    turn_id=turn_id,
                    thread_id=thread_id,
                    participant_id=participant_id,
                    user=user,
                    rating=rating,
                    comment=stored,
                    created_at=now,
                )
            )
        return {"feedback_id": fid, "turn_id": turn_id, "rating": rating, "comment": stored, "created_at": now}

    def for_turn(self, turn_id: str) -> list[dict[str, Any]]:
        f = _feedback.c
        with self.db.read() as conn:
            rows = conn.execute(
                select(f.feedback_id, f.rating, f.comment, f.user, f.created_at)
                .where(f.turn_id == turn_id)
                .order_by(f.created_at)
            ).all()
        return [dict(zip(("feedback_id", "rating", "comment", "user", "created_at"), r, strict=True)) for r in rows]
