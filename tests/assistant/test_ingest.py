"""Parsing and ingestion: heading-aware chunks with metadata, idempotence, bad files reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import DocumentError
from assistant.retrieval.indexing.chunking import chunk_document
from assistant.retrieval.indexing.ingest import ingest
from assistant.retrieval.indexing.parsers import parse_file
from tests.conftest import ROOT, make_deps


def test_spd_sections_and_front_matter() -> None:
    doc = parse_file(ROOT / "knowledge/plans/acme-401k/spd.md", {})
    assert doc.meta.doc_id == "acme-401k/spd" and doc.meta.plan_id == "acme-401k" and doc.meta.version == "2026.1"
    by_id = {s.section: s for s in doc.sections}
    assert by_id["4.2"].title == "Employer matching contributions"
    assert "100% of the first 3%" in by_id["4.2"].text
    assert "\n" not in by_id["4.2"].text  # hard wraps unwrapped
    chunks = chunk_document(doc, "sha")
    c = next(c for c in chunks if c.citation_id == "acme-401k/spd#4.2")
    assert (
        c.metadata["effective_date"] == "2026-01-01"
        and c.metadata["section_title"] == "Employer matching contributions"
    )
    assert c.embed_text.startswith("Acme Widgets 401(k) Savings Plan")


def test_long_sections_split_on_sentences() -> None:
    from assistant.retrieval.indexing.chunking import _pieces

    text = " ".join(f"Sentence number {i} is here." for i in range(200))
    pieces = _pieces(text, 300)
    assert all(len(p) <= 300 for p in pieces) and " ".join(pieces) == text


@pytest.mark.parametrize(
    "name,content,reason",
    [
        ("empty.md", b"", "empty"),
        ("notes.docx", b"PK\x03\x04", "unsupported file type"),
        ("broken.pdf", b"%PDF-1.4 this is not really a pdf", "cannot be read"),
        ("binary.txt", b"\xff\xfe\x00\x01garbage", "not UTF-8"),
        ("nofront.md", b"# Title\n\nSome text.", "plan_id"),
        ("unterminated.md", b"---\ndoc_id: x/y\n\nbody", "never ends"),
    ],
)
def test_bad_files_raise_with_path(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    f = tmp_path / name
    f.write_bytes(content)
    with pytest.raises(DocumentError) as e:
        parse_file(f, {})
    assert str(f) in str(e.value) and reason in str(e.value)


def test_ingest_is_idempotent_and_reports_per_file(models, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    deps = make_deps(tmp_path / "data", models, ingest=False, roster=False)
    bad = tmp_path / "docs"
    bad.mkdir()
    (bad / "corrupt.pdf").write_bytes(b"%PDF-1.7 garbage")
    (bad / "good.txt").write_text("Plan loans are repaid through payroll.\n\nA second paragraph about fees.")
    first = ingest([ROOT / "knowledge", bad], deps.index, deps.embedder, plan=None, progress=False)
    statuses = {f.path.split("/")[-1]: f.status for f in first.files}
    assert statuses["spd.md"] == "added" and statuses["corrupt.pdf"] == "rejected"
    # good.txt has no front matter and no --plan: rejected with the reason, the rest ingested
    assert statuses["good.txt"] == "rejected"
    n_docs = len(list((ROOT / "knowledge").rglob("*.md")))
    assert first.count("added") == n_docs
    version = deps.index.version()
    count = deps.index.chunk_count()
    again = ingest([ROOT / "knowledge"], deps.index, deps.embedder, progress=False)
    assert again.count("unchanged") == n_docs and again.count("added") == again.count("updated") == 0
    assert deps.index.version() == version and deps.index.chunk_count() == count
    # with --plan, the text file is accepted under that plan
    third = ingest([bad / "good.txt"], deps.index, deps.embedder, plan="acme-401k", progress=False)
    assert third.files[0].status == "added" and third.files[0].doc_id == "acme-401k/good"
    assert deps.index.version() != version
    # changing a document updates it in place
    (bad / "good.txt").write_text("Plan loans are repaid through payroll.\n\nFees changed: $80 per loan.")
    fourth = ingest([bad / "good.txt"], deps.index, deps.embedder, plan="acme-401k", progress=False)
    assert fourth.files[0].status == "updated"
    assert any("$80" in p.text for p in deps.index.section("acme-401k/good", "2"))
    assert not any("second paragraph" in p.text for p in deps.index.section("acme-401k/good", "2"))


def test_gate_vectors_are_precomputed_after_ingest_so_a_turn_embeds_only_its_question(  # type: ignore[no-untyped-def]
    models, tmp_path: Path
) -> None:
    import numpy as np

    from assistant.decisions.relevance import RelevanceGate
    from assistant.retrieval.indexing.ingest import precompute_gate_vectors

    deps = make_deps(tmp_path / "data", models, ingest=False, roster=False)
    doc = tmp_path / "loans.txt"
    doc.write_text(
        "Plan loans\n\nYou may borrow up to half of your vested balance, at most $50,000. "
        "Each new loan costs a $75 origination fee. Loans are repaid through payroll deduction."
    )
    ingest([doc], deps.index, deps.embedder, plan="acme-401k", progress=False)
    assert deps.index.documents_without_gate_vectors() == ["acme-401k/loans"]  # answerable, not yet precomputed
    report = precompute_gate_vectors(deps.index, deps.embedder)
    assert report.documents == 1 and report.texts >= 4
    assert precompute_gate_vectors(deps.index, deps.embedder).documents == 0  # nothing left to do
    texts, vectors = deps.index.gate_vectors()
    fresh = deps.embedder._model.encode(texts, normalize_embeddings=True, show_progress_bar=False)
    assert np.allclose(vectors, fresh, atol=1e-5)  # the stored vectors are the model's own

    # a turn: with the vectors known, the gate embeds only the question
    deps.embedder._cache.clear()
    deps.retriever.snapshot()
    encoded: list[str] = []
    model_encode = deps.embedder._model.encode

    def counting(batch, **kwargs):  # type: ignore[no-untyped-def]
        encoded.extend(batch)
        return model_encode(batch, **kwargs)

    deps.embedder._model.encode = counting
    try:
        passages = [
            {"text": t, "metadata": md, "score": 0.5} for t, md in deps.index.document_chunks("acme-401k/loans")
        ]
        best = RelevanceGate(deps.embedder).score("What does a loan cost?", passages)[0][0]
    finally:
        deps.embedder._model.encode = model_encode
    assert encoded == ["What does a loan cost?"] and "$75" in best.text

    # a changed document drops its vectors until they are precomputed again; a retired one loses them
    doc.write_text("Plan loans\n\nEach new loan costs an $80 origination fee.")
    ingest([doc], deps.index, deps.embedder, plan="acme-401k", progress=False)
    assert deps.index.documents_without_gate_vectors() == ["acme-401k/loans"]
    assert precompute_gate_vectors(deps.index, deps.embedder).documents == 1
    assert any("$80" in t for t in deps.index.gate_vectors()[0])
    assert not any("$75" in t for t in deps.index.gate_vectors()[0])
    deps.index.remove_document("acme-401k/loans")
    assert deps.index.gate_count() == 0
