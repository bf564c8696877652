"""The supervision summary for a period: volumes, the samples with how they were drawn, findings
by category, open items and the versions in force, all from the audit trail."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from assistant.supervision.policy import SupervisionPolicy
from assistant.supervision.reviews import ReviewDesk
from assistant.supervision.summary import summarise, write_summary
from guardrails.audit import AuditLog
from tests.supervision.conftest import turn_record


def test_summary_of_a_reviewed_period(tmp_path: Path, run_beacon) -> None:  # type: ignore[no-untyped-def]
    audit = AuditLog(tmp_path / "data" / "audit.db")
    v = {"policy_version": "a" * 64, "index_version": "idx1", "backend": "offline", "prompt": None}
    for day in ("2026-11-20", "2026-11-21"):
        for _ in range(30):
            audit.append(turn_record(day=day, **v))
        audit.append(turn_record(day=day, action="escalate", reason="crisis", **v))
        audit.append(turn_record(day=day, channel="copilot", intent="rollover", **v | {"index_version": "idx2"}))
    audit.append(turn_record(day="2026-11-25", **v))  # outside the period
    desk = ReviewDesk(audit, SupervisionPolicy(rate=0.1, min_per_channel=1, categories=["advice", "tone"]), "a" * 64)
    first = desk.draw_day(dt.date(2026, 11, 20), "test", seed=1)
    desk.draw_day(dt.date(2026, 11, 21), "test", seed=2)
    items = [i["turn_id"] for i in first["items"]]
    desk.decide(items[0], "issue", "rita", str, category="advice", note="told them which fund")
    desk.decide(items[1], "ok", "rita", str)
    desk.decide(items[2], "needs-policy-change", "rita", str, note="rule too strict")

    s = summarise(desk, dt.date(2026, 11, 20), dt.date(2026, 11, 22))
    assert s["volumes"]["turns"] == 64
    assert s["volumes"]["turns_by_channel"] == {"participant": 62, "copilot": 2}
    assert s["volumes"]["turns_by_action"] == {"answer": 62, "escalate": 2}
    assert [x["seed"] for x in s["samples"]] == [1, 2] and s["days_without_sample"] == ["2026-11-22"]
    assert s["sample_by_reason"]["escalated"] == 2
    assert s["sample_size"] == sum(x["always"] + x["sampled"] for x in s["samples"])
    assert s["reviewed"] == 3 and s["findings_by_verdict"] == {"issue": 1, "ok": 1, "needs-policy-change": 1}
    assert s["findings_by_category"] == {"advice": 1}
    assert {i["verdict"] for i in s["issues"]} == {"issue", "needs-policy-change"}
    assert len(s["open_items"]) == s["sample_size"] - 3
    assert s["versions_in_force"]["index"] == {"idx1": 62, "idx2": 2}
    assert s["audit_chain"]["ok"]

    written = write_summary(s, tmp_path / "out")
    page = written[0].read_text()
    assert "told them which fund" in page and "Days without a sample: 2026-11-22" in page and "idx2" in page
    assert json.loads(written[1].read_text())["sample_size"] == s["sample_size"]
    code, out, err = run_beacon(tmp_path / "data", "report", "supervision", "--from", "2026-11-20", "--to",
                                "2026-11-22", "--report-dir", str(tmp_path / "cli"))  # fmt: skip
    assert code == 0, err
    assert "64 turns" in out and "3 reviewed" in out and (tmp_path / "cli" / "supervision.html").exists()
