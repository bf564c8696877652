"""Run the calculators the intent needs over the plan's provisions and the profile."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from assistant.calculators import MissingData
from assistant.calculators.contributions import escalation_schedule
from assistant.calculators.distributions import additional_tax, rmd_start
from assistant.calculators.limits import catch_up, contribution_limit
from assistant.calculators.loans import loan_maximum
from assistant.calculators.match import employer_match
from assistant.calculators.vesting import account_summary, vesting
from assistant.state import TurnState


def _figures(intent: str, deps: Any, plan_id: str | None, participant_id: str | None) -> list[Any]:
    plan = deps.plans.get(plan_id) if plan_id else None
    limits = deps.limits_for_today  # looked up only by the calculations that need the year's IRS limits
    person = deps.participants.get(participant_id) if participant_id else None
    if intent == "contribution_limit":
        return contribution_limit(limits()) + catch_up(limits(), plan, person)
    if intent == "catch_up":
        return catch_up(limits(), plan, person)
    if plan is None or person is None:
        return []
    if intent == "match":
        return employer_match(plan, person, limits(), deps.today())
    if intent == "vesting":
        return vesting(plan, person)
    if intent == "account":
        return account_summary(plan, person)
    if intent == "loan":
        return loan_maximum(plan, person)
    if intent == "rmd":
        return rmd_start(plan, person, limits())
    if intent == "early_withdrawal":
        return additional_tax(plan, person, deps.today())
    if intent == "enrollment" and person.auto_enrolled:
        return escalation_schedule(plan, person, deps.today())
    return []


def calculate(state: TurnState, deps: Any) -> dict[str, Any]:
    if state.get("screen", {}).get("action", "allow") != "allow":
        return {"figures": [], "missing": None}
    try:
        figures = _figures(state["intent"], deps, state.get("plan_id"), state.get("participant_id"))
    except MissingData as m:
        return {"figures": [], "missing": {"field": m.field_name, "question": m.question}}
    # the passages a calculation applies are cited, so fetch them even if search missed them
    have = {p["citation_id"] for p in state.get("passages", [])}
    extra = []
    for rule in dict.fromkeys(f.rule for f in figures if f.rule):
        if rule not in have:
            doc_id, section = rule.split("#", 1)
            extra += [{**asdict(p), "rule_only": True} for p in deps.index.section(doc_id, section)]
            have.add(rule)
    return {
        "figures": [f.to_dict() for f in figures],
        "missing": None,
        "passages": [*state.get("passages", []), *extra],
    }
