"""The document catalog (table `documents`): each ingested document's metadata and content hash."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, select

from assistant.storage import schema
from assistant.storage.database import Database

COLUMNS = ("doc_id", "path", "plan_id", "doc_type", "title", "effective_date", "version", "sha256", "chunks")
_docs = schema.documents


class DocumentCatalog:
    def __init__(self, db: Database) -> None:
        self.db = db

    def rows(self, doc_id: str | None = None) -> list[tuple[Any, ...]]:
        """(COLUMNS...) of one document or of all, by doc id."""
        query = select(*(_docs.c[c] for c in COLUMNS)).order_by(_docs.c.doc_id)
        if doc_id is not None:
            query = query.where(_docs.c.doc_id == doc_id)
        with self.db.read() as conn:
            return [tuple(r) for r in conn.execute(query).all()]

    def put(self, row: dict[str, Any]) -> None:
        values = {c: row[c] for c in COLUMNS} | {"ingested_at": dt.datetime.now(dt.UTC).isoformat()}
        stmt = self.db.insert(_docs).values(values)
        with self.db.write() as conn:
            conn.execute(stmt.on_conflict_do_update(index_elements=[_docs.c.doc_id], set_=values))

    def remove(self, doc_id: str) -> None:
        with self.db.write() as conn:
            conn.execute(delete(_docs).where(_docs.c.doc_id == doc_id))
