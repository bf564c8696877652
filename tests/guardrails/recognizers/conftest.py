"""Fixtures of the per-recognizer tables: the real engine (Presidio + spaCy, the policy's thresholds)
and, for each recognizer, an analyzer that runs it alone on the same spaCy pipeline."""

from __future__ import annotations

import pytest
from presidio_analyzer import AnalyzerEngine, LocalRecognizer, RecognizerRegistry

from guardrails.pii import PiiEngine
from tests.guardrails.recognizers.table import POLICY, Alone


@pytest.fixture(scope="session")
def pii(models) -> PiiEngine:  # type: ignore[no-untyped-def]
    return PiiEngine(models.analyzer, POLICY.policy.pii, b"test-key")


@pytest.fixture(scope="session")
def alone(models) -> Alone:  # type: ignore[no-untyped-def]
    """An analyzer with one recognizer only (Presidio's context enhancement included), built once per class."""
    built: dict[type[LocalRecognizer], AnalyzerEngine] = {}

    def analyzer(cls: type[LocalRecognizer]) -> AnalyzerEngine:
        if cls not in built:
            registry = RecognizerRegistry(recognizers=[cls()], supported_languages=["en"])  # type: ignore[call-arg]
            built[cls] = AnalyzerEngine(
                registry=registry, nlp_engine=models.analyzer.nlp_engine, supported_languages=["en"]
            )
        return built[cls]

    return analyzer
