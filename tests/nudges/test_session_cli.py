"""Pending cards for the chat / REST API with their actions, and `beacon nudges` on the command line."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from assistant.nudges.service import card_action, card_shown, pending_nudges
from assistant.settings import Settings
from assistant.surfaces.cli import main
from assistant.surfaces.cli import nudges as nudges_cli
from tests.nudges.conftest import DEMO_DATE, NUDGES_DIR, load_demo_feeds


def test_cards_and_actions(nudge_deps, engine) -> None:  # type: ignore[no-untyped-def]
    load_demo_feeds(nudge_deps, engine)
    engine.run(nudge_deps.participants.all(), DEMO_DATE)
    cards = pending_nudges(nudge_deps, engine, "A-1002", DEMO_DATE)
    assert [c["id"] for c in cards] == ["missed-match"] and "$1,440" in cards[0]["text"]
    assert pending_nudges(nudge_deps, engine, "C-2003", DEMO_DATE) == []  # opted out
    assert pending_nudges(nudge_deps, engine, "A-1006", DEMO_DATE) == []  # held out
    did = cards[0]["decision_id"]
    card_shown(engine, did, DEMO_DATE)
    card_action(engine, did, "remind_later", DEMO_DATE)
    assert pending_nudges(nudge_deps, engine, "A-1002", DEMO_DATE + dt.timedelta(days=2)) == []
    assert [c["decision_id"] for c in engine.store.cards("A-1002", DEMO_DATE + dt.timedelta(days=3))] == [did]
    card_action(engine, did, "dismiss", DEMO_DATE + dt.timedelta(days=3))
    assert engine.store.cards("A-1002", DEMO_DATE + dt.timedelta(days=4)) == []
    assert set(engine.store.outcomes()[did]) == {"shown", "remind_later", "dismissed"}
    assert engine.store.states()["A-1002"].dismissed == {"missed-match": DEMO_DATE + dt.timedelta(days=3)}
    with pytest.raises(ValueError, match="unknown card action"):
        card_action(engine, did, "snooze", DEMO_DATE)


def test_session_start_evaluates_in_app_only(nudge_deps, engine) -> None:  # type: ignore[no-untyped-def]
    """At session start a newly timely nudge is offered in-app, through the same policy, guard and audit."""
    cards = pending_nudges(nudge_deps, engine, "A-1003", DEMO_DATE)
    assert [c["id"] for c in cards] == ["catch-up-50"]
    assert engine.store.outbox(DEMO_DATE) == []  # no email from a chat session
    assert engine.audit.get(cards[0]["decision_id"])["channel"] == "nudge:in_app"


@pytest.fixture
def cli_deps(nudge_deps, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    deps = dataclasses.replace(nudge_deps, settings=Settings(data_dir=tmp_path / "data"))
    monkeypatch.setattr(nudges_cli, "_deps", lambda: deps)
    return deps


def test_cli_run_dry_run_and_rerun(cli_deps, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["nudges", "load-feed", str(NUDGES_DIR / "demo-hr-feed.csv")]) == 0
    assert "4 added, 0 unchanged, 0 rejected" in capsys.readouterr().out
    assert main(["nudges", "load-feed", str(NUDGES_DIR / "demo-hr-feed.csv")]) == 0
    assert "0 added, 4 unchanged" in capsys.readouterr().out
    assert main(["nudges", "load-preferences", str(NUDGES_DIR / "demo-contact-preferences.csv")]) == 0
    capsys.readouterr()
    assert main(["nudges", "run", "--as-of", "2026-11-23", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "dry run (nothing written)" in out and "C-2003   new-child" in out and "no_consent" in out
    assert main(["nudges", "run", "--as-of", "2026-11-23"]) == 0
    out = capsys.readouterr().out
    # no conversation intents here, so Aisha (C-2002) gets missed-match: 11 sent
    assert "11 nudges sent, 1 held out, 0 blocked by the guard" in out and "outbox:" in out
    assert main(["nudges", "run", "--as-of", "2026-11-23"]) == 0
    assert "0 nudges sent, 0 held out" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["nudges", "run", "--as-of", "2026-02-30"], "--as-of '2026-02-30' is not a date; use YYYY-MM-DD"),
        (["nudges", "run", "--partition", "4/4"], "--partition '4/4' must be K/N"),
        (["nudges", "outcome", "n_nope", "opened"], "There is no nudge decision 'n_nope'"),
    ],
)
def test_cli_bad_input_exits_2(cli_deps, capsys, argv, message) -> None:  # type: ignore[no-untyped-def]
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_cli_bad_feed_rows_are_reported_by_line(cli_deps, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    feed = tmp_path / "feed.csv"
    feed.write_text("participant_id,event,effective_date\nA-1001,marriage,2026-11-01\nA-1001,elopement,2026-11-01\n")
    assert main(["nudges", "load-feed", str(feed)]) == 0
    out = capsys.readouterr()
    assert "1 added, 0 unchanged, 1 rejected" in out.out and "rejected line 3: field 'event'" in out.err
