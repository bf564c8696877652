"""The policy file: validated at load, bad input names the file and field, sha256 is the version."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from guardrails.errors import PolicyError
from guardrails.policy import load_policy

POLICY_FILE = Path(__file__).resolve().parents[2] / "guardrails/policy.yaml"


def write(tmp_path: Path, mutate) -> Path:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(POLICY_FILE.read_text())
    mutate(data)
    out = tmp_path / "policy.yaml"
    out.write_text(yaml.safe_dump(data))
    return out


def test_shipped_policy_loads_and_its_version_is_the_file_sha256() -> None:
    loaded = load_policy(POLICY_FILE)
    assert loaded.sha256 == hashlib.sha256(POLICY_FILE.read_bytes()).hexdigest()
    assert {"output.investment_advice", "output.guarantee", "output.ungrounded_figure"} <= set(loaded.policy.rule_ids)


@pytest.mark.parametrize(
    "mutate,field",
    [
        (lambda d: d["output_rules"][1]["patterns"].append("([unclosed"), "output_rules.1.patterns"),
        (lambda d: d["pii"]["entities"].update({"PERSON": 1.5}), "pii.entities"),
        (lambda d: d["output_rules"][2].update({"kind": "magic"}), "output_rules.2.kind"),
        (lambda d: d["input_rules"][0].update({"acton": "block"}), "input_rules.0.acton"),
        (lambda d: d.pop("pii"), "pii"),
    ],
)
def test_bad_policy_stops_with_file_and_field(tmp_path: Path, mutate, field: str) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, mutate)
    with pytest.raises(PolicyError) as e:
        load_policy(path)
    assert str(path) in str(e.value) and f"'{field}" in str(e.value)


def test_duplicate_rule_ids_are_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, lambda d: d["output_rules"].append(dict(d["output_rules"][0])))
    with pytest.raises(PolicyError, match="more than once"):
        load_policy(path)


def test_unreadable_and_invalid_yaml(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="cannot be read"):
        load_policy(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("pii: [unclosed")
    with pytest.raises(PolicyError, match="not valid YAML"):
        load_policy(bad)
