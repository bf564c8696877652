"""The labelled retrieval and routing sets load, are well-formed, and their scorers count right."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.errors import SuiteError
from evals.retrieval_eval import RETRIEVAL_DIR, MethodScore, load_set
from evals.routing_eval import UtteranceSet, evaluate_routing, load_utterances
from tests.conftest import ROOT


def test_retrieval_sets_label_real_sections() -> None:
    import re

    bundled = load_set(RETRIEVAL_DIR / "bundled.yaml")
    assert len(bundled.questions) >= 150
    sections: dict[str, set[str]] = {}
    for md in (ROOT / "knowledge").rglob("*.md"):
        from assistant.retrieval.indexing.parsers import parse_file

        doc = parse_file(md, {})
        sections[doc.meta.doc_id] = {s.section for s in doc.sections}
    for q in bundled.questions:
        for label in q.answers:
            doc_id, section = label.split("#", 1)
            assert section in sections.get(doc_id, set()), (q.id, label)
        if q.kind == "followup":
            assert q.previous, q.id
    irs = load_set(RETRIEVAL_DIR / "irs-publications.yaml")
    assert irs.questions and all(
        re.fullmatch(r"irs-pubs/p590[ab]_2025#p\d+", a) for q in irs.questions for a in q.answers
    )


def test_bad_retrieval_set_names_the_question_and_field(tmp_path: Path) -> None:
    f = tmp_path / "set.yaml"
    f.write_text("set: x\nquestions:\n  - {id: q1, plan: p, q: hi, answers: [], kind: lay}\n")
    with pytest.raises(SuiteError) as e:
        load_set(f)
    assert "question 'q1', field 'answers'" in str(e.value)
    f.write_text(
        "set: x\nquestions:\n  - {id: q1, plan: p, q: a, answers: [d#1], kind: lay}\n"
        "  - {id: q1, plan: p, q: b, answers: [d#1], kind: lay}\n"
    )
    with pytest.raises(SuiteError, match="used twice"):
        load_set(f)


def test_method_score_recall_and_mrr() -> None:
    s = MethodScore([1, 3, None, 6])
    assert s.recall(1) == 0.25 and s.recall(5) == 0.5
    assert s.mrr == pytest.approx((1 + 1 / 3 + 1 / 6) / 4)


def test_routing_set_is_large_and_uses_known_intents() -> None:
    import yaml

    spec = yaml.safe_load((ROOT / "assistant/decisions/intents.yaml").read_text())
    intents = set(spec)
    data = load_utterances(intents=intents)
    assert len(data.utterances) >= 200
    # every intent with example utterances or keyword rules (investment_education: definitions of
    # investment terms) has utterances in the set
    routed = {name for name, s in spec.items() if s.get("examples") or s.get("rules")}
    assert "investment_education" in routed
    assert {u.intent for u in data.utterances} == routed - {"general"}
    assert sum(u.kind == "typo" for u in data.utterances) >= 40 and sum(u.kind == "lay" for u in data.utterances) >= 40
    with pytest.raises(SuiteError, match="unknown intent"):
        load_utterances(intents={"loan"})


def test_routing_report_counts() -> None:
    class Fixed:
        def classify(self, text: str) -> tuple[str, float, str]:
            return ("loan" if "borrow" in text else "general"), 1.0, "rule"

    data = UtteranceSet.model_validate(
        {
            "set": "t",
            "utterances": [
                {"text": "can i borrow", "intent": "loan", "kind": "plain"},
                {"text": "borow?", "intent": "loan", "kind": "typo"},
                {"text": "hi", "intent": "greeting", "kind": "plain"},
            ],
        }
    )
    report = evaluate_routing(Fixed(), data)
    assert report.correct == 1 and report.accuracy == pytest.approx(1 / 3)
    assert report.by_kind == {"plain": (1, 2), "typo": (0, 1)}
    assert sum(n for _, n in report.by_split.values()) == 3
    assert report.confusions[0][1] == 1 and len(report.wrong) == 2
