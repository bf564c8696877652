"""Outcomes, acted detection and the uplift report: a hand-checked small case, and the HTML
report rendered in real Chromium (screenshot saved under test-artifacts/)."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest

from assistant.nudges.catalog import load_catalog
from assistant.nudges.errors import BadDateError, UnknownNudgeError
from assistant.nudges.outcomes import detect_actions, record_outcome
from assistant.nudges.report import uplift_rows, write_report
from assistant.nudges.store import NudgeStore
from assistant.storage import open_database
from tests.conftest import launch_chromium
from tests.nudges.conftest import NUDGES_DIR

DAY = dt.date(2026, 11, 23)


def _decision(store: NudgeStore, n: int, nudge: str, status: str, baseline: float = 2.0) -> str:
    did = f"n_{nudge}_{status}_{n}"
    store.insert_decision(
        {
            "decision_id": did,
            "as_of": DAY.isoformat(),
            "participant_id": f"S-{n:06d}",
            "nudge_id": nudge,
            "nudge_version": 1,
            "category": "education",
            "event_key": f"k{n}",
            "event_kind": "profile.missed_match",
            "status": status,
            "reason": "test",
            "channels": ["in_app"],
            "text_sha256": None,
            "baseline": {"deferral_pct": baseline},
            "audit_hash": None,
        }
    )
    return did


@pytest.fixture
def hand_checked(tmp_path) -> NudgeStore:  # type: ignore[no-untyped-def]
    """missed-match: 40 of 100 treated acted, 10 of 50 held out; catch-up-50: 3 of 10 vs 1 of 4."""
    store = NudgeStore(open_database(tmp_path / "nudges.db"))
    for i in range(100):
        did = _decision(store, i, "missed-match", "sent")
        if i < 40:
            store.add_outcome(did, "acted", DAY + dt.timedelta(days=5))
        if i < 80:
            store.add_outcome(did, "shown", DAY)
        if i < 30:
            store.add_outcome(did, "opened", DAY)
    for i in range(100, 150):
        did = _decision(store, i, "missed-match", "held_out")
        if i < 110:
            store.add_outcome(did, "acted", DAY + dt.timedelta(days=9))
    for i in range(200, 210):
        did = _decision(store, i, "catch-up-50", "sent")
        if i < 203:
            store.add_outcome(did, "acted", DAY)
    for i in range(300, 304):
        did = _decision(store, i, "catch-up-50", "held_out")
        if i < 301:
            store.add_outcome(did, "acted", DAY)
    return store


def test_hand_checked_uplift(hand_checked: NudgeStore) -> None:
    rows = {r.nudge_id: r for r in uplift_rows(hand_checked, load_catalog(NUDGES_DIR / "catalog.yaml"))}
    mm = rows["missed-match"]
    assert (mm.treated, mm.treated_acted, mm.control, mm.control_acted, mm.shown, mm.opened) == (
        100,
        40,
        50,
        10,
        80,
        30,
    )
    # by hand: 0.40 - 0.20 = 0.20; se = sqrt(.4*.6/100 + .2*.8/50) = sqrt(.0056) = .0748331
    # 95% CI = 0.20 ± 1.959964 * .0748331 = [0.053330, 0.346670]
    assert mm.uplift == pytest.approx(0.20)
    lo, hi = mm.ci95
    assert lo == pytest.approx(0.053330, abs=1e-6) and hi == pytest.approx(0.346670, abs=1e-6)
    assert not mm.small_sample
    cu = rows["catch-up-50"]
    assert cu.uplift == pytest.approx(0.30 - 0.25) and cu.small_sample
    se = math.sqrt(0.3 * 0.7 / 10 + 0.25 * 0.75 / 4)
    assert cu.ci95 == pytest.approx((0.05 - 1.959964 * se, 0.05 + 1.959964 * se), abs=1e-6)


def test_acted_detection_within_window_only(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from assistant.records.participants import Participant

    store = NudgeStore(open_database(tmp_path / "nudges.db"))
    catalog = load_catalog(NUDGES_DIR / "catalog.yaml")
    raised = _decision(store, 1, "missed-match", "sent")
    same = _decision(store, 2, "missed-match", "held_out")
    held_raised = _decision(store, 3, "missed-match", "held_out")

    def person(n: int, pct: float) -> Participant:
        return Participant(participant_id=f"S-{n:06d}", plan_id="acme-401k", first_name="S", deferral_pct=pct)

    people = {p.participant_id: p for p in (person(1, 4.0), person(2, 2.0), person(3, 3.0))}
    late = detect_actions(store, catalog, people, DAY + dt.timedelta(days=61))  # missed-match window is 60 days
    assert late.acted == 0
    report = detect_actions(store, catalog, people, DAY + dt.timedelta(days=30))
    assert report.acted == 2
    got = store.outcomes()
    assert "acted" in got[raised] and "acted" in got[held_raised] and same not in got
    assert detect_actions(store, catalog, people, DAY + dt.timedelta(days=31)).acted == 0  # once only


@pytest.mark.parametrize(
    ("decision", "event", "day", "error"),
    [
        ("n_missing", "opened", DAY, UnknownNudgeError),
        ("n_missed-match_sent_1", "clicked", DAY, BadDateError),
        ("n_missed-match_sent_1", "opened", DAY - dt.timedelta(days=1), BadDateError),
    ],
)
def test_record_outcome_refuses_bad_input(tmp_path, decision, event, day, error) -> None:  # type: ignore[no-untyped-def]
    store = NudgeStore(open_database(tmp_path / "nudges.db"))
    _decision(store, 1, "missed-match", "sent")
    with pytest.raises(error):
        record_outcome(store, decision, event, day)
    assert record_outcome(store, "n_missed-match_sent_1", "opened", DAY) is True
    assert record_outcome(store, "n_missed-match_sent_1", "opened", DAY) is False  # idempotent


@pytest.mark.browser
def test_report_renders_in_chromium(hand_checked: NudgeStore, tmp_path, artifacts) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    rows = uplift_rows(hand_checked, load_catalog(NUDGES_DIR / "catalog.yaml"))
    files = write_report(rows, tmp_path / "report", "Beacon nudges: hand-checked case")
    data = json.loads((tmp_path / "report" / "uplift.json").read_text())
    assert data["rows"][1]["ci95"] == [0.05333, 0.34667]
    assert (tmp_path / "report" / "uplift.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.goto((tmp_path / "report" / "report.html").as_uri())
        cells = page.locator("#uplift tbody tr").first.locator("td").all_inner_texts()
        mm = page.locator("#uplift tbody tr").nth(1).locator("td").all_inner_texts()
        assert page.locator("#chart svg").count() == 1
        page.screenshot(path=str(artifacts / "nudges-uplift-report.png"), full_page=True)
        browser.close()
    assert cells[0].startswith("catch-up-50") and cells[-1] == "too small to read"
    assert mm[1:9] == ["100", "40", "40.0%", "50", "10", "20.0%", "20.0%", "[5.3%, 34.7%]"]
    assert files[0].endswith("report.html")
