"""Fixtures for the message classifier: the real MiniLM model and the shipped weights, loaded once."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def embedder():  # type: ignore[no-untyped-def]
    from assistant.embeddings import Embedder
    from assistant.settings import load_settings, offline_environment

    offline_environment()
    return Embedder(load_settings().embedding_model)


@pytest.fixture(scope="session")
def classifier():  # type: ignore[no-untyped-def]
    from assistant.understanding.classifier import MessageClassifier

    return MessageClassifier.load()


@pytest.fixture(scope="session")
def classify(embedder, classifier):  # type: ignore[no-untyped-def]
    """turns (oldest first) -> the verdict for the last one, through the real model and weights"""
    from assistant.understanding.classifier import window_texts

    def run(*turns: str):  # type: ignore[no-untyped-def]
        window = window_texts(list(turns))
        return classifier.classify_window(window, embedder.encode(list(window.texts)))

    return run
