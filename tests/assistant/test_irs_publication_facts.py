"""The real IRS Publication 590-B (../shared/data) ingested as a new document set: a phone number it
prints is an answer, shown as printed and cited to its page, and its RMD pages (which give the
ages 70½ and 72 of earlier birth years beside today's 73) are not taken for a stale page."""

from __future__ import annotations

import re

import pytest

from assistant.decisions.stale_rules import stale_statements
from assistant.retrieval.indexing.ingest import ingest
from assistant.retrieval.indexing.parsers import parse_file
from assistant.services.turn_service import TurnService
from tests.conftest import ROOT, make_deps, shared_data


@pytest.fixture(scope="module")
def irs(models, tmp_path_factory) -> TurnService:  # type: ignore[no-untyped-def]
    pub = shared_data("documents/irs/p590b_2025.pdf")
    deps = make_deps(tmp_path_factory.mktemp("irs-facts") / "data", models, ingest=False, roster=False)
    ingest([ROOT / "knowledge/general"], deps.index, deps.embedder, progress=False)
    ingest([pub], deps.index, deps.embedder, plan="irs-pubs", progress=False)
    return TurnService(deps)


def test_no_stale_statement_in_the_current_publication() -> None:
    from assistant.records.provisions import load_limits

    doc = parse_file(shared_data("documents/irs/p590b_2025.pdf"), {"plan_id": "irs-pubs"})
    pages = [
        {"citation_id": f"p590b#{s.section}", "text": s.text, "metadata": {"plan_id": "irs-pubs"}} for s in doc.sections
    ]
    limits = load_limits(ROOT / "knowledge")[2026]
    # the publication does state the old ages, each beside today's or for a dated case
    assert any(re.search(r"reach(ed)? age 72\b", p["text"]) for p in pages)
    for intent in ("rmd", "contribution_limit", "catch_up"):
        assert stale_statements(pages, limits, intent) == []


@pytest.mark.slow
def test_a_phone_number_printed_in_the_publication_is_the_answer(irs: TurnService) -> None:
    out = irs.run("What number do I call to order prior-year forms?", plan="irs-pubs")
    assert out.action == "answer" and out.intent == "contact"
    assert "call 800-829-3676 to order prior-year forms and instructions" in out.answer  # printed, so not redacted
    pages = {c.page for c in out.citations if c.doc_id == "irs-pubs/p590b_2025"}
    assert 3 in pages and "page 3" in out.answer


@pytest.mark.slow
def test_an_rmd_answer_from_the_publication_is_not_flagged(irs: TurnService) -> None:
    out = irs.run("When must I start required minimum distributions from my IRA?", plan="irs-pubs")
    assert out.action == "answer" and out.review is None
