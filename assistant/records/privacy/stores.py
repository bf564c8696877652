"""Every store that holds data about a participant, one small class each, in the explicit list
`PARTICIPANT_DATA` that erasure walks."""

from typing import Any, Protocol

from sqlalchemy import Table, delete, func, select

from assistant.records.privacy.chat_history import ChatHistory
from assistant.records.privacy.context import PrivacyContext
from assistant.storage import checkpoints, schema


# participant data stores ---------------------------------------------------------------------
class ParticipantData(Protocol):
    name: str

    def find(self, ctx: PrivacyContext, participant_id: str) -> int:
        """How many items this store holds for the participant."""

    def erase(self, ctx: PrivacyContext, participant_id: str) -> int:
        """Delete them; returns how many were deleted."""


class _Table:
    name = ""
    table: Table

    def find(self, ctx: PrivacyContext, participant_id: str) -> int:
        t = self.table
        with ctx.db.read() as conn:
            return int(conn.execute(select(func.count()).where(t.c.participant_id == participant_id)).scalar_one())

    def erase(self, ctx: PrivacyContext, participant_id: str) -> int:
        with ctx.db.write() as conn:
            return int(conn.execute(delete(self.table).where(self.table.c.participant_id == participant_id)).rowcount)


class Profile(_Table):
    name, table = "profile", schema.participants


class Logins(_Table):
    name, table = "logins", schema.users


def thread_summaries(saver: Any) -> list[tuple[str, str | None, str]]:
    """(thread id, participant id or None, last activity ISO time) for every stored conversation."""
    out = []
    for thread_id in checkpoints.thread_ids(saver):
        tup = saver.get_tuple({"configurable": {"thread_id": thread_id}})
        if tup is None:
            continue
        values = tup.checkpoint.get("channel_values", {})
        out.append((thread_id, values.get("participant_id"), str(tup.checkpoint.get("ts", ""))))
    return out


def delete_threads(saver: Any, thread_ids: list[str]) -> None:
    checkpoints.delete_threads(saver, thread_ids)


class Threads:
    """Conversation threads (LangGraph checkpoints): the conversation history a person sees."""

    name = "threads"

    def _mine(self, ctx: PrivacyContext, participant_id: str) -> list[str]:
        if ctx.checkpoints is None:
            return []
        return [t for t, pid, _ in thread_summaries(ctx.checkpoints) if pid == participant_id]

    def find(self, ctx: PrivacyContext, participant_id: str) -> int:
        return len(self._mine(ctx, participant_id))

    def erase(self, ctx: PrivacyContext, participant_id: str) -> int:
        mine = self._mine(ctx, participant_id)
        if mine:
            delete_threads(ctx.checkpoints, mine)
        return len(mine)


class NudgeState:
    """Life-event nudges (assistant/nudges/store.py): HR feed events, contact preferences, decisions
    with their outcomes, in-app cards, intents and the outbox."""

    name = "nudge_rows"
    BY_ID = (schema.feed_events, schema.contact_preferences, schema.in_app)
    BY_KEY = (schema.intents, schema.outbox)

    def _run(self, ctx: PrivacyContext, participant_id: str, erase: bool) -> int:
        key = ctx.pseudonyms.peek(participant_id)
        d = schema.decisions
        mine = select(d.c.decision_id).where(d.c.participant_id == participant_id)
        wheres: list[tuple[Table, Any]] = [(schema.outcomes, schema.outcomes.c.decision_id.in_(mine))]
        wheres += [(t, t.c.participant_id == participant_id) for t in (*self.BY_ID, d)]
        if key is not None:
            wheres += [(t, t.c.participant_key == key) for t in self.BY_KEY]
        n = 0
        with ctx.db.write() if erase else ctx.db.read() as conn:
            for table, where in wheres:
                if erase:
                    n += conn.execute(delete(table).where(where)).rowcount
                else:
                    n += conn.execute(select(func.count()).select_from(table).where(where)).scalar_one()
        if erase:
            ctx.db.checkpoint_wal()
        return int(n)

    def find(self, ctx: PrivacyContext, participant_id: str) -> int:
        return self._run(ctx, participant_id, erase=False)

    def erase(self, ctx: PrivacyContext, participant_id: str) -> int:
        return self._run(ctx, participant_id, erase=True)


class Handoffs(_Table):
    """Hand-offs to a person (assistant/records/handoffs.py), with their conversation summaries."""

    name, table = "handoffs", schema.handoffs


class Feedback(_Table):
    """Thumbs and comments on answers (assistant/records/feedback.py)."""

    name, table = "feedback", schema.feedback


class ThreadOwnership(_Table):
    """Which conversations are the participant's (assistant/records/threads.py; ids only)."""

    name, table = "thread_owners", schema.thread_owners


class ThreadTurns(_Table):
    """Which turns belong to the participant's conversations (assistant/records/threads.py; ids only)."""

    name, table = "thread_turns", schema.thread_turns


PARTICIPANT_DATA: list[ParticipantData] = [
    ChatHistory(),
    Profile(),
    Logins(),
    Threads(),
    NudgeState(),
    Handoffs(),
    Feedback(),
    ThreadOwnership(),
    ThreadTurns(),
]
"""Every store that holds data about a participant; erasure walks this list."""
