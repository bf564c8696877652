"""Beacon as the eval runner sees it (`evals.runner.TurnRunner`): turns as the `beacon ask --json`
object, the plan's contact phrases, the PII engine and ingestion. evals never import assistant;
this adapter is the one place where the two meet."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from assistant.errors import BeaconError
from assistant.retrieval.indexing.ingest import ingest
from assistant.services.turn_service import TurnService
from evals.errors import TurnFailed


class EvalTurns:
    def __init__(self, service: TurnService) -> None:
        self.service = service
        self.deps = service.deps

    @property
    def backend_id(self) -> str:
        return str(self.deps.drafter.backend_id)

    @property
    def pii(self) -> Any:
        return self.deps.guard.pii

    def run(self, text: str, **scope: Any) -> dict[str, Any]:
        try:
            out = self.service.run(text, **scope)
        except BeaconError as e:
            raise TurnFailed(str(e)) from e
        return out if isinstance(out, dict) else out.model_dump(mode="json")

    def allowed_phrases(self, plan: str | None, participant: str | None) -> list[str]:
        plan_id = plan or (self.deps.participants.get(participant).plan_id if participant else None)
        provisions = self.deps.plans.get(plan_id) if plan_id else None
        if provisions is None:
            return []
        c = provisions.contact
        return [c.phone, c.portal, c.hours]

    def ingest(self, path: Path, plan: str | None, doc_type: str | None) -> tuple[dict[str, int], list[str]]:
        report = ingest([path], self.deps.index, self.deps.embedder, plan=plan, doc_type=doc_type, progress=False)
        counts = Counter(f.status for f in report.files)
        return dict(counts), [f"{f.path}: {f.reason}" for f in report.files if f.status == "rejected"]
