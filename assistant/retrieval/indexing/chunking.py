"""Split sections into heading-aware chunks small enough to embed well."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.retrieval.indexing.parsers import ParsedDoc

MAX_CHARS = 1200
CHUNKER_VERSION = "5"
"""part of every document's content hash: bump it when parsing or chunking changes, so the next
ingest re-indexes every document"""


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    """"doc_id#section#n" — unique in the index"""
    citation_id: str
    """"doc_id#section" — what answers cite"""
    text: str
    """the passage itself"""
    embed_text: str
    """the passage with its document and section headings, for embedding and BM25"""
    metadata: dict[str, str | int | float]


def _pieces(text: str, limit: int = MAX_CHARS) -> list[str]:
    if len(text) <= limit:
        return [text]
    sentences = re.split(r"(?<=[.!?])\s+", text)
    out: list[str] = []
    buf = ""
    for s in sentences:
        if buf and len(buf) + 1 + len(s) > limit:
            out.append(buf)
            buf = s
        else:
            buf = f"{buf} {s}".strip()
    if buf:
        out.append(buf)
    return out


def chunk_document(doc: ParsedDoc, sha256: str) -> list[Chunk]:
    meta = doc.meta
    chunks: list[Chunk] = []
    for section in doc.sections:
        for n, piece in enumerate(_pieces(section.text)):
            citation_id = f"{meta.doc_id}#{section.section}"
            heading = f"{meta.title} — {section.section} {section.title}".strip()
            md: dict[str, str | int | float] = {
                "doc_id": meta.doc_id,
                "plan_id": meta.plan_id,
                "doc_type": meta.doc_type,
                "section": section.section,
                "topic": section.section.split(".")[0],
                "section_title": section.title,
                "title": meta.title,
                "effective_date": meta.effective_date.isoformat() if meta.effective_date else "",
                "version": meta.version,
                "amends": meta.amends or "",
                "page": section.page or 0,
                "doc_sha256": sha256,
                # the questions its section answers (front matter `asks`; "4.2" is section 4's), one a line: the
                # relevance gate reads them
                "asks": "\n".join(q.strip() for q in meta.asks.get(section.section.split(".")[0], [])),
            }
            chunks.append(Chunk(f"{citation_id}#{n}", citation_id, piece, f"{heading}\n{piece}", md))
    return chunks
