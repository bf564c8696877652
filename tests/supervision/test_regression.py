"""Closing the loop: a reviewed bad turn becomes a regression case in a suite file, valid under the
eval-suite contract, that fails on today's Beacon and passes once the fix lands."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from assistant.decisions.playbooks import PLAYBOOKS
from assistant.errors import BadInputError
from assistant.supervision.keys import roster_by_key
from assistant.supervision.regression import append_case, case_from_review
from assistant.supervision.reviews import open_desk
from evals.loader import load_suites
from evals.runner import run_suites

pytestmark = pytest.mark.slow
LOAN_QUESTION = "How much can I borrow from my 401(k)?"


@pytest.fixture(scope="module")
def desk(service):  # type: ignore[no-untyped-def]
    return open_desk(service.deps.settings, audit=service.deps.audit)


def participant_of(service):  # type: ignore[no-untyped-def]
    people = roster_by_key(service.deps.pseudonyms, service.deps.participants)
    return lambda key: people[key].participant_id if key in people else None


def redact(service):  # type: ignore[no-untyped-def]
    return lambda text: service.deps.guard.redact(text).text


def test_a_reviewed_bad_turn_becomes_a_case_that_fails_until_the_fix_lands(
    service, eval_turns, desk, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    turn = service.run(LOAN_QUESTION, "A-1002")
    assert turn.action == "answer" and "prime rate" not in turn.answer.lower()  # the flaw the reviewer finds
    desk.decide(
        turn.turn_id,
        "issue",
        "rita",
        redact(service),
        category="missing_disclosure",
        note="A loan answer must say what the loan costs in interest (SPD 7.3).",
        expected_action="answer",
        must_contain=["prime rate"],
        must_not_contain=["you should"],
    )
    suite_file = tmp_path / "regressions.yaml"
    case = case_from_review(desk, turn.turn_id, participant_of(service))
    assert case["participant"] == "A-1002" and case["plan"] == "acme-401k" and case["turns"] == [LOAN_QUESTION]
    assert case["expect"] == {
        "action": "answer",
        "contains_all": ["prime rate"],
        "not_contains": ["you should"],
        "pii_absent": True,
    }
    append_case(suite_file, case)
    suites = load_suites([suite_file])  # valid under the suite contract
    (outcome,) = run_suites(eval_turns, suites, workers=1)
    assert not outcome.passed and outcome.failures == ["answer lacks 'prime rate'"]

    # the fix lands: the loan playbook now says how interest is charged; the same case passes
    original = PLAYBOOKS["loan"]

    def fixed(kit, ctx):  # type: ignore[no-untyped-def]
        draft = original(kit, ctx)
        return dataclasses.replace(
            draft,
            text=draft.text
            + "\n\nInterest is charged at the prime rate plus a margin and goes back into your account.",
        )

    monkeypatch.setitem(PLAYBOOKS, "loan", fixed)
    (outcome,) = run_suites(eval_turns, load_suites([suite_file]), workers=1)
    assert outcome.passed, outcome.failures


def test_the_conversation_is_replayed_and_the_file_keeps_what_was_written(
    service, desk, tmp_path: Path, run_beacon
) -> None:  # type: ignore[no-untyped-def]
    first = service.run("What's the loan fee?", "A-1002")
    second = service.run("And how many loans can I have?", "A-1002", thread_id=first.thread_id)
    desk.decide(
        second.turn_id,
        "issue",
        "rita",
        redact(service),
        category="inaccurate",
        note="Follow-up must name the limit in words",
        must_contain=["two"],
    )
    suite_file = tmp_path / "mine.yaml"
    suite_file.write_text(
        "# my hand-written suite\nsuite: mine\ncases:\n  - id: hand-written\n    policy: plan-facts\n"
        '    turns: ["What\'s the loan fee?"]\n    expect: {action: answer}\n'
    )
    code, out, err = run_beacon(
        service.deps.settings.data_dir, "review", "regress", second.turn_id, "--suite", str(suite_file)
    )
    assert code == 0 and "appended to" in out, err
    text = suite_file.read_text()
    assert text.startswith("# my hand-written suite")  # appended, not rewritten
    raw = yaml.safe_load(text)
    assert [c["id"] for c in raw["cases"]] == ["hand-written", f"review-{second.turn_id[:16]}"]
    assert raw["cases"][1]["turns"] == ["What's the loan fee?", "And how many loans can I have?"]
    load_suites([suite_file])
    # the same turn twice is refused, and the file is unchanged
    code, _, err = run_beacon(
        service.deps.settings.data_dir, "review", "regress", second.turn_id, "--suite", str(suite_file)
    )
    assert code == 2 and "already has a case" in err and suite_file.read_text() == text


def test_only_an_issue_with_something_checkable_becomes_a_case(service, desk) -> None:  # type: ignore[no-untyped-def]
    turn = service.run("Am I vested?", "A-1002")
    with pytest.raises(BadInputError, match="no 'issue' verdict"):
        case_from_review(desk, turn.turn_id, participant_of(service))
    desk.decide(turn.turn_id, "ok", "rita", redact(service))
    with pytest.raises(BadInputError, match="latest: ok"):
        case_from_review(desk, turn.turn_id, participant_of(service))
    desk.decide(turn.turn_id, "issue", "rita", redact(service), category="tone", note="curt")
    with pytest.raises(BadInputError, match="nothing a test can check"):
        case_from_review(desk, turn.turn_id, participant_of(service))
