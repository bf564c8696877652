"""The web chat's history (Chainlit's SQLAlchemy data layer): a participant's chats and the
agents' copilot chats about their conversations."""

import json
from pathlib import Path
from typing import Any

from assistant.records.privacy.context import PrivacyContext

CHAT_TABLES = ("feedbacks", "elements", "steps")
"""Chainlit's per-thread tables, deleted before the thread row itself"""


class ChatHistory:
    """The web chat's history (Chainlit's SQLAlchemy data layer, `assistant/surfaces/ui/history.py`): the
    chats of the participant's logins, agents' copilot chats about the participant's conversations
    (their steps carry the Beacon thread id), and the participant's Chainlit user row."""

    name = "chat_history"

    def _engine(self, ctx: PrivacyContext) -> Any:
        url = ctx.chat_history_url
        if not url or (url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists()):
            return None
        from sqlalchemy import create_engine

        return create_engine(url)

    @staticmethod
    def _names(ctx: PrivacyContext, participant_id: str) -> list[str]:
        from sqlalchemy import select

        from assistant.storage.schema import users

        with ctx.db.read() as conn:
            return list(
                conn.execute(select(users.c.username).where(users.c.participant_id == participant_id)).scalars()
            )

    @staticmethod
    def _beacon_threads(ctx: PrivacyContext, participant_id: str) -> set[str]:
        from sqlalchemy import select

        from assistant.storage.schema import thread_owners as t

        with ctx.db.read() as conn:
            return set(conn.execute(select(t.c.thread_id).where(t.c.participant_id == participant_id)).scalars())

    def _mine(self, conn: Any, ctx: PrivacyContext, participant_id: str) -> tuple[list[str], list[str]]:
        """(Chainlit thread ids, Chainlit user identifiers) holding the participant's data."""
        from sqlalchemy import inspect, text

        if "threads" not in inspect(conn).get_table_names():
            return [], []
        names = self._names(ctx, participant_id)
        ids = {str(r[0]) for r in conn.execute(text('SELECT "id", "userIdentifier" FROM threads')) if r[1] in names}
        beacon = self._beacon_threads(ctx, participant_id)
        if beacon:
            for thread_id, metadata in conn.execute(text('SELECT "threadId", "metadata" FROM steps')):
                md = metadata if isinstance(metadata, dict) else json_or_empty(metadata)
                if md.get("thread_id") in beacon:
                    ids.add(str(thread_id))
        return sorted(ids), names

    def _run(self, ctx: PrivacyContext, participant_id: str, delete: bool) -> int:
        engine = self._engine(ctx)
        if engine is None:
            return 0
        from sqlalchemy import bindparam, text

        try:
            with engine.begin() as conn:
                threads, names = self._mine(conn, ctx, participant_id)
                if delete:
                    delete_chat_threads(conn, threads)
                    if names:
                        conn.execute(
                            text('DELETE FROM users WHERE "identifier" IN :names').bindparams(
                                bindparam("names", expanding=True)
                            ),
                            {"names": names},
                        )
            if delete and engine.dialect.name == "sqlite":
                with engine.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            engine.dispose()
        return len(threads)

    def find(self, ctx: PrivacyContext, participant_id: str) -> int:
        return self._run(ctx, participant_id, delete=False)

    def erase(self, ctx: PrivacyContext, participant_id: str) -> int:
        return self._run(ctx, participant_id, delete=True)


def json_or_empty(value: Any) -> dict[str, Any]:
    try:
        out = json.loads(value) if isinstance(value, str) else {}
    except json.JSONDecodeError:
        return {}
    return out if isinstance(out, dict) else {}


def delete_chat_threads(conn: Any, thread_ids: list[str]) -> None:
    """Delete Chainlit threads with their steps, source panels and ratings (no cascade relied on)."""
    from sqlalchemy import bindparam, text

    if not thread_ids:
        return
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA secure_delete=ON")
    for table in (*CHAT_TABLES, "threads"):
        column = "id" if table == "threads" else "threadId"
        conn.execute(
            text(f'DELETE FROM {table} WHERE CAST("{column}" AS TEXT) IN :ids').bindparams(
                bindparam("ids", expanding=True)
            ),
            {"ids": thread_ids},
        )
