"""The demo roster on 2026-11-23, end to end with the real guard, audit log and SQLite: exactly
the expected nudges with their reasons; a second run sends nothing; opted-out and held-out
participants receive nothing; every decision has an audit record; a guard error blocks."""

from __future__ import annotations

import dataclasses
import email
import json
import re
import threading

from assistant.nudges.engine import NudgeEngine
from guardrails.engine import Guard
from tests.nudges.conftest import DEMO_DATE, load_demo_feeds, new_engine

SENT = {
    ("A-1001", "missed-match"),
    ("A-1002", "missed-match"),
    ("A-1003", "catch-up-50"),
    ("A-1004", "super-catch-up-60-63"),
    ("A-1005", "address-change-check"),
    ("A-1007", "marriage-beneficiary"),
    ("A-1008", "rmd-approaching"),
    ("A-1009", "age-55-separation"),
    ("C-2001", "salary-change"),
    ("C-2002", "loan-hardship-education"),
    ("C-2005", "missed-match"),
}
NOT_SENT = {
    ("A-1001", "auto-escalation-upcoming"): ("arbitration", "'missed-match' (priority 70) goes first"),
    ("A-1006", "leaving-employer"): ("held_out", "in the hold-out group"),
    ("C-2002", "missed-match"): ("arbitration", "'loan-hardship-education' (priority 80) goes first"),
    ("C-2003", "new-child"): ("no_consent", "opted out of all channels on 2026-08-20"),
    ("C-2004", "super-catch-up-60-63"): ("unsuitable", "the plan offers no Roth"),
}
TEXT_FACTS = {
    "A-1002": ["2% of pay", "$1,440 a year", "5% of pay", "$2,880", "$55.38 per paycheck"],
    "A-1003": ["age 50 in 2026", "up to $8,000", "$24,500 limit", "$32,500 in all"],
    "A-1004": ["ages 60 through 63", "age 61 by December 31, 2026", "catch-up limit is $11,250", "$35,750 in all"],
    "A-1008": ["RMD) age of 73 in 2027", "due by April 1, 2028"],
    "A-1009": ["age 55", "10% additional tax", "age 59 and a half"],
    "C-2002": ["$100 fee", "borrow today is $10,300", "1-800-555-0187"],
    "C-2005": ["5% of pay", "$1,725 a year", "6% of pay", "$345 more"],
}


def test_demo_roster_exact_nudges_and_second_run(nudge_deps, engine: NudgeEngine) -> None:
    load_demo_feeds(nudge_deps, engine)
    people = nudge_deps.participants.all()
    report = engine.run(people, DEMO_DATE)

    assert {(i.participant_id, i.nudge_id) for i in report.sent()} == SENT
    others = {(i.participant_id, i.nudge_id): (i.status, i.reason) for i in report.items if i.status != "sent"}
    assert set(others) == set(NOT_SENT)
    for key, (status, reason) in NOT_SENT.items():
        assert others[key][0] == status, key
        assert reason in others[key][1], (key, others[key][1])
    by_person = {i.participant_id: i for i in report.sent()}
    for pid, facts in TEXT_FACTS.items():
        for fact in facts:
            assert fact in by_person[pid].text, (pid, fact, by_person[pid].text)
    assert by_person["A-1007"].reason == "hr.marriage on 2026-09-12 (hr_feed); priority 75; channels in_app, email"
    assert by_person["A-1002"].channels == ["in_app", "email", "sms"]  # SMS consent on file
    assert by_person["C-2002"].channels == ["in_app"]  # email opt-out; the nudge is in-app only anyway
    for i in report.sent():
        assert "you should" not in i.text.lower()
        assert "education about your plan" in i.text or i.nudge_id == "address-change-check"

    # opted-out (Tom) and held-out (Marcus) receive nothing on any channel
    assert not engine.store.cards("C-2003", DEMO_DATE) and not engine.store.cards("A-1006", DEMO_DATE)
    outbox = engine.store.outbox(DEMO_DATE)
    keys = {r["participant_key"] for r in outbox}
    assert nudge_deps.pseudonym("C-2003") not in keys and nudge_deps.pseudonym("A-1006") not in keys

    # every decision has one audit record with its rationale; the chain verifies
    for i in report.items:
        record = engine.audit.get(i.decision_id)
        assert record is not None and record["kind"] == "nudge"
        assert record["rationale"] == i.reason and record["decision"] == i.status
        assert record["participant_key"] == nudge_deps.pseudonym(i.participant_id)
        assert i.participant_id not in json.dumps(record)
    assert engine.audit.get(by_person["A-1002"].decision_id)["guard_decision"] == "allow"
    assert engine.audit.verify().ok
    audit_count = engine.audit.count()

    # a second run on the same date produces nothing new: no sends, no records, same outbox
    again = engine.run(people, DEMO_DATE)
    assert [i for i in again.items if i.new] == []
    assert engine.audit.count() == audit_count
    assert engine.store.outbox(DEMO_DATE) == outbox


