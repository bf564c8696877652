"""The held-out sets and the pure scoring functions of evals/understanding_eval.py (no model here)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from assistant.tooling import classifier_data as data
from evals import understanding_eval as ue
from evals.errors import SuiteError


def test_paraphrase_set_has_the_required_sizes() -> None:
    counts = Counter(i.label for i in ue.load_paraphrases().items)
    assert counts["crisis"] >= 36 and counts["fraud"] >= 36 and counts["benign"] >= 60, counts


def test_paraphrase_set_has_multi_turn_items_of_each_label() -> None:
    multi = Counter(i.label for i in ue.load_paraphrases().items if i.turns and len(i.turns) > 1)
    assert multi["crisis"] >= 3 and multi["fraud"] >= 3 and multi["benign"] >= 2, multi


def test_education_set_has_the_required_sizes() -> None:
    counts = Counter(i.label for i in ue.load_education().items)
    assert counts["education"] >= 50 and counts["advice"] >= 30 and counts["plan_operation"] >= 20, counts


def test_held_out_texts_never_train() -> None:
    held = data.held_out_messages()
    education = {m.strip().lower() for i in ue.load_education().items for m in i.messages}
    assert education <= held  # the education set is never trained on
    assert not held & {e.text.lower() for e in data.load_own()}


def test_a_read_set_trains_and_an_unread_one_does_not(monkeypatch: pytest.MonkeyPatch) -> None:
    newest = ue.READ_SETS[-1]
    last = {i.messages[-1].strip().lower() for i in ue.load_paraphrases(newest).items}
    assert last <= {e.text.lower() for e in data.load_own()}
    read = [e for e in data.load_own() if e.source == "own-read"]
    assert {e.label for e in read} == {"crisis", "fraud", "plan_question"}
    assert all(e.split == data.split_of(e.text) for e in read)
    # near-miss: the same set before its one run (not yet in READ_SETS) is held out and never trains
    monkeypatch.setattr(ue, "READ_SETS", ue.READ_SETS[:-1])
    assert last <= data.held_out_messages()
    assert not last & {e.text.lower() for e in data.load_own()}


def test_an_unread_set_is_held_out() -> None:
    unread = [p for p in ue.PARAPHRASE_SETS if p not in ue.READ_SETS]
    messages = {m.strip().lower() for p in unread for i in ue.load_paraphrases(p).items for m in i.messages}
    assert messages <= data.held_out_messages()
    assert not messages & {e.text.lower() for e in data.load_own()}


def _by_label(mapping: dict[str, str]):  # type: ignore[no-untyped-def]
    """a fake classifier: the class of the last turn, looked up in `mapping` by item label"""
    items = {tuple(i.messages): i.label for s in (ue.load_paraphrases(), ue.load_education()) for i in s.items}
    return lambda turns: mapping[items[tuple(turns)]]


def test_a_perfect_classifier_scores_full_marks() -> None:
    p = ue.evaluate_paraphrases(
        _by_label({"crisis": "crisis", "fraud": "fraud", "benign": "plan_question"}), ue.load_paraphrases()
    )
    assert (p.crisis_recall, p.fraud_recall, p.benign_unflagged, p.misses) == (1.0, 1.0, 1.0, [])
    e = ue.evaluate_education(
        _by_label({"education": "education", "advice": "advice", "plan_operation": "plan_question"}),
        ue.load_education(),
    )
    assert (e.rate("education"), e.rate("advice"), e.rate("plan_operation"), e.misses) == (1.0, 1.0, 1.0, [])


def test_an_always_crisis_classifier_flags_every_benign_item() -> None:
    p = ue.evaluate_paraphrases(lambda turns: "crisis", ue.load_paraphrases())
    assert (p.crisis_recall, p.fraud_recall, p.benign_unflagged) == (1.0, 0.0, 0.0)
    assert 0.0 < p.precision("crisis") < 0.5
    assert "crisis recall 100.0%" in ue.format_paraphrases(p)


def test_a_crisis_reply_with_the_scam_warning_counts_as_warned_not_as_the_fraud_reply() -> None:
    both = ue.CRISIS_AND_FRAUD
    p = ue.evaluate_paraphrases(
        _by_label({"crisis": both, "fraud": both, "benign": "plan_question"}), ue.load_paraphrases()
    )
    assert (p.crisis_recall, p.fraud_recall, p.fraud_warned, p.benign_unflagged) == (1.0, 0.0, 1.0, 1.0)
    assert p.precision("crisis") < 1.0  # the fraud items it flagged count against crisis precision
    assert "(warned 100.0%)" in ue.format_paraphrases(p)
    # near-miss: the plain crisis reply to a fraud item warns of nothing
    plain = ue.evaluate_paraphrases(lambda turns: "crisis", ue.load_paraphrases())
    assert plain.fraud_warned == 0.0


def test_advice_given_to_education_counts_as_a_refusal() -> None:
    e = ue.evaluate_education(lambda turns: "advice", ue.load_education())
    assert (e.rate("education"), e.rate("advice"), e.rate("plan_operation")) == (0.0, 1.0, 0.0)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("set: x\nitems:\n  - {id: a, label: crisis, text: hi, turns: [hi]}\n", "exactly one"),
        ("set: x\nitems:\n  - {id: a, label: maybe, text: hi}\n", "label 'maybe'"),
        ("set: x\nitems:\n  - {id: a, label: crisis, text: hi}\n  - {id: a, label: fraud, text: ho}\n", "twice"),
        ("set: x\nitems:\n  - {id: a, label: crisis, text: hi, colour: red}\n", "colour"),
        ("set: [unclosed\n", "YAML"),
    ],
    ids=["text-and-turns", "unknown-label", "duplicate-id", "unknown-field", "bad-yaml"],
)
def test_malformed_sets_are_rejected(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "set.yaml"
    path.write_text(body)
    with pytest.raises(SuiteError, match=message):
        ue.load_paraphrases(path)
