"""Run the nudge eval suites in evals/nudges/ through the real engine and output guard (dry run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.nudges.feeds import parse_hr_feed, parse_preferences
from evals.nudge_eval import check_case, load_nudge_suite
from tests.conftest import ROOT
from tests.nudges.conftest import new_engine

SUITES = sorted((ROOT / "evals" / "nudges").glob("*.yaml"))


@pytest.mark.parametrize("path", SUITES, ids=[p.stem for p in SUITES])
def test_nudge_suite(nudge_deps, tmp_path: Path, path: Path) -> None:  # type: ignore[no-untyped-def]
    suite = load_nudge_suite(path)
    engine = new_engine(nudge_deps, tmp_path)
    ids = {p.participant_id for p in nudge_deps.participants.all()}
    if suite.hr_feed:
        rows, bad = parse_hr_feed(ROOT / suite.hr_feed, ids)
        assert not bad
        engine.store.add_feed_events(rows)
    if suite.preferences:
        prefs, bad = parse_preferences(ROOT / suite.preferences, ids)
        assert not bad
        engine.store.add_preferences(prefs)
    for n, row in enumerate(suite.intents):
        engine.store.add_intent(f"eval-{n}", nudge_deps.pseudonym(row.participant), row.intent, row.date)
    report = engine.run(nudge_deps.participants.all(), suite.as_of, dry_run=True)
    failures = [f for case in suite.cases for f in check_case(case, report.items)]
    assert failures == []
    assert {c.participant for c in suite.cases} == ids  # every demo persona has a case


def test_a_wrong_expectation_fails_with_its_case(nudge_deps, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from evals.nudge_eval import NudgeCase

    engine = new_engine(nudge_deps, tmp_path)
    report = engine.run(
        [nudge_deps.participants.get("A-1003")], SUITES and load_nudge_suite(SUITES[0]).as_of, dry_run=True
    )
    case = NudgeCase(id="wrong", participant="A-1003", offered=["missed-match"], suppressed={"catch-up-50": "held_out"})
    assert check_case(case, report.items) == [
        "wrong: offered ['catch-up-50'], expected ['missed-match']",
        "wrong: 'catch-up-50' was sent, expected held_out",
    ]
