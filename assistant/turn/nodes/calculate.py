"""Run the calculators the intent needs over the plan's provisions and the profile."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from assistant.decisions.calculators import MissingData
from assistant.decisions.calculators.beneficiaries import beneficiary_review
from assistant.decisions.calculators.contributions import contribution_change, escalation_schedule
from assistant.decisions.calculators.distributions import additional_tax, rmd_start
from assistant.decisions.calculators.leaving import leaving_options
from assistant.decisions.calculators.limits import catch_up, contribution_limit
from assistant.decisions.calculators.loans import loan_maximum
from assistant.decisions.calculators.match import employer_match
from assistant.decisions.calculators.roth import roth_comparison
from assistant.decisions.calculators.vesting import account_summary, vesting
from assistant.decisions.calculators.withdrawals import hardship_reason, money_now
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


def _figures(state: TurnState, deps: Any) -> list[Any]:
    intent, plan_id, participant_id = state["intent"], state.get("plan_id"), state.get("participant_id")
    plan = deps.plans.get(plan_id) if plan_id else None
    limits = deps.limits_for_today  # looked up only by the calculations that need the year's IRS limits
    person = deps.participants.get(participant_id) if participant_id else None
    provided = _provided(state)
    if person is not None and provided:
        person = person.model_copy(update={k: v for k, v in provided.items() if k in type(person).model_fields})
    text = state["text"]
    query = state.get("route", {}).get("query", text)
    if intent == "contribution_limit":
        return contribution_limit(limits()) + catch_up(limits(), plan, person)
    if intent == "catch_up":
        return catch_up(limits(), plan, person)
    if intent == "roth" and plan is not None:
        return roth_comparison(plan, person, limits())
    if plan is None or person is None:
        return []
    today = deps.today()
    if intent in ("match", "enrollment"):
        figures = (
            employer_match(plan, person, limits(), today)
            if intent == "match" or not person.auto_enrolled
            else escalation_schedule(plan, person, today)
        )
        rate = provided.get("new_pct") or phrases.new_rate(text)
        if rate is not None and rate != person.deferral_pct:
            figures += contribution_change(plan, person, limits(), rate)
        return figures
    if intent == "vesting":
        return vesting(plan, person, phrases.years_ahead(text))
    if intent == "account":
        return account_summary(plan, person)
    if intent == "loan":
        return loan_maximum(plan, person)
    if intent == "hardship" or (intent == "distributions" and person.employment_status == "active"):
        return money_now(plan, person, today, hardship_reason(query))
    if intent in ("rollover", "distributions"):
        return leaving_options(plan, person, limits(), today, phrases.years_ahead(text))
    if intent == "rmd":
        return rmd_start(plan, person, limits())
    if intent == "early_withdrawal":
        return additional_tax(plan, person, today)
    if intent == "beneficiary":
        return beneficiary_review(plan, person, today)
    return []


def calculate(state: TurnState, deps: Any) -> dict[str, Any]:
    if state.get("screen", {}).get("action", "allow") != "allow":
        return {"figures": [], "missing": None}
    try:
        figures = _figures(state, deps)
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
