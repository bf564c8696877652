"""Wiring only: the nodes of one turn (DESIGN.md "One turn") and their edges."""

from __future__ import annotations

from typing import Any, Literal

from langgraph.graph import END, START, StateGraph

from assistant.turn.nodes import bind
from assistant.turn.nodes.audit import audit
from assistant.turn.nodes.calculate import calculate
from assistant.turn.nodes.draft import draft
from assistant.turn.nodes.finalize import finalize
from assistant.turn.nodes.guard_output import guard_output
from assistant.turn.nodes.retrieve import retrieve
from assistant.turn.nodes.route import route
from assistant.turn.nodes.screen_input import screen_input
from assistant.turn.state import TurnState


def route_after_screen(state: TurnState) -> Literal["route", "draft", "finalize"]:
    """Failed screen -> finalize (fail closed); refused/escalated input -> straight to a safe draft."""
    if state.get("errors"):
        return "finalize"
    return "route" if state.get("screen", {}).get("action", "allow") == "allow" else "draft"


def route_after_guard(state: TurnState) -> Literal["draft", "finalize"]:
    """An LLM draft the guard blocked is redrafted once by the grounded composer."""
    return "draft" if state.get("redraft") and not state.get("errors") else "finalize"


def build_graph(deps: Any, checkpointer: Any = None) -> Any:
    # No separate input schema: a turn's input must be able to reset every per-turn field
    # (see assistant.services.turn_service), and LangGraph drops input keys outside an input schema.
    g = StateGraph(TurnState)
    for name, fn in [
        ("screen_input", screen_input),
        ("route", route),
        ("retrieve", retrieve),
        ("calculate", calculate),
        ("draft", draft),
        ("guard_output", guard_output),
        ("finalize", finalize),
        ("audit", audit),
    ]:
        g.add_node(name, bind(name, fn, deps))  # type: ignore[call-overload,arg-type]
    g.add_edge(START, "screen_input")
    g.add_conditional_edges("screen_input", route_after_screen)
    g.add_edge("route", "retrieve")
    g.add_edge("retrieve", "calculate")
    g.add_edge("calculate", "draft")
    g.add_edge("draft", "guard_output")
    g.add_conditional_edges("guard_output", route_after_guard)
    g.add_edge("finalize", "audit")
    g.add_edge("audit", END)
    return g.compile(checkpointer=checkpointer)
