"""The intent registry: one entry per intent, validated at load, read by every stage."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.decisions.calculations import CALCULATIONS
from assistant.decisions.intents import load_intents
from assistant.decisions.playbooks import PLAYBOOKS
from assistant.errors import SettingsError
from assistant.records.provisions import load_plans
from tests.conftest import ROOT


def test_every_named_calculation_and_playbook_exists_and_every_plan_section_resolves() -> None:
    intents = load_intents()
    plans = load_plans(ROOT / "knowledge")
    assert {i.calculation for i in intents if i.calculation} <= set(CALCULATIONS)
    assert {i.playbook for i in intents if i.playbook} <= set(PLAYBOOKS)
    for intent in intents:
        for plan in plans.values():
            if intent.plan_section:
                assert intent.plan_section_of(plan), f"{intent.name}: {intent.plan_section} not in {plan.plan_id}"
    # every calculation and playbook is used by some intent (no dead registry entries)
    assert set(CALCULATIONS) == {i.calculation for i in intents if i.calculation}
    assert set(PLAYBOOKS) == {i.playbook for i in intents if i.playbook}


@pytest.mark.parametrize(
    ("entry", "named"),
    [
        ("loan:\n  rules: ['(unclosed']\n", "rules"),
        ("loan:\n  playbook: nope\n", "playbook"),
        ("loan:\n  calculation: nope\n", "calculation"),
        ("loan:\n  surprise: 1\n", "surprise"),
        ("loan:\n  starter: {text: 'How much?', moments: []}\n", "starter"),
    ],
)
def test_a_bad_entry_stops_start_up_naming_the_intent_and_field(tmp_path: Path, entry: str, named: str) -> None:
    path = tmp_path / "intents.yaml"
    path.write_text(entry)
    with pytest.raises(SettingsError) as e:
        load_intents(path)
    assert str(path) in str(e.value) and "'loan'" in str(e.value) and named in str(e.value)
