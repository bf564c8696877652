"""Every contact-policy rule, table-driven over `decide`: consent, opt-out, caps, quiet periods,
acted-upon, dismissal, cool-down, expiry, arbitration, hold-out determinism, service notices."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.nudges.catalog import load_catalog
from assistant.nudges.events import Event
from assistant.nudges.policy import (
    Candidate,
    Delivery,
    PersonState,
    QuietPeriod,
    decide,
    holdout_bucket,
    in_holdout,
    load_policy,
    partition_of,
)
from tests.nudges.conftest import NUDGES_DIR

AS_OF = dt.date(2026, 11, 23)
CATALOG = load_catalog(NUDGES_DIR / "catalog.yaml")
POLICY = load_policy(NUDGES_DIR / "policy.yaml").config
NOT_HELD = "A-1001"  # outside the 10% hold-out for the shipped salt
HELD = "A-1006"
assert not in_holdout(NOT_HELD, POLICY.holdout) and in_holdout(HELD, POLICY.holdout)


def cand(nudge: str, kind: str | None = None, day: dt.date = AS_OF, key: str | None = None) -> Candidate:
    spec = CATALOG.get(nudge)
    kind = kind or spec.trigger.event
    return Candidate(spec, Event(kind, day, key or f"{kind}:{day}", "test"))


def days(n: int) -> dt.date:
    return AS_OF - dt.timedelta(days=n)


ROWS = [
    # (row id, candidates, state, participant, expected [(nudge, outcome)], reason fragment)
    ("sends-by-default", [cand("missed-match")], PersonState(), NOT_HELD, [("missed-match", "send")], "priority 70"),
    (
        "already-sent-same-event",
        [cand("missed-match", key="k1")],
        PersonState(deliveries=[Delivery("missed-match", "k1", days(40))]),
        NOT_HELD,
        [("missed-match", "already_sent")],
        "k1",
    ),
    (
        "cool-down",
        [cand("missed-match", key="k2")],
        PersonState(deliveries=[Delivery("missed-match", "k1", days(89))]),
        NOT_HELD,
        [("missed-match", "cool_down")],
        "90 days",
    ),
    (
        "cool-down-over",
        [cand("missed-match", key="k2")],
        PersonState(deliveries=[Delivery("missed-match", "k1", days(90))]),
        NOT_HELD,
        [("missed-match", "send")],
        "",
    ),
    (
        "acted-upon",
        [cand("missed-match")],
        PersonState(acted={"missed-match"}),
        NOT_HELD,
        [("missed-match", "acted_upon")],
        "acted",
    ),
    (
        "dismissed",
        [cand("missed-match")],
        PersonState(dismissed={"missed-match": days(10)}),
        NOT_HELD,
        [("missed-match", "dismissed")],
        "dismissed on",
    ),
    (
        "dismissed-long-ago",
        [cand("missed-match")],
        PersonState(dismissed={"missed-match": days(180)}),
        NOT_HELD,
        [("missed-match", "send")],
        "",
    ),
    (
        "opted-out-all",
        [cand("missed-match")],
        PersonState(preferences=[("all", "opted_out", days(5))]),
        NOT_HELD,
        [("missed-match", "no_consent")],
        "opted out of all channels",
    ),
    (
        "opt-out-in-future-not-yet",
        [cand("missed-match")],
        PersonState(preferences=[("all", "opted_out", days(-5))]),
        NOT_HELD,
        [("missed-match", "send")],
        "in_app, email",
    ),
    (
        "opted-out-email-only",
        [cand("missed-match")],
        PersonState(preferences=[("email", "opted_out", days(5))]),
        NOT_HELD,
        [("missed-match", "send")],
        "channels in_app",
    ),
    (
        "opt-back-in",
        [cand("missed-match")],
        PersonState(preferences=[("all", "opted_out", days(50)), ("all", "consented", days(5))]),
        NOT_HELD,
        [("missed-match", "send")],
        "in_app, email",
    ),
    (
        "sms-needs-consent",
        [cand("missed-match")],
        PersonState(preferences=[("sms", "consented", days(1))]),
        NOT_HELD,
        [("missed-match", "send")],
        "in_app, email, sms",
    ),
    (
        "frequency-cap",
        [cand("catch-up-50")],
        PersonState(deliveries=[Delivery("a", "x", days(20)), Delivery("b", "y", days(10))]),
        NOT_HELD,
        [("catch-up-50", "frequency_cap")],
        "cap 2",
    ),
    (
        "min-days-between",
        [cand("catch-up-50")],
        PersonState(deliveries=[Delivery("a", "x", days(6))]),
        NOT_HELD,
        [("catch-up-50", "frequency_cap")],
        "7 days between",
    ),
    (
        "cap-ignores-old",
        [cand("catch-up-50")],
        PersonState(deliveries=[Delivery("a", "x", days(30)), Delivery("b", "y", days(31))]),
        NOT_HELD,
        [("catch-up-50", "send")],
        "",
    ),
    (
        "service-exempt-from-cap",
        [cand("address-change-check")],
        PersonState(deliveries=[Delivery("a", "x", days(1))]),
        NOT_HELD,
        [("address-change-check", "send")],
        "",
    ),
    (
        "arbitration",
        [cand("auto-escalation-upcoming", day=dt.date(2027, 1, 1)), cand("missed-match")],
        PersonState(),
        NOT_HELD,
        [("missed-match", "send"), ("auto-escalation-upcoming", "arbitration")],
        "",
    ),
    ("hold-out", [cand("missed-match")], PersonState(), HELD, [("missed-match", "held_out")], "hold-out group"),
    (
        "hold-out-not-for-service",
        [cand("address-change-check")],
        PersonState(),
        HELD,
        [("address-change-check", "send")],
        "",
    ),
    (
        "sensitive-event-quiet",
        [cand("missed-match")],
        PersonState(),
        NOT_HELD,
        [("missed-match", "quiet_period")],
        "hr.death_in_family",
    ),
]


@pytest.mark.parametrize(("cands", "state", "pid", "expected", "why"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_policy_rule(cands, state, pid, expected, why) -> None:  # type: ignore[no-untyped-def]
    events = [Event("hr.death_in_family", days(10), "d", "test")] if why == "hr.death_in_family" else []
    decisions = decide(cands, state, POLICY, AS_OF, pid, events)
    assert [(d.nudge_id, d.outcome) for d in decisions if d.outcome == "send"] + [
        (d.nudge_id, d.outcome) for d in decisions if d.outcome != "send"
    ] == sorted(expected, key=lambda e: e[1] != "send")
    first = next(d for d in decisions if d.nudge_id == expected[0][0])
    assert why in first.reason, first.reason


def test_quiet_period_and_expiry() -> None:
    quiet = POLICY.model_copy(update={"quiet_periods": [QuietPeriod(start=days(1), end=days(-1), reason="holiday")]})
    d = decide([cand("missed-match")], PersonState(), quiet, AS_OF, NOT_HELD, [])
    assert d[0].outcome == "quiet_period" and "holiday" in d[0].reason
    later = dt.date(2027, 9, 16)  # the approval expires 2027-09-15
    d = decide([cand("missed-match", day=later)], PersonState(), POLICY, later, NOT_HELD, [])
    assert d[0].outcome == "approval_expired" and "2027-09-15" in d[0].reason


def test_exclusion_beats_everything_but_already_sent() -> None:
    c = cand("super-catch-up-60-63")
    c = Candidate(c.spec, c.event, ("catch_up_not_available", "no Roth"))
    d = decide([c], PersonState(), POLICY, AS_OF, NOT_HELD, [])
    assert d[0].outcome == "unsuitable" and "catch_up_not_available" in d[0].reason


def test_holdout_is_deterministic_and_near_its_share() -> None:
    ids = [f"S-{i:06d}" for i in range(20000)]
    first = [in_holdout(i, POLICY.holdout) for i in ids]
    assert first == [in_holdout(i, POLICY.holdout) for i in ids]
    assert 0.09 < sum(first) / len(ids) < 0.11
    other = POLICY.holdout.model_copy(update={"salt": "another-experiment"})
    assert [in_holdout(i, other) for i in ids] != first  # a new salt is a new experiment
    assert holdout_bucket("A-1006", "beacon-2026") == holdout_bucket("A-1006", "beacon-2026")


def test_partitions_cover_everyone_once() -> None:
    ids = [f"S-{i:06d}" for i in range(4000)]
    parts = [partition_of(i, 4) for i in ids]
    assert set(parts) == {0, 1, 2, 3} and all(800 < parts.count(k) < 1200 for k in range(4))
