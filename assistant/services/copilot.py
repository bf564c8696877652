"""The agent copilot's decision on a suggested reply: a small LangGraph graph that holds the
suggestion (an already guarded turn run with channel "copilot") and pauses with `interrupt()`
until the agent decides — approve, edit (new text) or reject — resumed with
`Command(resume={"decision": ..., "text": ...})`.

An edited text is checked again by the output guard with the turn's own passages and figures as
context (so a figure the sources and calculators do not support is caught); it only counts as
sent if the guard passes it, otherwise the findings go back to the agent and the graph waits
for another decision. Every decision is one audit record of kind `copilot_decision`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import asdict
from typing import Any, Literal, TypedDict

from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt

from assistant.turn.result import TurnResult
from guardrails.rules import CheckContext

DECISIONS = ("approve", "edit", "reject")


class CopilotState(TypedDict, total=False):
    turn_id: str
    """the suggestion's turn (its audit record is the turn's own)"""
    thread_id: str
    participant_id: str | None
    agent: str
    """the agent's username"""
    suggestion: str
    """the guarded suggested reply"""
    context: dict[str, Any]
    """the guard's CheckContext of the turn (passages, figures, allowed phrases), as a dict"""
    decision: dict[str, Any]
    """the agent's last decision: {"decision": approve|edit|reject, "text": ...}"""
    findings: list[dict[str, Any]]
    """what the guard found in the last rejected edit (empty when it passed)"""
    status: Literal["pending", "sent", "rejected"]
    sent_text: str | None
    """what counts as sent to the caller (guarded text)"""


def _audit(deps: Any, state: CopilotState, decision: str, outcome: str, **extra: Any) -> None:
    key = deps.pseudonym(state.get("participant_id"))
    deps.audit.append(
        {
            "kind": "copilot_decision",
            "turn_id": f"copilot-{uuid.uuid4().hex}",
            "thread_id": state["thread_id"],
            "suggestion_turn_id": state["turn_id"],
            "participant_key": key,
            "actor": state["agent"],
            "decision": decision,
            "outcome": outcome,
            "at": dt.datetime.now(dt.UTC).isoformat(),
            **extra,
        }
    )


def build_copilot_graph(deps: Any, checkpointer: Any) -> Any:
    def decide(state: CopilotState) -> dict[str, Any]:
        answer = interrupt({"suggestion": state["suggestion"], "findings": state.get("findings", [])})
        if not isinstance(answer, dict) or answer.get("decision") not in DECISIONS:
            answer = {"decision": "invalid", "text": None}
        return {"decision": answer}

    def apply(state: CopilotState) -> dict[str, Any]:
        d = state["decision"]
        kind = d.get("decision")
        if kind == "approve":
            _audit(deps, state, "approve", "sent", text_sha256=_sha(state["suggestion"]))
            return {"status": "sent", "sent_text": state["suggestion"], "findings": []}
        if kind == "reject":
            _audit(deps, state, "reject", "not_sent", reason=d.get("reason"))
            return {"status": "rejected", "sent_text": None, "findings": []}
        if kind == "edit" and str(d.get("text") or "").strip():
            verdict = deps.guard.check_output(str(d["text"]).strip(), CheckContext(**state["context"]))
            findings = [f.to_dict() for f in verdict.findings if f.outcome in ("fail", "error")]
            if verdict.passed and verdict.text is not None:
                # only the guarded text is kept (the agent's raw edit may carry PII the guard redacted)
                _audit(deps, state, "edit", "sent", text_sha256=_sha(verdict.text), final_text=verdict.text)
                return {"status": "sent", "sent_text": verdict.text, "findings": []}
            _audit(
                deps,
                state,
                "edit",
                "refused_by_guard",
                text_sha256=_sha(str(d["text"])),
                guard_findings=[{k: f.get(k) for k in ("rule_id", "outcome", "rationale")} for f in findings],
            )
            return {"status": "pending", "findings": findings}
        finding = {
            "rule_id": "copilot.bad_decision",
            "outcome": "fail",
            "rationale": "Choose approve, edit with text, or reject.",
        }
        return {"status": "pending", "findings": [finding]}

    def route_after_apply(state: CopilotState) -> Literal["decide", "__end__"]:
        return "decide" if state.get("status") == "pending" else "__end__"

    g = StateGraph(CopilotState)
    g.add_node("decide", decide)
    g.add_node("apply", apply)
    g.add_edge(START, "decide")
    g.add_edge("decide", "apply")
    g.add_conditional_edges("apply", route_after_apply)
    return g.compile(checkpointer=checkpointer)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class Copilot:
    """Suggest (through the turn service) and decide (through the interrupt graph)."""

    def __init__(self, service: Any, checkpointer: Any = None) -> None:
        self.service = service
        self.deps = service.deps
        if checkpointer is None:
            from assistant.storage.checkpoints import open_checkpointer

            checkpointer = open_checkpointer(self.deps.settings, "copilot")
        self.graph = build_copilot_graph(self.deps, checkpointer)

    def suggest(self, question: str, participant_id: str, agent: str, thread_id: str | None = None) -> TurnResult:
        """Run the caller's question as a copilot turn; the graph then waits for the agent."""
        from assistant.turn.nodes.guard_output import check_context

        out = self.service.run(question, participant_id, None, thread_id, "copilot")
        state = self.service.thread_state(out.thread_id)
        ctx = check_context(state, self.deps) if state else CheckContext()
        initial: CopilotState = {
            "turn_id": out.turn_id,
            "thread_id": out.thread_id,
            "participant_id": participant_id,
            "agent": agent,
            "suggestion": out.answer,
            "context": asdict(ctx),
            "findings": [],
            "status": "pending",
            "sent_text": None,
        }
        self.graph.invoke(initial, self._config(out.turn_id), durability="exit")  # saved at the interrupt
        return out

    def decide(self, turn_id: str, decision: str, text: str | None = None) -> dict[str, Any]:
        """Resume the suggestion's graph with the agent's decision; returns its state afterwards."""
        config = self._config(turn_id)
        snap = self.graph.get_state(config)
        if not snap or not snap.values:
            raise LookupError(f"No suggestion {turn_id} is waiting for a decision.")
        if not snap.next:
            raise LookupError(f"Suggestion {turn_id} was already {snap.values.get('status')}.")
        self.graph.invoke(Command(resume={"decision": decision, "text": text}), config, durability="exit")
        return dict(self.graph.get_state(config).values)

    @staticmethod
    def _config(turn_id: str) -> dict[str, Any]:
        return {"configurable": {"thread_id": f"copilot-{turn_id}"}}
