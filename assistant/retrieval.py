"""Plan-scoped retrieval: the participant's plan documents plus general documents only."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.embeddings import Embedder
from assistant.indexing.index import KnowledgeIndex, Passage
from assistant.provisions import PlanProvisions

GENERAL = "general"


class Retriever:
    def __init__(self, index: KnowledgeIndex, embedder: Embedder, k: int = 4) -> None:
        self.index = index
        self.embedder = embedder
        self.k = k

    def scope(self, plan_id: str | None) -> list[str]:
        return [plan_id, GENERAL] if plan_id and plan_id != GENERAL else [GENERAL]

    def search(
        self, query: str, plan_id: str | None, k: int | None = None, anchors: list[Anchor] | None = None
    ) -> tuple[list[Passage], list[Passage]]:
        """(hits, anchored): the nearest chunks in scope, and the best chunks inside each anchor."""
        vector = self.embedder.encode([query])[0].tolist()
        plans = self.scope(plan_id)
        hits = self.index.query(vector, plans, k or self.k)
        anchored: list[Passage] = []
        for a in anchors or []:
            within = {"doc_id": a.doc_id} | ({"topic": a.topic} if a.topic else {})
            anchored += self.index.query(vector, plans, a.k, within=within)
        # defence in depth: never return another plan's chunk even if the store misbehaves
        return (
            [h for h in hits if h.metadata.get("plan_id") in plans],
            [h for h in anchored if h.metadata.get("plan_id") in plans],
        )


# Where the answer to an intent must come from: the plan's own rules first (the topic of the
# SPD that holds them), then a general education document. The query picks the best section
# inside each scope, so "how many loans" lands on the number-of-loans section.
GENERAL_ANCHORS = {
    "rollover": "general/rollovers",
    "rmd": "general/rmd",
    "early_withdrawal": "general/additional-tax#2",
    "loan": "general/loans-vs-hardship",
    "hardship": "general/loans-vs-hardship",
    "beneficiary": "general/life-events",
}


@dataclass(frozen=True)
class Anchor:
    doc_id: str
    topic: str | None
    k: int = 1


# Life events named in the question pick the education section about them.
LIFE_EVENTS = [
    (re.compile(r"\b(marri|marry|wedding|fianc)", re.I), "1"),
    (re.compile(r"\b(divorc|qdro|separated|ex-(wife|husband|spouse))", re.I), "2"),
    (re.compile(r"\b(baby|child|birth|born|adopt)", re.I), "3"),
    (re.compile(r"\b(died|death|passed away|widow)", re.I), "4"),
]


def anchors_for(intent: str, plan: PlanProvisions | None, text: str = "") -> list[Anchor]:
    anchors: list[Anchor] = []
    if plan is not None:
        s = plan.sections
        by_intent = {
            "loan": plan.loans.section,
            "hardship": plan.hardship.section,
            "vesting": plan.vesting.section,
            "rollover": plan.distributions.section,
            "distributions": s.get("in_service"),
            "roth": plan.roth.section,
            "enrollment": plan.auto_enrollment.section,
            "fees": plan.fees.section,
            "match": plan.match.section,
            "eligibility": plan.eligibility.section,
            "investments": s.get("investments"),
            "beneficiary": s.get("beneficiaries"),
            "rmd": s.get("rmd"),
            "early_withdrawal": s.get("taxes"),
        }
        section = by_intent.get(intent)
        if section:
            # the two best sections of the plan's topic: dense ranking alone is not reliable enough
            # to pick the one sub-section that answers ("how many loans" -> 7.2, not 7.1)
            anchors.append(Anchor(plan.spd_doc_id, section.split(".")[0], 2))
    if intent in GENERAL_ANCHORS:
        doc_id, _, topic_or_none = GENERAL_ANCHORS[intent].partition("#")
        topic: str | None = topic_or_none or None
        if intent == "beneficiary":
            topic = next((section for rx, section in LIFE_EVENTS if rx.search(text)), None)
        anchors.append(Anchor(doc_id, topic))
    return anchors
