"""The text behind an audit record's retrieved chunk ids, read back from the index (the record
keeps ids, versions and document hashes, not the text). A chunk whose document changed since the
turn is marked, so a reviewer knows the passage shown is today's wording."""

from __future__ import annotations

from typing import Any


def passages(index: Any, retrieved: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per retrieved chunk: id, title, section, text (None when no longer indexed)."""
    ids = [str(p["chunk_id"]) for p in retrieved]
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    if ids and index is not None:
        res = index.collection.get(ids=ids, include=["documents", "metadatas"])
        found = {
            cid: (text, dict(md or {}))
            for cid, text, md in zip(res["ids"], res["documents"], res["metadatas"], strict=True)
        }
    out = []
    for p in retrieved:
        text, md = found.get(str(p["chunk_id"]), (None, {}))
        now = md.get("doc_sha256")
        out.append(
            {
                "chunk_id": p["chunk_id"],
                "doc_id": p.get("doc_id"),
                "title": md.get("title"),
                "section": md.get("section"),
                "section_title": md.get("section_title"),
                "effective_date": md.get("effective_date"),
                "version": p.get("version"),
                "score": p.get("score"),
                "text": text,
                "changed_since": bool(text is not None and now and p.get("doc_sha256") and now != p.get("doc_sha256")),
            }
        )
    return out
