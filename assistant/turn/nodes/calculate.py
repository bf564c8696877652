"""Run the calculation the intent names (intent registry -> `decisions.calculations.CALCULATIONS`)
over the plan's provisions and the profile."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from assistant.decisions.calculations import CALCULATIONS, Inputs
from assistant.decisions.calculators import Figure, MissingData
from assistant.turn.state import TurnState
from assistant.understanding import phrases


def _provided(state: TurnState) -> dict[str, float]:
    """Profile values the participant gave in answer to clarifying questions in this thread
    (a what-if rate, `new_pct`, counts only for the turn that gave it)."""
    out: dict[str, float] = {}
    for h in state.get("history", []):
        out.update({k: v for k, v in (h.get("provided") or {}).items() if k != "new_pct"})
    out.update(state.get("provided") or {})
    return out


def _figures(state: TurnState, deps: Any) -> list[Figure]:
    spec = deps.intents.get(state["intent"])
    if spec is None or spec.calculation is None:
        return []
    plan_id, participant_id = state.get("plan_id"), state.get("participant_id")
    person = deps.participants.get(participant_id) if participant_id else None
    provided = _provided(state)
    if person is not None and provided:
        person = person.model_copy(update={k: v for k, v in provided.items() if k in type(person).model_fields})
    text = state["text"]
    inputs = Inputs(
        plan=deps.plans.get(plan_id) if plan_id else None,
        person=person,
        limits=deps.limits_for_today,
        today=deps.today(),
        new_rate=provided.get("new_pct") or phrases.new_rate(text),
        years_ahead=phrases.years_ahead(text),
        query=state.get("route", {}).get("query", text),
    )
    return CALCULATIONS[spec.calculation](inputs)


def calculate(state: TurnState, deps: Any) -> dict[str, Any]:
    if state.get("screen", {}).get("action", "allow") != "allow":
        return {"figures": [], "missing": None}
    try:
        figures = _figures(state, deps)
    except MissingData as m:
        # a question that states the plan's own figures ("The plan allows 1% to 75%") has its section fetched
        missing = {"field": m.field_name, "question": m.question}
        return {"figures": [], "missing": missing, "passages": _with_rules(state, deps, [m.rule] if m.rule else [])}
    # the passages a calculation applies are cited, so fetch them even if search missed them
    return {
        "figures": [f.to_dict() for f in figures],
        "missing": None,
        "passages": _with_rules(state, deps, [f.rule for f in figures if f.rule]),
    }


def _with_rules(state: TurnState, deps: Any, rules: list[str]) -> list[dict[str, Any]]:
    """The turn's passages and the sections `rules` name that search did not find."""
    have = {p["citation_id"] for p in state.get("passages", [])}
    extra = []
    for rule in dict.fromkeys(rules):
        if rule not in have:
            doc_id, section = rule.split("#", 1)
            extra += [{**asdict(p), "rule_only": True} for p in deps.index.section(doc_id, section)]
            have.add(rule)
    return [*state.get("passages", []), *extra]
