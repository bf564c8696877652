"""The hand-off queue: conversations a participant asked to continue with a person.

A turn that escalates with reason `human_requested` opens one hand-off carrying the summary the
composer built (intents, figures shown, sources, open flags, last question — redacted text only).
Agents list the open ones, claim one, and resolve it with a note. Table `handoffs` in the database.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import func, select, update

from assistant.errors import BadInputError, NotFoundError
from assistant.storage import schema
from assistant.storage.database import Database

_h = schema.handoffs

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
    def __init__(self, db: Database) -> None:
        self.db = db

    def open(
        self, thread_id: str, turn_id: str, participant_id: str | None, plan_id: str | None, summary: dict[str, Any]
    ) -> Handoff:
        row = {
            "handoff_id": uuid.uuid4().hex,
            "thread_id": thread_id,
            "turn_id": turn_id,
            "participant_id": participant_id,
            "plan_id": plan_id,
            "summary": json.dumps(summary, sort_keys=True),
            "status": "open",
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
        }
        with self.db.write() as conn:
            conn.execute(self.db.insert(_h).values(row).on_conflict_do_nothing())
        return self._by(_h.c.turn_id, turn_id)

    def get(self, handoff_id: str) -> Handoff:
        return self._by(_h.c.handoff_id, handoff_id)

    def list(self, status: Status | None = "open") -> list[Handoff]:
        query = select(_h).order_by(_h.c.created_at)
        if status:
            query = query.where(_h.c.status == status)
        with self.db.read() as conn:
            return [self._row(r) for r in conn.execute(query).all()]

    def claim(self, handoff_id: str, agent: str) -> Handoff:
        """Claim an open hand-off; of two agents (on any hosts) claiming at once, one wins."""
        with self.db.write() as conn:
            current = self._locked(conn, handoff_id)
            if current.status != "open":
                raise BadInputError(
                    f"Hand-off {handoff_id} is already {current.status}"
                    + (f" by {current.claimed_by}" if current.claimed_by else "")
                    + "; pick another from the open queue."
                )
            conn.execute(
                update(_h)
                .where(_h.c.handoff_id == handoff_id, _h.c.status == "open")
                .values(status="claimed", claimed_by=agent)
            )
        return self.get(handoff_id)

    def resolve(self, handoff_id: str, agent: str, note: str | None = None) -> Handoff:
        with self.db.write() as conn:
            current = self._locked(conn, handoff_id)
            if current.status == "resolved":
                raise BadInputError(f"Hand-off {handoff_id} is already resolved.")
            conn.execute(
                update(_h)
                .where(_h.c.handoff_id == handoff_id)
                .values(
                    status="resolved",
                    claimed_by=func.coalesce(_h.c.claimed_by, agent),
                    resolved_at=dt.datetime.now(dt.UTC).isoformat(),
                    note=note,
                )
            )
        return self.get(handoff_id)

    def _locked(self, conn: Any, handoff_id: str) -> Handoff:
        row = conn.execute(select(_h).where(_h.c.handoff_id == handoff_id).with_for_update()).first()
        if row is None:
            raise NotFoundError(f"No hand-off '{handoff_id}'; list the open ones with GET /api/v1/handoffs.")
        return self._row(row)

    def _by(self, column: Any, value: str) -> Handoff:
        with self.db.read() as conn:
            row = conn.execute(select(_h).where(column == value)).first()
        if row is None:
            raise NotFoundError(f"No hand-off '{value}'; list the open ones with GET /api/v1/handoffs.")
        return self._row(row)

    @staticmethod
    def _row(r: Any) -> Handoff:
        return Handoff(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6], r[7], r[8], r[9], r[10])
