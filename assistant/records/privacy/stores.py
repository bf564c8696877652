"""Every store that holds data about a participant, one small class each, in the explicit list
`PARTICIPANT_DATA` that erasure walks."""

import sqlite3
from typing import Protocol

from assistant.records.privacy.chat_history import ChatHistory
from assistant.records.privacy.context import PrivacyContext, connect


# participant data stores ---------------------------------------------------------------------
class ParticipantData(Protocol):
    name: str

    def find(self, ctx: PrivacyContext, participant_id: str) -> int:
        """How many items this store holds for the participant."""

    def erase(self, ctx: PrivacyContext, participant_id: str) -> int:
        """Delete them; returns how many were deleted."""


class _Table:
    name = ""
    table = ""

    def _exists(self, ctx: PrivacyContext) -> bool:
        return (
            ctx.db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (self.table,)).fetchone()
            is not None
        )

    def find(self, ctx: PrivacyContext, participant_id: str) -> int:
        if not self._exists(ctx):
            return 0
        sql = f"SELECT COUNT(*) FROM {self.table} WHERE participant_id = ?"
        return int(ctx.db.execute(sql, (participant_id,)).fetchone()[0])

    def erase(self, ctx: PrivacyContext, participant_id: str) -> int:
        if not self._exists(ctx):
            return 0
        with ctx.db:
            return ctx.db.execute(f"DELETE FROM {self.table} WHERE participant_id = ?", (participant_id,)).rowcount


class Profile(_Table):
    name, table = "profile", "participants"


class Logins(_Table):
    name, table = "logins", "users"


def _thread_rows(conn: sqlite3.Connection) -> list[str]:
    has = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='checkpoints'").fetchone()
    if not has:
        return []
    return [r[0] for r in conn.execute("SELECT DISTINCT thread_id FROM checkpoints ORDER BY thread_id")]


def thread_summaries(conn: sqlite3.Connection) -> list[tuple[str, str | None, str]]:
    """(thread id, participant id or None, last activity ISO time) for every stored conversation."""
    from langgraph.checkpoint.sqlite import SqliteSaver

    saver = SqliteSaver(conn)
    out = []
    for thread_id in _thread_rows(conn):
        tup = saver.get_tuple({"configurable": {"thread_id": thread_id}})
        if tup is None:
            continue
        values = tup.checkpoint.get("channel_values", {})
        out.append((thread_id, values.get("participant_id"), str(tup.checkpoint.get("ts", ""))))
    return out


def delete_threads(conn: sqlite3.Connection, thread_ids: list[str]) -> None:
    with conn:
        for t in thread_ids:
            conn.execute("DELETE FROM checkpoints WHERE thread_id = ?", (t,))
            conn.execute("DELETE FROM writes WHERE thread_id = ?", (t,))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # no copy of the deleted pages stays in the WAL


class Threads:
    """Conversation threads (LangGraph checkpoints): the conversation history a person sees."""

    name = "threads"

    def _mine(self, conn: sqlite3.Connection, participant_id: str) -> list[str]:
        return [t for t, pid, _ in thread_summaries(conn) if pid == participant_id]

    def find(self, ctx: PrivacyContext, participant_id: str) -> int:
        conn = ctx.checkpoints()
        if conn is None:
            return 0
        try:
            return len(self._mine(conn, participant_id))
        finally:
            conn.close()

    def erase(self, ctx: PrivacyContext, participant_id: str) -> int:
        conn = ctx.checkpoints()
        if conn is None:
            return 0
        try:
            mine = self._mine(conn, participant_id)
            delete_threads(conn, mine)
            return len(mine)
        finally:
            conn.close()


class NudgeState:
    """Life-event nudges (assistant/nudges/store.py, nudges.db): HR feed events, contact
    preferences, decisions with their outcomes, in-app cards, intents and the outbox."""

    name = "nudge_rows"
    BY_ID = ("feed_events", "contact_preferences", "in_app")
    BY_KEY = ("intents", "outbox")

    def _conn(self, ctx: PrivacyContext) -> sqlite3.Connection | None:
        return connect(ctx.nudges_path) if ctx.nudges_path is not None and ctx.nudges_path.exists() else None

    def _run(self, ctx: PrivacyContext, participant_id: str, delete: bool) -> int:
        conn = self._conn(ctx)
        if conn is None:
            return 0
        key = ctx.pseudonyms.peek(participant_id)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        verb = "DELETE" if delete else "SELECT COUNT(*)"
        n = 0
        try:
            with conn:
                if {"outcomes", "decisions"} <= tables:
                    cur = conn.execute(
                        f"{verb} FROM outcomes WHERE decision_id IN"
                        " (SELECT decision_id FROM decisions WHERE participant_id = ?)",
                        (participant_id,),
                    )
                    n += cur.rowcount if delete else cur.fetchone()[0]
                for table in (*self.BY_ID, "decisions"):
                    if table in tables:
                        cur = conn.execute(f"{verb} FROM {table} WHERE participant_id = ?", (participant_id,))
                        n += cur.rowcount if delete else cur.fetchone()[0]
                for table in self.BY_KEY:
                    if key is not None and table in tables:
                        cur = conn.execute(f"{verb} FROM {table} WHERE participant_key = ?", (key,))
                        n += cur.rowcount if delete else cur.fetchone()[0]
            if delete:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
        return int(n)

    def find(self, ctx: PrivacyContext, participant_id: str) -> int:
        return self._run(ctx, participant_id, delete=False)

    def erase(self, ctx: PrivacyContext, participant_id: str) -> int:
        return self._run(ctx, participant_id, delete=True)


class Handoffs(_Table):
    """Hand-offs to a person (assistant/records/handoffs.py), with their conversation summaries."""

    name = "handoffs"
    table = "handoffs"


class Feedback(_Table):
    """Thumbs and comments on answers (assistant/records/feedback.py)."""

    name = "feedback"
    table = "feedback"


class ThreadOwnership(_Table):
    """Which conversations are the participant's (assistant/records/threads.py; ids only)."""

    name = "thread_owners"
    table = "thread_owners"


class ThreadTurns(_Table):
    """Which turns belong to the participant's conversations (assistant/records/threads.py; ids only)."""

    name = "thread_turns"
    table = "thread_turns"


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
