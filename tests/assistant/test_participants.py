"""Roster loading: bad rows rejected with line numbers, the rest loaded, idempotent upserts."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import NotFoundError, RosterError
from assistant.records.participants import ParticipantStore, parse_roster
from assistant.storage import open_database

ROOT = Path(__file__).resolve().parents[2]
PLANS = {"acme-401k", "cedar-403b"}
HEADER = "participant_id,plan_id,first_name,birth_date,annual_salary,deferral_pct,life_events\n"


def test_demo_roster_covers_both_plans_and_decision_moments() -> None:
    good, bad = parse_roster(ROOT / "knowledge/participants/demo-roster.csv", PLANS)
    assert bad == []
    assert len(good) >= 12
    assert {p.plan_id for p in good} == PLANS
    assert all(p.decision_moment for p in good)
    moments = " ".join(p.decision_moment or "" for p in good)
    for needed in [
        "automatic enrollment",
        "below the full match",
        "turning 50",
        "60-63",
        "loan",
        "hardship",
        "changing jobs",
        "married",
        "new child",
        "not yet vested",
        "RMD",
    ]:
        assert needed in moments, needed


def test_csv_bad_rows_are_rejected_with_line_numbers(tmp_path: Path) -> None:
    f = tmp_path / "roster.csv"
    f.write_text(
        HEADER
        + "A-0001,acme-401k,Ann,1980-01-01,50000,5,\n"  # line 2 ok
        + "A-0002,acme-401k,Bob,1980-13-01,50000,5,\n"  # line 3 bad date
        + "A-0003,nowhere-plan,Cy,1980-01-01,50000,5,\n"  # line 4 unknown plan
        + "A-0001,acme-401k,Ann,1980-01-01,50000,5,\n"  # line 5 duplicate
        + "bad id,acme-401k,Di,1980-01-01,50000,5,\n"  # line 6 bad id
        + "A-0007,cedar-403b,Ed,1980-01-01,-5,5,\n"  # line 7 negative salary
        + "A-0008,cedar-403b,Flo,1980-01-01,50000,5,marriage:2026-02-30\n"  # line 8 bad event date
        + "A-0009,cedar-403b,Gus,1980-01-01,50000,5,,extra\n"  # line 9 too many cells
        + "A-0010,cedar-403b,Hal,1970-05-05,90000,7,birth:2026-03-01\n"  # line 10 ok
    )
    good, bad = parse_roster(f, PLANS)
    assert [p.participant_id for p in good] == ["A-0001", "A-0010"]
    lines = dict(bad)
    assert sorted(lines) == [3, 4, 5, 6, 7, 8, 9]
    assert "birth_date" in lines[3]
    assert "unknown plan 'nowhere-plan'" in lines[4]
    assert "appears twice" in lines[5]
    assert "participant_id" in lines[6]
    assert "annual_salary" in lines[7]
    assert "life_events" in lines[8]
    assert good[1].life_events[0].type == "birth"


def test_jsonl_rows(tmp_path: Path) -> None:
    f = tmp_path / "roster.jsonl"
    f.write_text(
        '{"participant_id": "C-0001", "plan_id": "cedar-403b", "first_name": "Ivy", "deferral_pct": 4}\n'
        "{not json}\n"
        "\n"
        '["a list"]\n'
        '{"participant_id": "C-0002", "plan_id": "cedar-403b", "first_name": "Jo", "deferral_pct": 4, "roth_pct": 9}\n'
    )
    good, bad = parse_roster(f, PLANS)
    assert [p.participant_id for p in good] == ["C-0001"]
    assert [line for line, _ in bad] == [2, 4, 5]
    assert "roth_pct" in dict(bad)[5]


@pytest.mark.parametrize("name,content", [("roster.xlsx", "x"), ("roster.csv", b"\xff\xfe\x00bin")])
def test_unreadable_roster_files_raise_with_path(tmp_path: Path, name: str, content: object) -> None:
    f = tmp_path / name
    f.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(RosterError, match=name):
        parse_roster(f, PLANS)


def test_upsert_is_idempotent_and_reports_changes(tmp_path: Path) -> None:
    store = ParticipantStore(open_database(tmp_path / "db.sqlite"))
    good, _ = parse_roster(ROOT / "knowledge/participants/demo-roster.csv", PLANS)
    first = store.upsert(good)
    again = store.upsert(good)
    changed = store.upsert([good[0].model_copy(update={"deferral_pct": 9.0})])
    assert (first.added, first.updated, first.unchanged) == (len(good), 0, 0)
    assert (again.added, again.updated, again.unchanged) == (0, 0, len(good))
    assert (changed.added, changed.updated) == (0, 1)
    assert store.get(good[0].participant_id).deferral_pct == 9.0
    with pytest.raises(NotFoundError, match="Z-9999"):
        store.get("Z-9999")
