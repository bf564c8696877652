"""Write the turn's one hash-chained audit record."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from typing import Any

from assistant.errors import UnavailableError
from assistant.turn.state import TurnState


def build_record(state: TurnState, deps: Any) -> dict[str, Any]:
    draft = state.get("draft") or {}
    verdict = state.get("verdict") or {}
    result = state.get("result") or {}
    started = state.get("started_at", time.time())
    return {
        "turn_id": state["turn_id"],
        "thread_id": state["thread_id"],
        "participant_key": deps.pseudonym(state.get("participant_id")),
        "plan_id": state.get("plan_id"),
        "channel": state.get("channel"),
        "started_at": dt.datetime.fromtimestamp(started, dt.UTC).isoformat(),
        "finished_at": dt.datetime.now(dt.UTC).isoformat(),
        "latency_ms": round((time.time() - started) * 1000, 1),
        "redacted_input": state["text"],
        "pii_entities": state.get("pii_entities", []),
        "input_screen": state.get("screen", {}),
        "intent": state.get("intent"),
        "route": state.get("route", {}),
        "retrieved": [
            {
                "chunk_id": p["chunk_id"],
                "doc_id": p["metadata"]["doc_id"],
                "version": p["metadata"].get("version"),
                "doc_sha256": p["metadata"].get("doc_sha256"),
                "score": p.get("score"),
                "rank_score": p.get("rank_score"),
            }
            for p in state.get("passages", [])
        ],
        "calculations": state.get("figures", []),
        "missing_data": state.get("missing"),
        "prompt": deps.drafter.provenance,
        "draft_source": draft.get("source"),
        "llm_fallback": draft.get("fallback_reason"),
        "llm_trimmed": draft.get("trimmed"),
        "llm_rejected": state.get("llm_rejected"),
        "policy_version": deps.guard.version,
        "backend": deps.drafter.backend_id,
        "index_version": deps.index_version(),
        "draft_hash": hashlib.sha256(draft.get("text", "").encode()).hexdigest() if draft else None,
        "draft_action": draft.get("action"),
        "guard_decision": verdict.get("decision"),
        "guard_findings": [
            *state.get("screen", {}).get("findings", []),
            *state.get("quarantined", []),
            *verdict.get("findings", []),
        ],
        "errors": state.get("errors", []),
        "review": state.get("review"),
        "handoff": result.get("handoff"),
        "provided": sorted((state.get("provided") or {}).keys()),
        "final_action": result.get("action"),
        "final_reason": result.get("reason"),
        "final_text": result.get("answer"),
        "citations": [c["id"] for c in result.get("citations", [])],
        "timings_ms": state.get("timings", {}),
    }


class AuditWriteFailed(UnavailableError):
    """The turn's record could not be written; carries the record so the fail-closed record
    written instead (or spooled) keeps what the withheld turn had found."""

    def __init__(self, record: dict[str, Any], cause: Exception) -> None:
        super().__init__(f"The audit record could not be written ({type(cause).__name__}).")
        self.record = record


def audit(state: TurnState, deps: Any) -> dict[str, Any]:
    record = build_record(state, deps)
    try:
        return {"audit_hash": deps.audit.append(record)}
    except Exception as e:
        raise AuditWriteFailed(record, e) from e
