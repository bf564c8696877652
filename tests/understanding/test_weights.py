"""The shipped weights: up to date with the training inputs, numpy-only at run time, and loud when broken."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.tooling import classifier_data as data
from assistant.tooling import classifier_training as training
from assistant.understanding.classifier import CLASSES, WEIGHTS, ClassifierError, MessageClassifier

ROOT = Path(__file__).resolve().parents[2]


def _meta() -> dict:
    with np.load(WEIGHTS, allow_pickle=False) as npz:
        return json.loads(str(npz["meta"]))


def test_weights_match_the_own_examples_and_the_mapping() -> None:
    meta = _meta()
    retrain = "run python -m assistant.tooling.classifier_training"
    assert meta["examples_sha256"] == data.own_sha256(), retrain
    assert meta["mapping_sha256"] == data.sha256_file(data.PUBLIC_SETS), retrain


def test_weights_match_the_public_data() -> None:
    if not data.SHARED_DATA.is_dir():
        pytest.skip(f"{data.SHARED_DATA} is absent (a user's checkout has no ../shared): public-data hash not checked")
    assert _meta()["public_data_sha256"] == data.public_data_sha256(data.load_mapping())


def test_weights_were_made_with_the_configured_model() -> None:
    from assistant.settings import load_settings

    assert _meta()["model_id"] == load_settings().embedding_model


def test_shipped_thresholds_are_recall_oriented() -> None:
    clf = MessageClassifier.load()
    assert clf.classes == CLASSES
    assert 0.0 < clf.thresholds["crisis"] <= training.THRESHOLD_CAP
    assert 0.0 < clf.thresholds["fraud"] <= training.THRESHOLD_CAP


def test_the_runtime_needs_only_numpy() -> None:
    code = "import sys, assistant.understanding.classifier as c; c.MessageClassifier.load(); print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_missing_weights_raise_and_say_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(ClassifierError, match=r"assistant\.tooling\.classifier_training"):
        MessageClassifier.load(tmp_path / "absent.npz")


def test_corrupt_weights_raise(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.npz"
    path.write_bytes(WEIGHTS.read_bytes()[:200])
    with pytest.raises(ClassifierError, match="cannot be read"):
        MessageClassifier.load(path)


def _save(path: Path, **changes: object) -> Path:
    with np.load(WEIGHTS, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays.update(changes)  # type: ignore[arg-type]
    arrays = {k: v for k, v in arrays.items() if v is not None}
    with path.open("wb") as f:
        np.savez(f, **arrays)
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"coef": None}, "cannot be read"),
        ({"coef": np.zeros((len(CLASSES), 10), np.float32)}, "shapes"),
        ({"coef": np.full((len(CLASSES), 384), np.nan, np.float32)}, "NaN"),
        ({"classes": np.array(["a", "b"])}, "classes"),
        ({"thresholds": np.zeros(len(CLASSES), np.float32)}, "threshold"),
        ({"meta": np.array("{not json")}, "JSON"),
    ],
    ids=["missing-array", "wrong-shape", "nan", "wrong-classes", "zero-threshold", "bad-meta"],
)
def test_inconsistent_weights_raise(tmp_path: Path, change: dict, message: str) -> None:
    with pytest.raises(ClassifierError, match=message):
        MessageClassifier.load(_save(tmp_path / "bad.npz", **change))


def test_an_example_with_the_wrong_split_is_named(tmp_path: Path) -> None:
    text = "What is the vesting schedule?"
    wrong = next(s for s in data.SPLITS if s != data.split_of(text))
    path = tmp_path / "examples.yaml"
    path.write_text(f'examples:\n  - {{text: "{text}", label: plan_question, split: {wrong}, source: own}}\n')
    with pytest.raises(ClassifierError, match=f"must have split '{data.split_of(text)}'"):
        data.load_examples(path)


def test_shipped_examples_follow_the_split_rule_and_class_minimums() -> None:
    examples = data.load_own()
    counts = {c: sum(e.label == c for e in examples) for c in CLASSES}
    assert all(counts[c] >= 60 for c in CLASSES if c not in {"greeting", "human"}), counts
    assert counts["crisis"] >= 100 and counts["fraud"] >= 100, counts
