"""Docs and public surface: every rule and recognizer is documented; the README shows the two commands."""

from __future__ import annotations

import subprocess
import sys

from guardrails.policy import load_policy
from guardrails.recognizers import CUSTOM_RECOGNIZERS
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text()


def test_readme_first_screen_shows_the_two_commands() -> None:
    first_screen = "\n".join(README.splitlines()[:20])
    assert "make run" in first_screen and "make test" in first_screen


def test_every_rule_and_recognizer_is_documented() -> None:
    policy = load_policy(ROOT / "guardrails/policy.yaml").policy
    for rule_id in policy.rule_ids:
        assert f"`{rule_id}`" in README, rule_id
    for recognizer in CUSTOM_RECOGNIZERS:
        assert f"`{recognizer.__name__}`" in README, recognizer.__name__


def test_ci_runs_make_test() -> None:
    assert "make test" in (ROOT / ".ci/run").read_text()


def test_ruff_is_clean() -> None:
    r = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "assistant", "guardrails", "evals", "tests"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_mypy_is_clean() -> None:
    r = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
