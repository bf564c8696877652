"""The answer-label sets (evals/answers/*.yaml) load, keep their fixed split, and their facts are real text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, get_args

import pytest
import yaml

from evals.answer_sets import (
    FIQA_FILE,
    PUBLICATION_PAGES,
    Expect,
    fact_found,
    load_bundled_facts,
    load_fiqa,
    load_irs,
    normalise,
    split_for,
)
from evals.errors import SuiteError
from evals.retrieval_eval import RETRIEVAL_DIR, load_set
from tests.conftest import ROOT, shared_data


def _dev_share(splits: list[str]) -> float:
    return sum(s == "dev" for s in splits) / len(splits)


def test_label_sets_load_with_balanced_fixed_splits() -> None:
    fiqa, irs = load_fiqa(), load_irs()
    assert len(fiqa.questions) == 176 and len(irs.questions) >= 60
    assert 0.4 <= _dev_share([q.split for q in fiqa.questions]) <= 0.6
    assert 0.4 <= _dev_share([q.split for q in irs.questions]) <= 0.6
    assert {u.expect for q in fiqa.questions for u in q.units} == set(get_args(Expect))
    assert sum(q.parts is not None for q in fiqa.questions) >= 3
    near_misses = sum(q.expect != "answer" for q in irs.questions) / len(irs.questions)
    assert 0.05 <= near_misses <= 0.2


@pytest.mark.parametrize(
    ("key", "split"),
    [("590", "dev"), ("720", "test"), ("6128", "test"), ("qcd-max-2026-abbrev", "dev"), ("trump-account-kids", "test")],
)
def test_split_is_fixed_by_the_id(key: str, split: str) -> None:
    assert split_for(key) == split


def test_fiqa_labels_every_shared_question_once_without_copying_it() -> None:
    fiqa = load_fiqa()
    path = shared_data("questions/fiqa-retirement-dev.json")
    assert (ROOT / fiqa.source).resolve() == path.resolve()
    asked = json.loads(path.read_text(encoding="utf-8"))
    assert sorted(q.qid for q in fiqa.questions) == sorted(q["qid"] for q in asked)
    labels = normalise(FIQA_FILE.read_text(encoding="utf-8"))
    copied = [q["qid"] for q in asked if len(q["question"].split()) >= 3 and normalise(q["question"]) in labels]
    assert copied == []


def test_bundled_facts_cover_the_bundled_set_and_come_from_its_answering_sections() -> None:
    from assistant.retrieval.indexing.parsers import parse_file

    bundled = load_set(RETRIEVAL_DIR / "bundled.yaml")
    facts = load_bundled_facts()
    assert [q.id for q in facts.questions] == [q.id for q in bundled.questions]
    sections: dict[str, str] = {}
    for md in sorted((ROOT / "knowledge").rglob("*.md")):
        doc = parse_file(md, {})
        sections.update({f"{doc.meta.doc_id}#{s.section}": s.text for s in doc.sections})
    answers = {q.id: q.answers for q in bundled.questions}
    missing = [
        (q.id, fact)
        for q in facts.questions
        for fact in q.facts
        if not any(fact_found(fact, sections[label]) for label in answers[q.id])
    ]
    assert missing == []


def test_irs_answer_facts_are_on_the_pages_they_cite() -> None:
    from assistant.retrieval.indexing.parsers import parse_file

    pages: dict[str, str] = {}
    for pub, count in PUBLICATION_PAGES.items():
        doc = parse_file(shared_data(f"documents/irs/{pub}_2025.pdf"), {"plan_id": "irs-pubs"})
        assert len(doc.sections) == count
        pages.update({f"{pub}#{s.section}": s.text for s in doc.sections})
    missing = [
        (q.id, fact)
        for q in load_irs().questions
        for fact in q.facts
        if not any(fact_found(fact, pages[page]) for page in q.pages)
    ]
    assert missing == []


def test_every_irs_and_bundled_alternative_is_text_the_index_holds() -> None:
    """An alternative that no indexed sentence contains can never be found: it is a typo or stale (the
    knowledge was reworded). FiQA's labels were written before the knowledge and keep other wordings."""
    from assistant.retrieval.indexing.parsers import parse_file

    texts = [s.text for md in sorted((ROOT / "knowledge").rglob("*.md")) for s in parse_file(md, {}).sections]
    for pdf in sorted((ROOT / "knowledge/irs/publications").glob("*.pdf")):
        texts += [s.text for s in parse_file(pdf, {"plan_id": "irs-pubs"}).sections]
    indexed = normalise(" \n ".join(texts))
    alternatives = [
        (q.id, a) for q in [*load_irs().questions, *load_bundled_facts().questions] for f in q.facts for a in f
    ]
    assert len(alternatives) > 700
    assert [(key, a) for key, a in alternatives if normalise(a) not in indexed] == []


