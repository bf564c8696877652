"""Chat history for the Chainlit UI: Chainlit's SQLAlchemy data layer on SQLite under the data
dir by default (`<data dir>/chat_history.db`), PostgreSQL when `BEACON_CHAT_HISTORY_URL` is set.

Only redacted text is stored: a user message, a thread name (Chainlit names a thread after its
first message) and a feedback comment are passed through the PII guard before they are written;
if the guard fails, a placeholder is written instead (fail closed). Assistant messages are the
guarded answers. Feedback (thumbs and comment) is mirrored into Beacon's feedback store with the
turn id kept in the message metadata, so it links to the turn's audit record.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from chainlit.data.sql_alchemy import SQLAlchemyDataLayer
from chainlit.data.storage_clients.base import BaseStorageClient
from chainlit.types import Feedback

from assistant.services import runtime
from assistant.settings import history_url

__all__ = ["BeaconDataLayer", "history_url"]

log = logging.getLogger("beacon.ui.history")
WITHHELD = "[message withheld: the PII screen failed]"
ACTION_TITLES = {
    "beacon_nudge": "A reminder about your plan",
    "copilot_lookup": "Copilot: caller look-up",
    "copilot_verify": "Copilot: caller look-up",
    "copilot_claim": "Copilot: hand-off",
    "copilot_decide": "Copilot: suggested reply",
    "beacon_why": "Why am I seeing this?",
    "review_open": "Compliance review",
    "review_verdict": "Compliance review",
    "review_category": "Compliance review",
    "review_regress": "Compliance review",
}
"""Chainlit names a thread after its first interaction; when that is a button (an action callback),
the thread gets a title a person can read instead of the action's internal name"""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users ("id" UUID PRIMARY KEY, "identifier" TEXT NOT NULL UNIQUE,
  "metadata" JSONB NOT NULL, "createdAt" TEXT);
CREATE TABLE IF NOT EXISTS threads ("id" UUID PRIMARY KEY, "createdAt" TEXT, "name" TEXT, "userId" UUID,
  "userIdentifier" TEXT, "tags" {tags}, "metadata" JSONB,
  FOREIGN KEY ("userId") REFERENCES users("id") ON DELETE CASCADE);
CREATE TABLE IF NOT EXISTS steps ("id" UUID PRIMARY KEY, "name" TEXT NOT NULL, "type" TEXT NOT NULL,
  "threadId" UUID NOT NULL, "parentId" UUID, "streaming" BOOLEAN NOT NULL, "waitForAnswer" BOOLEAN,
  "isError" BOOLEAN, "metadata" JSONB, "tags" {tags}, "input" TEXT, "output" TEXT, "createdAt" TEXT,
  "command" TEXT, "modes" JSONB, "start" TEXT, "end" TEXT, "generation" JSONB, "showInput" TEXT,
  "language" TEXT, "indent" INT, "defaultOpen" BOOLEAN, "autoCollapse" BOOLEAN, "icon" TEXT,
  FOREIGN KEY ("threadId") REFERENCES threads("id") ON DELETE CASCADE);
CREATE TABLE IF NOT EXISTS elements ("id" UUID PRIMARY KEY, "threadId" UUID, "type" TEXT, "url" TEXT,
  "chainlitKey" TEXT, "name" TEXT NOT NULL, "display" TEXT, "objectKey" TEXT, "size" TEXT, "page" INT,
  "language" TEXT, "forId" UUID, "mime" TEXT, "props" JSONB, "autoPlay" BOOLEAN, "playerConfig" JSONB,
  FOREIGN KEY ("threadId") REFERENCES threads("id") ON DELETE CASCADE);
CREATE TABLE IF NOT EXISTS feedbacks ("id" UUID PRIMARY KEY, "forId" UUID NOT NULL, "threadId" UUID NOT NULL,
  "value" INT NOT NULL, "comment" TEXT, FOREIGN KEY ("threadId") REFERENCES threads("id") ON DELETE CASCADE);
