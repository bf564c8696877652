"""The catalog, contact policy and feeds are validated at load: each bad input names the file,
the entry or line, the field and what to do; good rows still load; loading is idempotent."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from assistant.nudges.catalog import load_catalog
from assistant.nudges.errors import FeedError, NudgeConfigError
from assistant.nudges.events import load_events_config
from assistant.nudges.feeds import parse_hr_feed, parse_preferences
from assistant.nudges.policy import load_policy
from assistant.nudges.store import NudgeStore
from assistant.storage import open_database
from tests.nudges.conftest import NUDGES_DIR

SHIPPED = yaml.safe_load((NUDGES_DIR / "catalog.yaml").read_text())
IDS = {"A-1001", "A-1002", "C-2003"}


def test_shipped_catalog_is_valid_and_versioned() -> None:
    cat = load_catalog(NUDGES_DIR / "catalog.yaml", {"acme-401k", "cedar-403b"})
    assert len(cat.nudges) >= 18 and len(cat.sha256) == 64
    for n in cat.nudges:
        assert n.approval.approved_by.startswith("compliance:") and n.version >= 1


def _with(change) -> dict:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(yaml.safe_dump(SHIPPED))
    change(data["nudges"][0], data)
    return data


BAD = [
    (
        "unknown-event",
        lambda n, d: n["trigger"].update(event="hr.wedding"),
        "field 'trigger.event': unknown event 'hr.wedding'",
    ),
    ("unknown-exclusion", lambda n, d: n.update(exclusions=["rich"]), "field 'exclusions': unknown exclusion 'rich'"),
    ("unknown-source", lambda n, d: n.update(figures=["horoscope"]), "unknown figure source 'horoscope'"),
    (
        "unknown-placeholder",
        lambda n, d: n.update(template=n["template"] + " {first_name}"),
        "placeholder '{first_name}'",
    ),
    ("placeholder-source-missing", lambda n, d: n.update(figures=["plan"]), "placeholder '{deferral_pct}'"),
    ("no-education-disclosure", lambda n, d: n.update(disclosures=[]), "'education_only' disclosure"),
    (
        "unknown-disclosure",
        lambda n, d: n.update(disclosures=["education_only", "fine_print"]),
        "unknown disclosure 'fine_print'",
    ),
    (
        "you-should",
        lambda n, d: n.update(template=n["template"] + " You should raise it."),
        "'You should' is directive",
    ),
    ("sms-without-text", lambda n, d: n.pop("sms_template"), "field 'sms_template'"),
    (
        "approval-expired-before-given",
        lambda n, d: n["approval"].update(expires_on="2026-01-01"),
        "field 'approval.expires_on'",
    ),
    ("duplicate-id", lambda n, d: d["nudges"][1].update(id=n["id"]), "this id is used twice"),
    ("extra-field", lambda n, d: n.update(colour="red"), "field 'colour': Extra inputs are not permitted"),
    ("bad-priority", lambda n, d: n.update(priority=0), "field 'priority'"),
    ("bad-channel", lambda n, d: n.update(channels=["fax"]), "field 'channels.0'"),
    (
        "market-says-sell",
        lambda n, d: d["nudges"][-1].update(template=d["nudges"][-1]["template"] + " Consider selling."),
        "may not say 'sell'",
    ),
    (
        "market-without-risk-disclosure",
        lambda n, d: d["nudges"][-1].update(disclosures=["education_only"]),
        "'market_risk' disclosure",
    ),
]


@pytest.mark.parametrize(("change", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_catalog_entry(tmp_path: Path, change, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump(_with(change)))
    with pytest.raises(NudgeConfigError) as e:
        load_catalog(path)
    text = str(e.value)
    assert str(path) in text and message in text, text
    assert "nudge '" in text or "market" in message


def test_bad_policy_and_events_files(tmp_path: Path) -> None:
    policy = yaml.safe_load((NUDGES_DIR / "policy.yaml").read_text())
    policy["holdout"]["share"] = 0.9
    (tmp_path / "policy.yaml").write_text(yaml.safe_dump(policy))
    with pytest.raises(NudgeConfigError, match=r"field 'holdout.share'"):
        load_policy(tmp_path / "policy.yaml")
    (tmp_path / "events.yaml").write_text(
        "market_events: []\nplan_deadlines:\n  - {id: x-deadline, date: 2026-12-01, plans: [nope-401k], description: a deadline}\n"
    )
    with pytest.raises(NudgeConfigError, match=r"plan_deadlines.0.plans.*unknown plan 'nope-401k'"):
        load_events_config(tmp_path / "events.yaml", {"acme-401k"})


def test_hr_feed_rejects_bad_rows_by_line_and_loads_the_rest(tmp_path: Path) -> None:
    feed = tmp_path / "feed.csv"
    feed.write_text(
        "participant_id,event,effective_date\n"
        "A-1001,marriage,2026-11-01\n"  # line 2 ok
        "A-1002,wedding,2026-11-01\n"  # line 3 unknown event
        "A-1002,birth,2026-13-01\n"  # line 4 bad date
        "Z-9999,birth,2026-11-01\n"  # line 5 unknown participant
        "A-1002,birth,2026-12-30\n"  # line 6 future
        "A-1002,birth,2026-11-02,extra\n"  # line 7 too many cells
        "C-2003,divorce,2026-10-30\n"  # line 8 ok
    )
    good, bad = parse_hr_feed(feed, IDS, dt.date(2026, 11, 23))
    assert [(r.participant_id, r.event) for r in good] == [("A-1001", "marriage"), ("C-2003", "divorce")]
    lines = dict(bad)
    assert sorted(lines) == [3, 4, 5, 6, 7]
    assert "field 'event'" in lines[3] and "'marriage'" in lines[3]
    assert "field 'effective_date'" in lines[4]
    assert "not in the roster" in lines[5] and "in the future" in lines[6] and "too many cells" in lines[7]
    store = NudgeStore(open_database(tmp_path / "n.db"))
    first = store.add_feed_events(good)
    again = store.add_feed_events(good)
    assert (first.added, again.added, again.unchanged) == (2, 0, 2)
    assert len(store.feed_events()["A-1001"]) == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("participant_id,event\nA-1001,marriage\n", "lacks column(s) effective_date"),
        (None, "cannot be read"),
    ],
)
def test_unreadable_feed(tmp_path: Path, text: str | None, message: str) -> None:
    feed = tmp_path / "feed.csv"
    if text is not None:
        feed.write_text(text)
    with pytest.raises(FeedError, match=re.escape(message)):
        parse_hr_feed(feed, IDS)
    with pytest.raises(FeedError, match=r"must be a \.csv"):
        parse_hr_feed(tmp_path / "feed.xlsx", IDS)


def test_preferences_feed(tmp_path: Path) -> None:
    prefs = tmp_path / "prefs.csv"
    prefs.write_text(
        "participant_id,channel,status,effective_date\n"
        "A-1001,sms,consented,2026-01-01\n"
        "A-1002,pigeon,opted_out,2026-01-01\n"
        "C-2003,all,unsubscribed,2026-01-01\n"
    )
    good, bad = parse_preferences(prefs, IDS)
    assert [r.channel for r in good] == ["sms"]
    assert [line for line, _ in bad] == [3, 4] and "field 'channel'" in bad[0][1] and "field 'status'" in bad[1][1]
    store = NudgeStore(open_database(tmp_path / "n.db"))
    assert store.add_preferences(good).added == 1 and store.add_preferences(good).unchanged == 1
