"""`beacon ingest`, `beacon index status|retire`, `beacon participants load`: what Beacon knows."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from assistant.errors import NotFoundError
from assistant.surfaces.cli.common import deps as _deps


# commands ---------------------------------------------------------------------
def cmd_ingest(args: argparse.Namespace) -> int:
    from assistant.retrieval.indexing.ingest import ingest, precompute_gate_vectors

    deps = _deps()
    report = ingest(
        [Path(p) for p in args.paths],
        deps.index,
        deps.embedder,
        plan=args.plan,
        doc_type=args.doc_type,
        effective_date=args.effective_date,
        progress=not args.quiet,
    )
    for f in report.files:
        detail = f"{f.chunks} chunks in {f.seconds:.1f} s" if f.status not in ("rejected", "skipped") else f.reason
        print(f"  {f.status:<9} {f.doc_id or f.path}  {detail}")
    mine = {f.doc_id for f in report.files if f.doc_id and f.status in ("added", "updated", "unchanged")}
    if not args.no_gate_vectors:
        gate = precompute_gate_vectors(deps.index, deps.embedder, progress=not args.quiet, doc_ids=mine)
    if not args.no_gate_vectors and gate.documents:
        print(
            f"  precomputed {gate.texts} sentence vectors of {gate.documents} document(s) for the relevance gate"
            f" in {gate.seconds:.1f} s (answers come faster; the documents were answerable before)"
        )
    print(
        f"{report.count('added')} added, {report.count('updated')} updated, {report.count('unchanged')} unchanged, "
        f"{report.count('rejected')} rejected, {report.count('skipped')} skipped; index version {deps.index.version()}"
    )
    return 1 if report.count("rejected") and args.strict else 0


def cmd_index_status(args: argparse.Namespace) -> int:
    deps = _deps()
    entries = deps.index.entries()
    plans = sorted({e.plan_id for e in entries})
    status = {
        "documents": len(entries),
        "chunks": deps.index.chunk_count(),
        "gate_vectors": deps.index.gate_count(),
        "plans": plans,
        "index_version": deps.index.version(),
        "embedding_model": deps.embedder.model_id,
        "store": deps.settings.chroma_url or str(deps.settings.chroma_dir),
    }
    if args.json:
        print(json.dumps({**status, "entries": [e.__dict__ for e in entries]}, indent=2))
        return 0
    for k, v in status.items():
        print(f"{k:>16}: {', '.join(v) if isinstance(v, list) else v}")
    states = deps.retriever.document_states()
    for e in entries:
        print(
            f"  {e.doc_id:<42} {e.doc_type:<10} v{e.version:<8} {e.effective_date or '-':<10} {e.chunks:>4} chunks"
            f"  {states.get(e.doc_id, '')}"
        )
    return 0


def cmd_index_retire(args: argparse.Namespace) -> int:
    deps = _deps()
    for doc_id in args.doc_ids:
        entry = deps.index.entry(doc_id)
        if entry is None:
            known = ", ".join(e.doc_id for e in deps.index.entries()) or "none"
            raise NotFoundError(f"no indexed document has doc_id '{doc_id}' (indexed: {known}).")
        deps.index.remove_document(doc_id)
        print(f"  retired   {doc_id}  {entry.chunks} chunks removed")
    print(f"index version {deps.index.version()}")
    return 0


def cmd_participants_load(args: argparse.Namespace) -> int:
    from assistant.records.participants import parse_roster

    deps = _deps()
    good, bad = parse_roster(Path(args.file), set(deps.plans))
    report = deps.participants.upsert(good)
    for line, reason in bad:
        print(f"  rejected line {line}: {reason}", file=sys.stderr)
    print(
        f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, {len(bad)} rejected "
        f"from {args.file}"
    )
    return 0


def add_parsers(sub: Any) -> None:
    s = sub.add_parser("ingest", help="add or update documents in the index")
    s.add_argument("paths", nargs="+")
    s.add_argument("--plan")
    s.add_argument("--doc-type")
    s.add_argument("--effective-date")
    s.add_argument("--quiet", action="store_true", help="no progress bar")
    s.add_argument("--strict", action="store_true", help="exit 1 if any file is rejected")
    s.add_argument(
        "--no-gate-vectors",
        action="store_true",
        help="index only; leave the relevance gate's sentence vectors to a later `beacon ingest` (answers work either way)",
    )
    s.set_defaults(fn=cmd_ingest)
    s = sub.add_parser("index", help="the document index")
    isub = s.add_subparsers(dest="index_command", required=True)
    st = isub.add_parser("status", help="documents, chunks, plans, index version, embedding model")
    st.add_argument("--json", action="store_true")
    st.set_defaults(fn=cmd_index_status)
    rt = isub.add_parser("retire", help="remove documents (all their chunks) from the index")
    rt.add_argument("doc_ids", nargs="+", metavar="DOC_ID")
    rt.set_defaults(fn=cmd_index_retire)
    s = sub.add_parser("participants", help="the participant roster")
    psub = s.add_subparsers(dest="participants_command", required=True)
    ld = psub.add_parser("load", help="load or update a roster (CSV or JSONL)")
    ld.add_argument("file")
    ld.set_defaults(fn=cmd_participants_load)
