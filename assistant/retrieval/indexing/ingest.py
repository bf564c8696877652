"""`beacon ingest`: parse, chunk, embed and index files; idempotent by content hash."""

from __future__ import annotations

import hashlib
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from assistant.decisions.relevance import gate_texts
from assistant.embeddings import Embedder
from assistant.errors import DocumentError
from assistant.retrieval.indexing.chunking import CHUNKER_VERSION, chunk_document
from assistant.retrieval.indexing.index import CatalogEntry, KnowledgeIndex
from assistant.retrieval.indexing.parsers import SUPPORTED, parse_file

SKIP_DIRS = {"participants", "irs"}  # structured data, not documents


@dataclass
class FileResult:
    path: str
    status: str  # added | updated | unchanged | rejected | skipped (unsupported file found in a folder)
    doc_id: str | None = None
    chunks: int = 0
    reason: str | None = None
    seconds: float = 0.0


@dataclass
class IngestReport:
    files: list[FileResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def chunks(self) -> int:
        return sum(f.chunks for f in self.files)


STRUCTURED = {".yaml", ".yml", ".csv", ".jsonl", ".json"}
"""data Beacon reads elsewhere (provisions, limits, rosters): not documents, not reported"""


def collect_files(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """(documents, unsupported): files named directly, plus every file under named folders
    (sorted). Unsupported files found in folders are returned so they can be reported."""
    out: list[Path] = []
    unsupported: list[Path] = []
    for p in paths:
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p).parts
                if not f.is_file() or SKIP_DIRS.intersection(rel[:-1]) or any(x.startswith(".") for x in rel):
                    continue
                if f.suffix.lower() in SUPPORTED:
                    out.append(f)
                elif f.suffix.lower() not in STRUCTURED:
                    unsupported.append(f)
        else:
            out.append(p)
    return out, unsupported


def ingest(
    paths: list[Path],
    index: KnowledgeIndex,
    embedder: Embedder,
    plan: str | None = None,
    doc_type: str | None = None,
    effective_date: str | None = None,
    progress: bool = True,
) -> IngestReport:
    overrides: dict[str, object] = {"plan_id": plan, "doc_type": doc_type, "effective_date": effective_date}
    report = IngestReport()
    files, unsupported = collect_files(paths)
    for f in unsupported:
        reason = (
            f"{f}: unsupported file type '{f.suffix or 'none'}' (supported: {', '.join(sorted(SUPPORTED))}); skipped."
        )
        report.files.append(FileResult(str(f), "skipped", reason=reason))
    seen: dict[str, str] = {}
    for path in tqdm(files, desc="Indexing", unit="file", disable=not progress, file=sys.stderr):
        started = time.perf_counter()
        try:
            if not path.exists():
                raise DocumentError(f"{path}: no such file.")
            raw = path.read_bytes()
            options = repr(sorted((k, str(v)) for k, v in overrides.items())) + CHUNKER_VERSION
            sha = hashlib.sha256(raw + options.encode()).hexdigest()
            doc = parse_file(path, overrides)
            doc_id = doc.meta.doc_id
            if doc_id in seen:
                raise DocumentError(f"{path}: doc_id '{doc_id}' is already used by {seen[doc_id]} in this run.")
            seen[doc_id] = str(path)
            old = index.entry(doc_id)
            # another existing file claiming the same doc id is a duplicate; a moved file is an update
            if old is not None and Path(old.path).resolve() != path.resolve() and Path(old.path).exists():
                raise DocumentError(
                    f"{path}: doc_id '{doc_id}' is already indexed from {old.path}; give this file its own doc_id"
                    f" (front matter or file name), or retire the old one first: beacon index retire {doc_id}"
                )
            if old is not None and old.sha256 == sha:
                report.files.append(FileResult(str(path), "unchanged", doc_id, old.chunks))
                continue
            chunks = chunk_document(doc, sha)
            vectors = embedder.encode([c.embed_text for c in chunks]).tolist()
            md = doc.meta
            entry = CatalogEntry(
                doc_id,
                str(path),
                md.plan_id,
                md.doc_type,
                md.title,
                md.effective_date.isoformat() if md.effective_date else "",
                md.version,
                sha,
                len(chunks),
            )
            index.replace_document(entry, chunks, vectors)
            report.files.append(
                FileResult(
                    str(path), "updated" if old else "added", doc_id, len(chunks), seconds=time.perf_counter() - started
                )
            )
        except DocumentError as e:
            report.files.append(FileResult(str(path), "rejected", reason=str(e)))
        except OSError as e:
            report.files.append(FileResult(str(path), "rejected", reason=f"{path}: cannot be read ({e})."))
    return report


@dataclass
class GateReport:
    documents: int
    texts: int
    seconds: float


def precompute_gate_vectors(
    index: KnowledgeIndex, embedder: Embedder, progress: bool = False, doc_ids: set[str] | None = None
) -> GateReport:
    """The vectors of the relevance gate's texts (every chunk's sentences, its title and each sentence
    under its section title) for each document that lacks them, stored beside the chunks. A second
    step after `ingest`: a document is searchable and answered as soon as it is ingested (the gate
    then embeds its sentences during the turn, 100-600 ms for a passage set seen the first time), and
    these vectors only take that work out of the turn. The CLI's `beacon ingest` and `make run` run
    both, for the documents of the command (`doc_ids`; all documents when None); re-ingesting a changed
    document drops its vectors until this runs again."""
    started = time.perf_counter()
    todo = [d for d in index.documents_without_gate_vectors() if doc_ids is None or d in doc_ids]
    total = 0
    for doc_id in tqdm(todo, desc="Gate vectors", unit="doc", disable=not progress, file=sys.stderr):
        texts = list(dict.fromkeys(t for text, md in index.document_chunks(doc_id) for t in gate_texts(text, md)))
        if texts:
            index.put_gate_vectors(doc_id, texts, embedder.encode(texts))
            total += len(texts)
    return GateReport(len(todo), total, time.perf_counter() - started)
