"""Nudge fixtures: one real Beacon (Presidio + spaCy guard, SQLite stores, demo roster) per
session, and a fresh nudge store, audit log and outbox per test that needs one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assistant.nudges.engine import NudgeEngine, load_config
from assistant.nudges.feeds import parse_hr_feed, parse_preferences
from assistant.nudges.store import NudgeStore
from assistant.storage import open_database
from guardrails.audit import AuditLog
from tests.conftest import ROOT, make_deps

DEMO_DATE = dt.date(2026, 11, 23)
NUDGES_DIR = ROOT / "knowledge" / "nudges"


@pytest.fixture(scope="session")
def nudge_deps(models, tmp_path_factory):  # type: ignore[no-untyped-def]
    """Beacon with the demo roster (no document index: nudges do not retrieve)."""
    return make_deps(tmp_path_factory.mktemp("nudge-data"), models, ingest=False)


def new_engine(deps, tmp: Path, config_dir: Path = NUDGES_DIR) -> NudgeEngine:  # type: ignore[no-untyped-def]
    config = load_config(config_dir, set(deps.plans))
    return NudgeEngine(
        config,
        deps.plans,
        deps.limits,
        NudgeStore(open_database(tmp / "nudges.db")),
        deps.guard,
        AuditLog(tmp / "audit.db"),
        deps.pseudonym,
        tmp / "outbox",
    )


def load_demo_feeds(deps, engine: NudgeEngine) -> None:  # type: ignore[no-untyped-def]
    ids = {p.participant_id for p in deps.participants.all()}
    rows, bad = parse_hr_feed(NUDGES_DIR / "demo-hr-feed.csv", ids)
    assert not bad
    engine.store.add_feed_events(rows)
    prefs, bad = parse_preferences(NUDGES_DIR / "demo-contact-preferences.csv", ids)
    assert not bad
    engine.store.add_preferences(prefs)
    # Aisha asked about hardship and loans twice in the last week (normally synced from the audit log)
    key = deps.pseudonym("C-2002")
    engine.store.add_intent("turn-a", key, "hardship", dt.date(2026, 11, 16))
    engine.store.add_intent("turn-b", key, "loan", dt.date(2026, 11, 20))


@pytest.fixture
def engine(nudge_deps, tmp_path):  # type: ignore[no-untyped-def]
    return new_engine(nudge_deps, tmp_path)
