"""The checks every recognizer's table runs: a hit is redacted by the whole engine AND found by its
own recognizer alone at the policy's threshold (so a row cannot pass on another recognizer's
work); a near miss comes out of the whole engine unchanged."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from presidio_analyzer import AnalyzerEngine, LocalRecognizer

from guardrails.pii import PiiEngine
from guardrails.policy import load_policy

POLICY = load_policy(Path(__file__).resolve().parents[3] / "guardrails/policy.yaml")
Alone = Callable[[type[LocalRecognizer]], AnalyzerEngine]
"""the `alone` fixture: a recognizer class -> an analyzer that runs only that recognizer"""


def assert_redacted(pii: PiiEngine, text: str, entity: str, secret: str) -> None:
    r = pii.redact(text)
    assert secret not in r.text, r.text
    assert entity in {e.entity_type for e in r.entities}, r.entities


def assert_found_alone(analyzer: AnalyzerEngine, text: str, entity: str, secret: str) -> None:
    start = text.index(secret)
    end = start + len(secret)
    threshold = POLICY.policy.pii.entities[entity]
    results = analyzer.analyze(text, language="en")
    assert any(r.entity_type == entity and r.score >= threshold and r.start < end and r.end > start for r in results), (
        f"alone, the recognizer does not find {secret!r} as {entity} at {threshold}: "
        f"{[(r.entity_type, text[r.start : r.end], round(r.score, 2)) for r in results]}"
    )


def assert_kept(pii: PiiEngine, text: str) -> None:
    r = pii.redact(text)
    assert r.text == text, r.entities


def table_tests(
    recognizer: type[LocalRecognizer], hits: list[tuple[str, str, str]], near_misses: list[str]
) -> tuple[Callable[..., None], Callable[..., None]]:
    """The two table tests of one recognizer's file: `test_hits_are_redacted, test_near_misses_are_kept =
    table_tests(RECOGNIZER, HITS, NEAR_MISSES)` (text, entity, secret) rows and near-miss texts."""

    @pytest.mark.parametrize("text,entity,secret", hits)
    def test_hits_are_redacted(pii: PiiEngine, alone: Alone, text: str, entity: str, secret: str) -> None:
        assert_redacted(pii, text, entity, secret)
        assert_found_alone(alone(recognizer), text, entity, secret)

    @pytest.mark.parametrize("text", near_misses)
    def test_near_misses_are_kept(pii: PiiEngine, text: str) -> None:
        assert_kept(pii, text)

    return test_hits_are_redacted, test_near_misses_are_kept