@pytest.mark.parametrize(
    ("fact", "text", "found"),
    [
        (["aren't taxed until"], "amounts in your IRA aren\u2019t taxed until distributed", True),
        (["$24,500"], "The limit is\n   $24,500 for 2026.", True),
        (["roth iras never did"], "Roth IRAs never did.", True),
        (["ten years", "10 years"], "repay within 10 years", True),
        (["$50,000"], "FICA wages above $150,000", False),  # a figure inside a larger one
        (["10-year"], "repay within 10 years", False),
        (["1951\u20131959"], "born 1951-1959", True),
    ],
)
def test_fact_found_matches_alternatives_after_normalising(fact: list[str], text: str, found: bool) -> None:
    assert fact_found(fact, text) is found


def _fiqa_file(tmp_path: Path, *questions: dict[str, Any]) -> Path:
    rows = [{"split": split_for(q["qid"]), "topic": "a topic", **q} for q in questions]
    path = tmp_path / "fiqa.yaml"
    path.write_text(yaml.safe_dump({"set": "t", "source": "x.json", "questions": rows}))
    return path


def _irs_file(tmp_path: Path, question: dict[str, Any]) -> Path:
    row = {"q": "a question", "split": split_for(question["id"]), **question}
    path = tmp_path / "irs.yaml"
    path.write_text(yaml.safe_dump({"set": "t", "questions": [row]}))
    return path


ANSWER = {"expect": "answer", "facts": [["$7,500"]]}


@pytest.mark.parametrize(
    ("questions", "message"),
    [
        ([{"qid": "1", "expect": "answer"}], "needs at least one fact"),
        ([{"qid": "1", "expect": "advice", "facts": [["$7,500"]]}], "takes no facts"),
        ([{"qid": "1", "expect": "answer", "facts": [["ab"]]}], "at least 3 characters"),
        ([{"qid": "1", "expect": "answer", "facts": [["   "]]}], "at least 3 characters"),
        ([{"qid": "1", "expect": "answer", "facts": [[]]}], "at least 1 item"),
        ([{"qid": "1", "split": "dev", **ANSWER}], "the fixed rule gives 'test'"),
        ([{"qid": "1", "parts": [ANSWER, ANSWER], **ANSWER}], "not both or neither"),
        ([{"qid": "1", "parts": [ANSWER]}], "at least 2 items"),
        ([{"qid": "1", "parts": [ANSWER, {"expect": "advice", "facts": [["$7,500"]]}]}], "takes no facts"),
        ([{"qid": "1", "verdict": "ok", **ANSWER}], "Extra inputs are not permitted"),
        ([{"qid": "1", "topic": "one two three four five six seven eight nine", **ANSWER}], "longer than 8 words"),
        ([{"qid": "1", **ANSWER}, {"qid": "1", **ANSWER}], "labelled twice"),
    ],
)
def test_bad_fiqa_labels_are_refused_naming_the_question(
    tmp_path: Path, questions: list[dict[str, Any]], message: str
) -> None:
    with pytest.raises(SuiteError, match="question '1'") as e:
        load_fiqa(_fiqa_file(tmp_path, *questions))
    assert message in str(e.value)


def test_a_good_fiqa_label_loads_and_a_single_question_is_one_unit(tmp_path: Path) -> None:
    loaded = load_fiqa(_fiqa_file(tmp_path, {"qid": "1", **ANSWER}, {"qid": "2", "expect": "ask_plan"}))
    assert [[u.expect for u in q.units] for q in loaded.questions] == [["answer"], ["ask_plan"]]


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ({"id": "a-b", **ANSWER, "pages": ["p590c#p3"]}, "should match pattern"),
        ({"id": "a-b", **ANSWER, "pages": ["p590a#p0"]}, "should match pattern"),
        ({"id": "a-b", **ANSWER, "pages": ["p590a#p63"]}, "past the end of p590a"),
        ({"id": "a-b", **ANSWER}, "cites the page"),
        ({"id": "a-b", "expect": "no_answer", "pages": ["p590b#p2"]}, "cites the page"),
        ({"id": "A_b", **ANSWER, "pages": ["p590a#p2"]}, "should match pattern"),
    ],
)
def test_bad_irs_labels_are_refused(tmp_path: Path, question: dict[str, Any], message: str) -> None:
    with pytest.raises(SuiteError, match=message):
        load_irs(_irs_file(tmp_path, question))


def test_last_pages_of_each_publication_are_citable(tmp_path: Path) -> None:
    loaded = load_irs(_irs_file(tmp_path, {"id": "a-b", **ANSWER, "pages": ["p590a#p62", "p590b#p71"]}))
    assert loaded.questions[0].pages == ["p590a#p62", "p590b#p71"]


def test_bundled_facts_need_a_fact(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_text(yaml.safe_dump({"set": "t", "questions": [{"id": "q1", "facts": []}]}))
    with pytest.raises(SuiteError, match="question 'q1', field 'facts'"):
        load_bundled_facts(path)
