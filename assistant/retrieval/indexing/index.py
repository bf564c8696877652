"""The knowledge index: chunks in Chroma (embedded or server) plus a document catalog in Beacon's database.

The catalog records each document's content hash so re-ingesting unchanged files does nothing.
The index version is a hash of every (doc id, content hash) pair and the embedding model.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assistant.errors import UnavailableError
from assistant.retrieval.indexing.chunking import Chunk
from assistant.storage.catalog import DocumentCatalog
from assistant.storage.database import Database

COLLECTION = "beacon-knowledge"
GATE_COLLECTION = "beacon-gate-texts"
"""the relevance gate's texts of each document (its sentences, titles, titled sentences) with their
vectors, precomputed after ingestion so that a turn embeds only the question"""


GATE_BATCH = 2000
"""rows per Chroma add (it caps a batch)"""


@dataclass(frozen=True)
class CatalogEntry:
    doc_id: str
    path: str
    plan_id: str
    doc_type: str
    title: str
    effective_date: str
    version: str
    sha256: str
    chunks: int


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk, ready to cite."""

    chunk_id: str
    citation_id: str
    text: str
    score: float
    """cosine similarity to the query"""
    metadata: dict[str, Any]
    rank_score: float = 0.0
    """the fused (reciprocal rank) score the passage was ordered by"""
    conflicts: list[str] = field(default_factory=list)
    """citation ids of other documents in force that state the same rule with the same date"""


def open_chroma(settings_chroma_dir: str, chroma_url: str | None):  # type: ignore[no-untyped-def]
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if chroma_url:
            from urllib.parse import urlparse

            u = urlparse(chroma_url)
            return chromadb.HttpClient(
                host=u.hostname or "127.0.0.1", port=u.port or 8000, ssl=u.scheme == "https", settings=chroma_settings
            )
        return chromadb.PersistentClient(path=settings_chroma_dir, settings=chroma_settings)
    except Exception as e:  # chromadb raises many types for an unreachable server
        raise UnavailableError(
            f"The document index cannot be opened ({e}); check BEACON_CHROMA_URL / BEACON_DATA_DIR."
        ) from e


class KnowledgeIndex:
    def __init__(self, client, catalog: Database, embedding_model: str) -> None:  # type: ignore[no-untyped-def]
        self.client = client
        self.collection = client.get_or_create_collection(
            COLLECTION, metadata={"hnsw:space": "cosine"}, embedding_function=None
        )
        self.gate_texts = client.get_or_create_collection(
            GATE_COLLECTION, metadata={"hnsw:space": "cosine"}, embedding_function=None
        )
        self.catalog = DocumentCatalog(catalog)
        self.embedding_model = embedding_model

    # catalog -----------------------------------------------------------------
    def entry(self, doc_id: str) -> CatalogEntry | None:
        rows = self.catalog.rows(doc_id)
        return CatalogEntry(*rows[0]) if rows else None

    def entries(self) -> list[CatalogEntry]:
        return [CatalogEntry(*r) for r in self.catalog.rows()]

    def version(self) -> str:
        h = hashlib.sha256(self.embedding_model.encode())
        for e in self.entries():
            h.update(f"{e.doc_id}:{e.sha256};".encode())
        return h.hexdigest()[:16]

    # writes ------------------------------------------------------------------
    def replace_document(self, entry: CatalogEntry, chunks: list[Chunk], vectors: list[list[float]]) -> None:
        self.collection.delete(where={"doc_id": entry.doc_id})
        self.gate_texts.delete(where={"doc_id": entry.doc_id})  # the old text's; precomputed again after
        if chunks:
            self.collection.add(
                ids=[c.chunk_id for c in chunks],
                embeddings=vectors,
                documents=[c.text for c in chunks],
                metadatas=[c.metadata for c in chunks],
            )
        self.catalog.put(entry.__dict__)

    def put_gate_vectors(self, doc_id: str, texts: list[str], vectors: np.ndarray) -> None:
        """The gate's texts of one document and their vectors (replacing any stored before)."""
        self.gate_texts.delete(where={"doc_id": doc_id})
        for start in range(0, len(texts), GATE_BATCH):
            part = texts[start : start + GATE_BATCH]
            self.gate_texts.add(
                ids=[f"{doc_id}:{hashlib.sha256(t.encode()).hexdigest()[:20]}" for t in part],
                embeddings=np.asarray(vectors[start : start + GATE_BATCH], dtype=np.float32).tolist(),
                documents=part,
                metadatas=[{"doc_id": doc_id}] * len(part),
            )

    def remove_document(self, doc_id: str) -> None:
        self.collection.delete(where={"doc_id": doc_id})
        self.gate_texts.delete(where={"doc_id": doc_id})
        self.catalog.remove(doc_id)

    # reads -------------------------------------------------------------------
    def chunk_count(self) -> int:
        return int(self.collection.count())

    def all_chunks(self) -> tuple[list[str], list[str], list[dict[str, Any]], np.ndarray]:
        """Every chunk: ids, texts, metadata and (normalised) vectors, in a stable order."""
        res = self.collection.get(include=["documents", "metadatas", "embeddings"])
        rows = sorted(
            zip(res["ids"], res["documents"], res["metadatas"], res["embeddings"], strict=True), key=lambda r: r[0]
        )
        vectors = np.asarray([r[3] for r in rows], dtype=np.float32).reshape(len(rows), -1 if rows else 0)
        return [r[0] for r in rows], [r[1] for r in rows], [dict(r[2]) for r in rows], vectors

    def gate_count(self) -> int:
        return int(self.gate_texts.count())

    def gate_vectors(self) -> tuple[list[str], np.ndarray]:
        """Every precomputed gate text and its vector."""
        res = self.gate_texts.get(include=["documents", "embeddings"])
        texts = list(res["documents"] or [])
        if not texts:
            return [], np.zeros((0, 0), dtype=np.float32)
        return texts, np.asarray(res["embeddings"], dtype=np.float32).reshape(len(texts), -1)

    def documents_without_gate_vectors(self) -> list[str]:
        """Documents whose gate texts have not been precomputed since they were (re)ingested."""
        res = self.gate_texts.get(include=["metadatas"])
        done = {str(m["doc_id"]) for m in res["metadatas"] or []}
        return [e.doc_id for e in self.entries() if e.chunks and e.doc_id not in done]

    def document_chunks(self, doc_id: str) -> list[tuple[str, dict[str, Any]]]:
        """(text, metadata) of every chunk of one document, in order."""
        res = self.collection.get(where={"doc_id": doc_id}, include=["documents", "metadatas"])
        rows = sorted(zip(res["ids"], res["documents"], res["metadatas"], strict=True), key=lambda r: r[0])
        return [(text, dict(md)) for _, text, md in rows]

    def section(self, doc_id: str, section: str) -> list[Passage]:
        """Every chunk of one section, in order (for citing a calculator's rule)."""
        res = self.collection.get(
            where={"$and": [{"doc_id": doc_id}, {"section": section}]}, include=["documents", "metadatas"]
        )
        rows = sorted(zip(res["ids"], res["documents"], res["metadatas"], strict=True), key=lambda r: r[0])
        return [Passage(cid, cid.rsplit("#", 1)[0], text, 1.0, dict(md)) for cid, text, md in rows]
