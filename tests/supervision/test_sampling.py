"""The day's review sample: what is always in it, the weighted draw, the minimum per channel, and
that the seed recorded in the audit reproduces it."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from assistant.errors import SettingsError
from assistant.supervision.policy import SupervisionPolicy, load_supervision_policy
from assistant.supervision.sampling import draw
from tests.conftest import ROOT
from tests.supervision.conftest import turn_record

POLICY = SupervisionPolicy(rate=0.1, min_per_channel=2, topic_weights={"rollover": 4}, channel_weights={"copilot": 3})


def day_of_turns() -> list[dict]:
    turns = [turn_record(intent="vesting") for _ in range(150)]
    turns += [turn_record(intent="rollover") for _ in range(50)]
    turns += [turn_record(channel="copilot", intent="loan") for _ in range(3)]
    turns += [
        turn_record(action="refuse", reason="guard_blocked", guard="block"),
        turn_record(action="escalate", reason="crisis"),
        turn_record(review={"reason": "document_conflict", "citations": ["a#1", "b#1"]}),
        turn_record(day="2026-11-21", action="escalate", reason="crisis"),  # another day: the caller filters
    ]
    return turns


def test_blocked_escalated_and_flagged_turns_are_always_in_the_sample() -> None:
    turns = [t for t in day_of_turns() if t["started_at"].startswith("2026-11-20")]
    items = draw(turns, POLICY, seed=1)
    why = {i.turn_id: i.why for i in items}
    assert why[turns[-3]["turn_id"]] == "blocked"
    assert why[turns[-2]["turn_id"]] == "escalated"
    assert why[turns[-1]["turn_id"]] == "flagged:document_conflict"
    rest = len(turns) - 3
    sampled = [i for i in items if i.why == "sampled"]
    # ceil(rate x rest) by weight; the copilot channel had 3 turns, so it is topped up to 2 if it fell short
    assert math.ceil(0.1 * rest) <= len(sampled) <= math.ceil(0.1 * rest) + 2
    assert sum(1 for i in sampled if i.channel == "copilot") >= 2
    assert sum(1 for i in sampled if i.channel == "participant") >= 2


def test_the_same_seed_draws_the_same_sample_and_another_seed_another() -> None:
    turns = day_of_turns()
    first = [i.to_dict() for i in draw(turns, POLICY, seed=42)]
    again = [i.to_dict() for i in draw(list(reversed(turns)), POLICY, seed=42)]  # record order does not matter
    other = [i.to_dict() for i in draw(turns, POLICY, seed=43)]
    assert first == again
    assert {i["turn_id"] for i in first} != {i["turn_id"] for i in other}


def test_riskier_topics_are_drawn_more_often() -> None:
    """Rollovers weigh 4, vesting 1: over 200 seeded draws a rollover turn is picked far more often."""
    turns = [turn_record(intent="vesting") for _ in range(150)] + [turn_record(intent="rollover") for _ in range(50)]
    rollover = {t["turn_id"] for t in turns if t["intent"] == "rollover"}
    picked_rollover = picked_vesting = 0
    for seed in range(200):
        for i in draw(turns, POLICY.model_copy(update={"min_per_channel": 0}), seed):
            if i.turn_id in rollover:
                picked_rollover += 1
            else:
                picked_vesting += 1
    per_rollover, per_vesting = picked_rollover / 50, picked_vesting / 150
    assert per_rollover > 2.5 * per_vesting, (per_rollover, per_vesting)


def test_no_turns_no_sample_and_rate_zero_keeps_only_the_must_reviews() -> None:
    assert draw([], POLICY, seed=1) == []
    turns = [turn_record() for _ in range(10)] + [turn_record(action="escalate", reason="fraud")]
    items = draw(turns, POLICY.model_copy(update={"rate": 0.0, "min_per_channel": 0}), seed=3)
    assert [i.why for i in items] == ["escalated"]


def test_shipped_policy_has_a_valid_supervision_section() -> None:
    policy, version = load_supervision_policy(ROOT / "guardrails" / "policy.yaml")
    assert 0 < policy.rate < 1 and policy.topic_weights["rollover"] > 1 and policy.channel_weights["copilot"] > 1
    assert "advice" in policy.categories and len(version) == 64


def test_a_bad_weight_names_the_file_and_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "policy.yaml"
    bad.write_text("supervision:\n  rate: 0.1\n  topic_weights: {rollover: 0}\n")
    with pytest.raises(SettingsError) as e:
        load_supervision_policy(bad)
    assert str(bad) in str(e.value) and "supervision.topic_weights" in str(e.value)
    bad.write_text("supervision:\n  rate: 2\n")
    with pytest.raises(SettingsError, match=r"supervision\.rate"):
        load_supervision_policy(bad)
