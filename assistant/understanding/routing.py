"""Offline intent routing: keyword rules first, then the nearest example utterance (MiniLM).

The message classifier's reading (assistant/understanding/screening.py) says what KIND of question
it is; routing says which plan topic. A question the classifier reads as a plan question is not
routed to the advice boundary or out of scope by a nearest example (only by those intents' precise
keyword rules); one it reads as advice or out of scope goes there unless a plan topic's keyword
rule matches and the classifier is not sure (`BOUNDARY_SURE`). General investment education goes to `investment_education`.

Also resolves follow-ups ("and how many can I have?") against the previous turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from assistant.decisions.definitions import OTHER_DEBT, PLAN_TERM, WORKPLACE_ACCOUNT
from assistant.decisions.intents import IntentRegistry, load_intents
from assistant.decisions.playbooks.loan import LOAN_TERMS
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


BOUNDARY = {"advice": "investment_advice", "out_of_scope": "out_of_scope"}
"""classifier kinds whose reply is a boundary, and the intent that gives it"""
BOUNDARY_SURE = {"advice": 0.8, "out_of_scope": 0.7}
"""classifier probability above which its boundary reading beats a plan topic's keyword rule"""
STOP_KINDS = ("harmful", "injection", "forgery", "third_party")
HARM_LIMIT = 0.25
"""an out-of-scope reading with at least this much probability of a stop kind keeps the redirect even
when a plan topic's keyword rule matches ("Why are divorced people so unreliable?" is no beneficiary
question): a keyword rule outweighs an out-of-scope reading, never a harmful one (the same bound as
the composer's `OFF_TOPIC`)"""
EDUCATION = "investment_education"
DEFINED = frozenset({EDUCATION, "account_types"})
"""topics whose keyword rule is a definition or comparison question ("what's the difference between a 403b and
a 457b?" read out of scope): that topic, however sure the out-of-scope reading"""


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

    def classify(
        self, text: str, exclude: frozenset[str] = frozenset(), corrected: str | None = None
    ) -> tuple[str, float, str]:
        """Keyword rules first, then the nearest example; `exclude` leaves out intents' examples
        (their precise keyword rules still apply). `corrected`: the text with its misspellings corrected
        (words no indexed document uses, `Retriever.corrected`), whose words the rules read too when the
        text's own match none ("where do i update benefciaries" missed the beneficiary rule)."""
        readings = [text] + ([corrected] if corrected and corrected != text else [])
        for reading in readings:
            for name, regexes in self.rules:
                if any(rx.search(reading) for rx in regexes):
                    return name, 1.0, "rule"
        sims = self.vectors @ self.embedder.encode([text])[0]
        if exclude:
            sims = np.where([label in exclude for label in self.labels], -1.0, sims)
        best = int(np.argmax(sims))
        if self.labels[best] == "loan" and OTHER_DEBT.search(text) and not WORKPLACE_ACCOUNT.search(text):
            # another debt's rates or terms, near a plan-loan example only by its words: not the plan's loans
            return "general", round(float(sims[best]), 3), "default"
        if float(sims[best]) >= self.min_similarity:
            return self.labels[best], round(float(sims[best]), 3), "exemplar"
        return "general", round(float(sims[best]), 3), "default"

    def classify_read(
        self, text: str, kind: str | None, probabilities: dict[str, float], corrected: str | None = None
    ) -> tuple[str, float, str]:
        """The intent, given the classifier's reading of the message (`kind`, its probabilities)."""
        if kind is None:
            return self.classify(text, corrected=corrected)
        plan = self.classify(text, exclude=frozenset(BOUNDARY.values()), corrected=corrected)
        topic_rule = plan[2] == "rule" and plan[0] not in ("greeting", "human")
        if kind in BOUNDARY:
            harm = sum(probabilities.get(k, 0.0) for k in STOP_KINDS)
            harmless = kind != "out_of_scope" or harm < HARM_LIMIT
            # an investment or plan term asked as a definition (the education keyword rule, `PLAN_TERM`)
            # gets its topic however sure the out-of-scope reading ("What is a glide path?" read 0.7+)
            # ... and so does a plan loan's rate or term ("what's the interest rate on a loan?" read out of scope, as a
            # bank's rates do; the loan rule already leaves out student, car, mortgage and other debts)
            definition = kind == "out_of_scope" and (
                plan[0] in DEFINED
                or bool(PLAN_TERM.search(text))
                or (plan[0] == "loan" and bool(LOAN_TERMS.search(text)))
            )
            if topic_rule and (probabilities.get(kind, 0.0) < BOUNDARY_SURE[kind] or definition) and harmless:
                return plan
            return BOUNDARY[kind], round(probabilities.get(kind, 0.0), 3), "classifier"
        if kind == "education":
            return plan if topic_rule else (EDUCATION, round(probabilities.get(kind, 0.0), 3), "classifier")
        return plan

    def route(
        self,
        text: str,
        previous_query: str | None,
        previous_intent: str | None,
        kind: str | None = None,
        probabilities: dict[str, float] | None = None,
        corrected: str | None = None,
    ) -> Route:
        intent, conf, method = self.classify_read(text, kind, probabilities or {}, corrected)
        if method == "classifier" and intent in BOUNDARY.values():
            return Route(intent, conf, text, False, method)
        is_follow_up = bool(previous_query) and bool(FOLLOW_UP.search(text)) and len(text.split()) <= 12
        if not is_follow_up:
            return Route(intent, conf, text, False, method)
        if method != "rule" and previous_intent:
            # the new words carry the question; the previous turn supplies only its topic
            topic = self.topics.get(previous_intent) or previous_query
            return Route(previous_intent, conf, f"{text} ({topic})", True, "inherited")
        return Route(intent, conf, f"{text} ({previous_query})", True, method)
