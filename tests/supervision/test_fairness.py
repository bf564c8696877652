"""The fairness report: Wilson intervals, the flag on a synthetic month where one group was
deliberately refused more often, groups only from the roster, and every figure recomputed here
independently from the raw audit rows."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from assistant.nudges.store import NudgeStore
from assistant.records.participants import ParticipantStore
from assistant.records.pseudonyms import Pseudonyms
from assistant.storage import open_database
from assistant.supervision.demo_month import write_month
from assistant.supervision.fairness import UNKNOWN, age_band, compute, wilson
from assistant.supervision.keys import roster_by_key
from guardrails.audit import AuditLog
from tests.supervision.conftest import turn_record

OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


def test_wilson_interval_matches_the_textbook_values() -> None:
    lo, hi = wilson(5, 10)
    assert round(lo, 4) == 0.2366 and round(hi, 4) == 0.7634
    lo, hi = wilson(0, 10)
    assert lo == 0.0 and round(hi, 4) == 0.2775
    assert wilson(0, 0) == (0.0, 1.0)


@pytest.fixture(scope="module")
def month(tmp_path_factory):  # type: ignore[no-untyped-def]
    data = tmp_path_factory.mktemp("fairness")
    audit = AuditLog(data / "audit.db")
    db = open_database(data / "beacon.db")
    pseudonyms = Pseudonyms(db, b"k" * 32)
    participants = ParticipantStore(db)
    written = write_month(audit, participants, pseudonyms, NudgeStore(db), dt.date(2026, 10, 1))
    # general questions (no participant): all refused, but never a group of their own to flag
    for i in range(60):
        audit.append(turn_record(day=f"2026-10-{1 + i % 28:02d}", action="refuse", reason="out_of_scope"))
    roster = roster_by_key(pseudonyms, participants)
    acted = {d: set(e) for d, e in NudgeStore(db).outcomes().items()}
    report = compute(audit.iter_records(), roster, *OCTOBER, threshold=0.10, acted=acted)
    return {"data": data, "audit": audit, "roster": roster, "report": report, "written": written}


def test_the_deliberately_treated_group_is_flagged(month) -> None:  # type: ignore[no-untyped-def]
    flags = month["report"]["flags"]
    refused_60 = next(
        f for f in flags if f["attribute"] == "age_band" and f["group"] == "60 and over" and f["measure"] == "refuse"
    )
    assert refused_60["difference"] > 0.10 and refused_60["n"] >= 20
    assert flags[0] is refused_60 or abs(flags[0]["difference"]) >= abs(refused_60["difference"])
    # nothing about the untouched measures of that group (escalations were not biased)
    assert not any(f["group"] == "60 and over" and f["measure"] in ("escalate", "nudge_sent") for f in flags)
    # records of no roster row are counted, never flagged
    assert not any(f["group"] == UNKNOWN for f in flags)
    unknown = [c for c in month["report"]["cells"] if c["group"] == UNKNOWN and c["measure"] == "refuse"]
    assert unknown and unknown[0]["k"] == unknown[0]["n"] == 60


def test_every_figure_is_reproducible_from_the_audit_rows(month) -> None:  # type: ignore[no-untyped-def]
    """Recompute each cell from the raw JSON in audit.db with plain loops (no report code)."""
    with sqlite3.connect(month["data"] / "audit.db") as db:
        rows = [json.loads(r[0]) for r in db.execute("SELECT record FROM audit_records")]
    roster, end = month["roster"], OCTOBER[1]

    def group_of(r: dict, attribute: str) -> str:
        if attribute == "channel":
            return r.get("channel") or "participant"
        p = roster.get(r.get("participant_key"))
        if p is None:
            return UNKNOWN
        return {"age_band": age_band(p.birth_date, end), "plan": p.plan_id, "employment_status": p.employment_status,
                "marital_status": p.marital_status or "(not given)", "auto_enrolled": "yes" if p.auto_enrolled else "no"}[attribute]  # fmt: skip

    hit = {
        "answer": lambda r: r.get("final_action") == "answer",
        "refuse": lambda r: r.get("final_action") == "refuse",
        "escalate": lambda r: r.get("final_action") == "escalate",
        "hand_off": lambda r: bool(r.get("handoff")) or r.get("final_reason") == "human_requested",
        "guard_block": lambda r: r.get("guard_decision") == "block",
        "nudge_sent": lambda r: r.get("decision") == "sent",
        "nudge_suppressed": lambda r: r.get("final_action") == "nudge_suppressed",
    }
    cells = month["report"]["cells"]
    assert len(cells) > 50
    for c in cells:
        kind = "nudge" if c["measure"].startswith("nudge") else "turn"
        mine = [r for r in rows if r.get("kind", "turn") == kind and "2026-10-01" <= r["started_at"][:10] <= "2026-10-31"
                and group_of(r, c["attribute"]) == c["group"]]  # fmt: skip
        assert (c["k"], c["n"]) == (sum(hit[c["measure"]](r) for r in mine), len(mine)), c
        lo, hi = wilson(c["k"], c["n"])
        assert c["ci95"] == [round(lo, 6), round(hi, 6)]
    turns = sum(1 for r in rows if r.get("kind", "turn") == "turn")
    assert month["report"]["records"]["turns"] == turns == month["written"]["turns"] + 60


def test_uplift_by_group_reads_sent_and_held_out_outcomes(month) -> None:  # type: ignore[no-untyped-def]
    rows = [u for u in month["report"]["uplift"] if u["attribute"] == "plan"]
    assert {u["group"] for u in rows} == {"acme-401k", "cedar-403b"}
    total_sent = sum(u["sent"] for u in rows)
    assert total_sent > 100 and all(u["uplift"] is not None for u in rows)
    assert sum(u["sent_acted"] for u in rows) / total_sent > sum(u["held_out_acted"] for u in rows) / sum(
        u["held_out"] for u in rows
    )


def test_the_commands_write_html_json_and_charts(tmp_path: Path, run_beacon) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    code, out, err = run_beacon(data, "report", "demo-month", "--month", "2026-10", "--people", "200")
    assert code == 0, err
    out_dir = tmp_path / "out"
    code, out, err = run_beacon(data, "report", "fairness", "--from", "2026-10-01", "--to", "2026-10-31",
                                "--report-dir", str(out_dir))  # fmt: skip
    assert code == 0, err
    assert "FLAG age_band=60 and over: refuse" in out
    html = (out_dir / "fairness.html").read_text()
    assert "60 and over" in html and "class=flag" in html and "fairness-age_band.png" in html
    assert (out_dir / "fairness-age_band.png").stat().st_size > 5000
    report = json.loads((out_dir / "fairness.json").read_text())
    assert report["period"] == {"from": "2026-10-01", "to": "2026-10-31"} and report["flags"]
    code, _, err = run_beacon(data, "report", "fairness", "--from", "2026-10-31", "--to", "2026-10-01",
                              "--report-dir", str(out_dir))  # fmt: skip
    assert code == 2 and "before --from" in err
