"""Offline intent routing: keyword rules first, then the nearest example utterance (MiniLM).

Also resolves follow-ups ("and how many can I have?") against the previous turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from assistant.decisions.intents import IntentRegistry, load_intents
from assistant.embeddings import Embedder

FOLLOW_UP = re.compile(
    r"^\s*(and|also|what about|how about|what if|and if|but|then|so)\b|\b(it|that|those|them|this one)\s*\??\s*$", re.I
)


@dataclass(frozen=True)
class Route:
    intent: str
    confidence: float
    query: str
    """the text retrieval should search for (follow-ups are expanded with the previous question)"""
    follow_up: bool
    method: str  # rule | exemplar | default | inherited


class IntentRouter:
    def __init__(self, embedder: Embedder, intents: IntentRegistry | None = None, min_similarity: float = 0.4) -> None:
        intents = intents or load_intents()
        self.topics = {i.name: i.topic for i in intents}
        self.rules = [(i.name, [re.compile(r, re.I) for r in i.rules]) for i in intents]
        self.labels: list[str] = []
        texts: list[str] = []
        for i in intents:
            for ex in i.examples:
                self.labels.append(i.name)
                texts.append(ex)
        self.embedder = embedder
        self.vectors = embedder.encode(texts)
        self.min_similarity = min_similarity

    def classify(self, text: str) -> tuple[str, float, str]:
        for name, regexes in self.rules:
            if any(rx.search(text) for rx in regexes):
                return name, 1.0, "rule"
        sims = self.vectors @ self.embedder.encode([text])[0]
        best = int(np.argmax(sims))
        if float(sims[best]) >= self.min_similarity:
            return self.labels[best], round(float(sims[best]), 3), "exemplar"
        return "general", round(float(sims[best]), 3), "default"

    def route(self, text: str, previous_query: str | None, previous_intent: str | None) -> Route:
        intent, conf, method = self.classify(text)
        is_follow_up = bool(previous_query) and bool(FOLLOW_UP.search(text)) and len(text.split()) <= 12
        if not is_follow_up:
            return Route(intent, conf, text, False, method)
        if method != "rule" and previous_intent:
            # the new words carry the question; the previous turn supplies only its topic
            topic = self.topics.get(previous_intent) or previous_query
            return Route(previous_intent, conf, f"{text} ({topic})", True, "inherited")
        return Route(intent, conf, f"{text} ({previous_query})", True, method)
