"""Suite loading: the spec's format, and invalid suites named by file, case and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.errors import SuiteError
from evals.loader import load_suite, load_suites
from tests.conftest import ROOT

FIXTURES = Path(__file__).parent / "fixtures"
SHIPPED = ROOT / "evals" / "suites"


def test_spec_example_loads_with_plain_and_rich_turns() -> None:
    s = load_suite(FIXTURES / "spec-example.yaml")
    assert s.suite == "plan-facts-acme" and s.threshold("plan-facts") == 0.95 and s.threshold("conversation") == 1.0
    follow = s.cases[1]
    assert [t.user for t in follow.turns] == ["What's the loan fee?", "And how many loans can I have?"]
    exp = follow.expectations()
    assert exp[0] is None and exp[1] is not None and exp[1].contains_all == [["two", "2"]]


def test_case_expect_merges_with_last_turn_expect(tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_text(
        "suite: s\ncases:\n  - id: c\n    policy: p\n    turns:\n      - user: hi\n        expect: {contains_all: [a]}\n"
        "    expect: {action: answer, contains_all: [b]}\n"
    )
    [e] = load_suite(f).cases[0].expectations()
    assert e is not None and e.action == "answer" and sorted(e.contains_all) == ["a", "b"]


def test_every_shipped_suite_loads() -> None:
    suites = load_suites([SHIPPED])
    assert len(suites) >= 10
    assert sum(len(s.cases) for _, s in suites) >= 80


@pytest.mark.parametrize(
    "body,needles",
    [
        (
            "suite: s\ncases:\n  - id: c1\n    policy: p\n    turns: [hi]\n    expect: {contains_al: [x]}\n",
            ["case 'c1'", "expect.contains_al", "allowed here: action, contains_all"],
        ),
        (
            "suite: s\ncases:\n  - id: c1\n    policy: p\n    turns: [hi]\n    expect: {action: answr}\n",
            ["case 'c1'", "expect.action", "'answer'", "'escalate'"],
        ),
        ("suite: s\ncases:\n  - id: c1\n    policy: p\n    turns: [hi]\n", ["case 'c1'", "needs an 'expect'"]),
        (
            "suite: s\ncases:\n  - id: c1\n    policy: p\n    turns: []\n    expect: {action: answer}\n",
            ["case 'c1'", "turns"],
        ),
        (
            "suite: s\nthresholds: {p: 1.5}\ncases:\n  - id: c1\n    policy: p\n    turns: [hi]\n    expect: {action: answer}\n",
            ["thresholds", "between 0 and 1"],
        ),
        (
            "suite: s\ncases:\n  - {id: a, policy: p, turns: [hi], expect: {action: answer}}\n"
            "  - {id: a, policy: p, turns: [hi], expect: {action: answer}}\n",
            ["appears more than once"],
        ),
        (
            "suite: s\ncases:\n  - id: c1\n    policy: p\n    turns:\n      - {user: hi, expcet: {}}\n    expect: {action: answer}\n",
            ["case 'c1'", "turns.0.expcet", "allowed here: user, expect"],
        ),
        (
            "suite: s\nsuit_typo: 1\ncases: [{id: a, policy: p, turns: [hi], expect: {action: answer}}]\n",
            ["suit_typo", "allowed here: suite"],
        ),
        ("cases: [unclosed\n", ["not valid YAML"]),
        ("- just\n- a list\n", ["must be a mapping"]),
    ],
)
def test_invalid_suites_name_file_case_field_and_what_is_allowed(tmp_path: Path, body: str, needles: list[str]) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text(body)
    with pytest.raises(SuiteError) as e:
        load_suite(f)
    message = str(e.value)
    assert str(f) in message
    for needle in needles:
        assert needle in message, message


def test_duplicate_suite_ids_and_missing_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "suite: same\ncases: [{id: a, policy: p, turns: [hi], expect: {action: answer}}]\n"
    )
    (tmp_path / "b.yaml").write_text(
        "suite: same\ncases: [{id: a, policy: p, turns: [hi], expect: {action: answer}}]\n"
    )
    with pytest.raises(SuiteError, match="already used"):
        load_suites([tmp_path])
    with pytest.raises(SuiteError, match="no such suite"):
        load_suites([tmp_path / "missing.yaml"])
