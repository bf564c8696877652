"""Plan-scoped retrieval: the participant's plan documents plus general documents only."""

from __future__ import annotations

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

    def search(self, query: str, plan_id: str | None, k: int | None = None) -> list[Passage]:
        vector = self.embedder.encode([query])[0].tolist()
        plans = self.scope(plan_id)
        hits = self.index.query(vector, plans, k or self.k)
        # defence in depth: never return another plan's chunk even if the store misbehaves
        return [h for h in hits if h.metadata.get("plan_id") in plans]


# Sections that answer an intent by definition: the plan's own rule first, then general education.
GENERAL_ANCHORS = {
    "rollover": ["general/rollovers#1"],
    "rmd": ["general/rmd#2", "general/rmd#3"],
    "early_withdrawal": ["general/additional-tax#1", "general/additional-tax#2"],
    "loan": ["general/loans-vs-hardship#3"],
    "hardship": ["general/loans-vs-hardship#3"],
}


def anchor_citations(intent: str, plan: PlanProvisions | None) -> list[str]:
    anchors: list[str] = []
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
            "beneficiary": s.get("beneficiaries"),
            "rmd": s.get("rmd"),
            "early_withdrawal": s.get("taxes"),
        }
        if by_intent.get(intent):
            anchors.append(f"{plan.spd_doc_id}#{by_intent[intent]}")
        if intent == "vesting":
            anchors.append(f"{plan.spd_doc_id}#{plan.vesting.own_contributions_section}")
    return anchors + GENERAL_ANCHORS.get(intent, [])
