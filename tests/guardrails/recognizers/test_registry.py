"""The registry `CUSTOM_RECOGNIZERS`: one module and one test table per recognizer, every one
registered in the analyzer and feeding an entity of the policy."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from guardrails.pii import PiiEngine
from guardrails.recognizers import CUSTOM_RECOGNIZERS, REPLACED_DEFAULTS
from tests.guardrails.recognizers.table import POLICY

HERE = Path(__file__).resolve().parent


def _module(cls: type) -> str:
    return cls.__module__.rsplit(".", 1)[1]


@pytest.mark.parametrize("cls", CUSTOM_RECOGNIZERS, ids=lambda c: c.__name__)
def test_every_recognizer_has_its_own_module_and_test_table(cls: type) -> None:
    assert cls.__module__.startswith("guardrails.recognizers."), cls.__module__
    assert [c for c in CUSTOM_RECOGNIZERS if _module(c) == _module(cls)] == [cls], "one recognizer per module"
    path = HERE / f"test_{_module(cls)}.py"
    assert path.exists(), f"{cls.__name__} has no test table {path.relative_to(HERE.parents[2])}"
    table = importlib.import_module(f"tests.guardrails.recognizers.test_{_module(cls)}")
    assert table.RECOGNIZER is cls
    assert table.HITS and table.NEAR_MISSES, f"{path.name} needs hits and near misses"


def test_every_test_table_names_a_registered_recognizer() -> None:
    """A recognizer with a module and a test but no registry line is caught here."""
    tables = sorted(p.stem for p in HERE.glob("test_*.py") if p.stem != "test_registry")
    assert tables == sorted(f"test_{_module(c)}" for c in CUSTOM_RECOGNIZERS)


def test_the_analyzer_runs_every_custom_recognizer_and_none_it_replaces(models) -> None:  # type: ignore[no-untyped-def]
    names = {r.name for r in models.analyzer.registry.recognizers}
    assert {c.__name__ for c in CUSTOM_RECOGNIZERS} <= names
    assert not set(REPLACED_DEFAULTS) & names


def test_every_custom_recognizer_feeds_a_policy_entity(models) -> None:  # type: ignore[no-untyped-def]
    entities = set(POLICY.policy.pii.entities)
    for cls in CUSTOM_RECOGNIZERS:
        assert set(cls().supported_entities) <= entities, cls.__name__


def test_a_policy_entity_no_recognizer_produces_stops_start_up(models) -> None:  # type: ignore[no-untyped-def]
    from guardrails.errors import PolicyError

    bad = POLICY.policy.pii.model_copy(update={"entities": {**POLICY.policy.pii.entities, "PASSPORT_NO": 0.5}})
    with pytest.raises(PolicyError, match=r"pii\.entities.*PASSPORT_NO"):
        PiiEngine(models.analyzer, bad, b"k")