"""


MAX_INLINE_BYTES = 64_000
"""a source panel is a few paragraphs; anything larger is not kept in the history"""


class InlineElementStore(BaseStorageClient):
    """Where the history keeps side panels (sources, "Your figures"): inline, as a `data:` URL in
    the element's row, redacted like every other text, so a resumed chat shows its panels without
    a blob store. Panels are small text; other elements are not stored."""

    def __init__(self, redact: Callable[[str], Awaitable[str]]) -> None:
        self.redact = redact

    async def upload_file(
        self,
        object_key: str,
        data: bytes | str,
        mime: str = "application/octet-stream",
        overwrite: bool = True,
        content_disposition: str | None = None,
    ) -> dict[str, Any]:
        raw = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        if not mime.startswith("text/") or len(raw.encode()) > MAX_INLINE_BYTES:
            return {}  # Chainlit then skips the element (nothing unredacted is written)
        text = await self.redact(raw)
        encoded = base64.b64encode(text.encode("utf-8")).decode("ascii")
        return {"object_key": None, "url": f"data:{mime};charset=utf-8;base64,{encoded}"}

    async def delete_file(self, object_key: str) -> bool:
        return True  # the content lives in the element row, deleted with it

    async def get_read_url(self, object_key: str) -> str:
        raise NotImplementedError("inline elements have no object key")

    async def close(self) -> None:
        return None


class BeaconDataLayer(SQLAlchemyDataLayer):
    """Chainlit's SQLAlchemy layer that creates its schema, stores only redacted user text and
    mirrors feedback into Beacon's feedback store."""

    def __init__(self, deps: Any, url: str) -> None:
        super().__init__(conninfo=url, storage_provider=InlineElementStore(self._redact))
        self.deps = deps
        self.sqlite = url.startswith("sqlite")
        self._schema_ready = False
        self._schema_lock = asyncio.Lock()

    async def _ensure_schema(self) -> None:
        async with self._schema_lock:
            if self._schema_ready:
                return
            ddl = _SCHEMA.format(tags="TEXT" if self.sqlite else "TEXT[]")
            async with self.engine.begin() as conn:
                for statement in filter(str.strip, ddl.split(";")):
                    await conn.exec_driver_sql(statement)
            self._schema_ready = True

    async def execute_sql(self, query: str, parameters: dict) -> list[dict[str, Any]] | int | None:  # type: ignore[override]
        if not self._schema_ready:
            await self._ensure_schema()
        if self.sqlite:  # SQLite binds neither lists nor dicts: store them as JSON text
            parameters = {k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in parameters.items()}
        return await super().execute_sql(query, parameters)

    async def _redact(self, text: str) -> str:
        try:
            return str((await asyncio.to_thread(self.deps.guard.redact, text)).text)
        except Exception as e:  # noqa: BLE001 - fail closed: the raw text is never written
            log.warning("chat history: redaction failed (%s); a placeholder is stored", type(e).__name__)
            return WITHHELD

    async def create_step(self, step_dict: dict) -> None:  # type: ignore[override]
        # a user message's text, and any step's input (Chainlit's `on_message` run step carries the
        # user's message as its input); assistant output is the guarded answer
        keys = ("output", "input") if step_dict.get("type") == "user_message" else ("input",)
        if any(step_dict.get(k) for k in keys):
            step_dict = dict(step_dict)
            for key in keys:
                if step_dict.get(key):
                    step_dict[key] = await self._redact(str(step_dict[key]))
        await super().create_step(step_dict)  # type: ignore[arg-type]

    async def update_thread(  # type: ignore[override]
        self,
        thread_id: str,
        name: str | None = None,
        user_id: str | None = None,
        metadata: dict | None = None,
        tags: list[str] | None = None,
    ) -> None:
        if name in ACTION_TITLES:
            name = ACTION_TITLES[name]
        elif name:
            name = await self._redact(name)
        if metadata and metadata.get("name"):
            metadata = {**metadata, "name": await self._redact(str(metadata["name"]))}
        await super().update_thread(thread_id, name=name, user_id=user_id, metadata=metadata, tags=tags)

    async def upsert_feedback(self, feedback: Feedback) -> str:
        if feedback.comment:
            feedback.comment = await self._redact(feedback.comment)
        feedback_id = await super().upsert_feedback(feedback)
        await self._mirror_feedback(feedback)
        return feedback_id

    async def _mirror_feedback(self, feedback: Feedback) -> None:
        """Copy the rating into Beacon's feedback store, linked to the turn of the rated message."""
        # the rated step is the message itself or (Chainlit 2) the `on_message` run step around it
        rows = await self.execute_sql(
            'SELECT "metadata" FROM steps WHERE "id" = :id OR "parentId" = :id ORDER BY "createdAt"',
            {"id": feedback.forId},
        )
        metas = [
            json.loads(r["metadata"]) if isinstance(r.get("metadata"), str) else (r.get("metadata") or {})
            for r in (rows if isinstance(rows, list) else [])
        ]
        meta: dict[str, Any] = next((m for m in reversed(metas) if m.get("turn_id")), {})
        turn_id = meta.get("turn_id")
        if not turn_id:
            log.info("feedback on a message without a turn (greeting or card); kept in the chat history only")
            return
        # feedback arrives over HTTP (no websocket context): the rater is the thread's author
        owners = await self.execute_sql(
            'SELECT "userIdentifier" FROM threads WHERE "id" = :id', {"id": feedback.threadId}
        )
        username = str(owners[0].get("userIdentifier")) if isinstance(owners, list) and owners else "unknown"
        login = await asyncio.to_thread(runtime.users().get, username)
        await asyncio.to_thread(
            self.deps.feedback.add,
            turn_id,
            username,
            "up" if feedback.value == 1 else "down",
            feedback.comment,
            lambda t: t,  # already redacted above
            meta.get("thread_id"),
            login.participant_id if login else None,
        )
