"""Who owns a conversation: thread -> participant, channel and creating login; turn -> thread.

Written by `TurnService.run` when a turn is answered, so the REST API and the chat can check
ownership (history, feedback, continuing a thread) without scanning checkpoints. Holds ids only,
never message text. Tables `thread_owners` and `thread_turns` in the database; erased with the
participant (assistant/records/privacy.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from assistant.storage import schema
from assistant.storage.database import Database

_owners, _turns = schema.thread_owners, schema.thread_turns


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
    def __init__(self, db: Database) -> None:
        self.db = db

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
        owner = {
            "thread_id": thread_id,
            "participant_id": participant_id,
            "plan_id": plan_id,
            "channel": channel,
            "created_by": created_by,
            "created_at": now,
            "updated_at": now,
        }
        with self.db.write() as conn:
            conn.execute(
                self.db.insert(_owners)
                .values(owner)
                .on_conflict_do_update(index_elements=[_owners.c.thread_id], set_={"updated_at": now})
            )
            conn.execute(
                self.db.insert(_turns)
                .values(turn_id=turn_id, thread_id=thread_id, participant_id=participant_id, created_at=now)
                .on_conflict_do_nothing()
            )

    @staticmethod
    def _select() -> Any:
        o = _owners.c
        turns = select(func.count()).where(_turns.c.thread_id == o.thread_id).scalar_subquery()
        return select(
            o.thread_id, o.participant_id, o.plan_id, o.channel, o.created_by, o.created_at, o.updated_at, turns
        )

    def _many(self, query: Any) -> list[ThreadOwner]:
        with self.db.read() as conn:
            return [ThreadOwner(*r) for r in conn.execute(query).all()]

    def get(self, thread_id: str) -> ThreadOwner | None:
        found = self._many(self._select().where(_owners.c.thread_id == thread_id))
        return found[0] if found else None

    def thread_of_turn(self, turn_id: str) -> ThreadOwner | None:
        with self.db.read() as conn:
            thread = conn.execute(select(_turns.c.thread_id).where(_turns.c.turn_id == turn_id)).scalar()
        return self.get(thread) if thread is not None else None

    def for_participant(self, participant_id: str, channel: str | None = None) -> list[ThreadOwner]:
        query = self._select().where(_owners.c.participant_id == participant_id)
        if channel:
            query = query.where(_owners.c.channel == channel)
        return self._many(query.order_by(_owners.c.updated_at.desc()))

    def created_by(self, username: str) -> list[ThreadOwner]:
        return self._many(self._select().where(_owners.c.created_by == username).order_by(_owners.c.updated_at.desc()))