def test_outbox_files_hold_no_personal_data(nudge_deps, engine: NudgeEngine) -> None:
    load_demo_feeds(nudge_deps, engine)
    report = engine.run(nudge_deps.participants.all(), DEMO_DATE)
    day = engine.outbox_dir / DEMO_DATE.isoformat()
    lines = [json.loads(x) for x in (day / "outbox.jsonl").read_text().splitlines()]
    assert {(r["channel"]) for r in lines} == {"email", "sms"}
    # SMS only where consent is on file (Daniel); Lena's security notice goes in-app and by email
    assert [r["participant_key"] for r in lines if r["channel"] == "sms"] == [nudge_deps.pseudonym("A-1002")]
    emls = sorted(day.glob("*.eml"))
    assert len(emls) == sum(1 for r in lines if r["channel"] == "email")
    msg = email.message_from_bytes(emls[0].read_bytes())
    assert msg["To"].endswith("@recipients.invalid") and msg["X-Beacon-Recipient-Key"].startswith("p_")
    everything = (day / "outbox.jsonl").read_text() + "".join(p.read_text() for p in emls)
    for p in nudge_deps.participants.all():
        assert p.first_name not in everything and p.participant_id not in everything
        assert str(p.birth_date) not in everything
    assert not re.search(r"\d{3}-\d{2}-\d{4}", everything)
    assert report.outbox_files and str(day / "outbox.jsonl") in report.outbox_files


def test_dry_run_explains_and_writes_nothing(nudge_deps, engine: NudgeEngine) -> None:
    load_demo_feeds(nudge_deps, engine)
    report = engine.run(nudge_deps.participants.all(), DEMO_DATE, dry_run=True)
    assert {(i.participant_id, i.nudge_id) for i in report.items if i.status == "sent"} == SENT
    assert all(i.reason for i in report.items)
    assert engine.audit.count() == 0 and engine.store.decisions() == []
    assert not engine.outbox_dir.exists()


def test_guard_error_blocks_the_nudge(nudge_deps, tmp_path) -> None:
    """Fail closed: a guard that times out blocks every nudge, and says so in the audit record."""
    release = threading.Event()

    class _Stuck:
        """An output rule that does not finish until the test is over: the 0.2 s deadline passes first
        every time (a near-zero deadline alone raced: a check could finish before `result()` waited)."""

        spec = nudge_deps.guard.output_rules[0].spec

        def check(self, text, ctx):  # type: ignore[no-untyped-def]
            release.wait(30)
            raise AssertionError("released after the deadline")

    slow = Guard(nudge_deps.guard.loaded, nudge_deps.guard.pii, timeout_s=0.2)
    slow.output_rules = [_Stuck(), *slow.output_rules[1:]]  # type: ignore[list-item]
    deps = dataclasses.replace(nudge_deps, guard=slow)
    engine = new_engine(deps, tmp_path)
    load_demo_feeds(deps, engine)
    try:
        report = engine.run(deps.participants.all(), DEMO_DATE)
    finally:
        release.set()
    assert report.sent() == []
    blocked = [i for i in report.items if i.status == "blocked"]
    assert {(i.participant_id, i.nudge_id) for i in blocked} == SENT
    record = engine.audit.get(blocked[0].decision_id)
    assert record["final_action"] == "nudge_blocked" and record["final_text"] is None
    assert any(f["rule_id"] == "guard.output_error" and "timed out" in f["rationale"] for f in record["guard_findings"])
    assert engine.store.outbox(DEMO_DATE) == [] and engine.store.cards("A-1002", DEMO_DATE) == []
