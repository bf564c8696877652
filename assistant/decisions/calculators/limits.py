"""IRS contribution limits for the year, and a participant's catch-up eligibility."""

from __future__ import annotations

from assistant.decisions.calculators import Figure
from assistant.records.participants import Participant
from assistant.records.provisions import IrsLimits, PlanProvisions

LIMITS_DOC = "general/contribution-limits-2026"


def contribution_limit(limits: IrsLimits) -> list[Figure]:
    return [
        Figure(
            "elective_deferral_limit",
            limits.value("elective_deferral_402g"),
            "USD",
            {"year": limits.year},
            "calculator:limits",
            f"general/contribution-limits-{limits.year}#1",
        ),
    ]


def catch_up(limits: IrsLimits, plan: PlanProvisions | None, person: Participant | None) -> list[Figure]:
    """Catch-up limit for the year; with a profile, the person's own eligibility and limit."""
    year = limits.year
    doc = f"general/contribution-limits-{year}"
    base = limits.value("elective_deferral_402g")
    regular = limits.value("catch_up_50_plus_414v")
    super_ = limits.value("catch_up_60_to_63_414v")
    figures = [
        Figure("catch_up_limit_50_plus", regular, "USD", {"year": year}, "calculator:catch_up", f"{doc}#2"),
        Figure("catch_up_limit_60_to_63", super_, "USD", {"year": year}, "calculator:catch_up", f"{doc}#3"),
    ]
    if person is None or person.birth_date is None:
        return figures
    age = year - person.birth_date.year
    plan_rule = f"{plan.spd_doc_id}#{plan.catch_up.section}" if plan else f"{doc}#2"
    inputs: dict[str, object] = {"year": year, "age_at_year_end": age, "birth_year": person.birth_date.year}
    if age < limits.ages.catch_up_min_age:
        eligible_amount = 0.0
        reason = "under_50"
    elif plan is not None and not plan.catch_up.available:
        eligible_amount, reason = 0.0, "plan_has_no_catch_up"
    else:
        in_window = age in limits.ages.super_catch_up_ages and (plan is None or plan.catch_up.super_catch_up_60_63)
        eligible_amount = super_ if in_window else regular
        reason = "age_60_to_63" if in_window else "age_50_plus"
    wages = person.prior_year_fica_wages
    threshold = limits.value("roth_catch_up_wage_threshold")
    roth_required = wages is not None and wages > threshold
    inputs |= {"prior_year_fica_wages": wages, "roth_wage_threshold": threshold}
    if eligible_amount and roth_required and plan is not None and not plan.roth.available:
        eligible_amount, reason = 0.0, "roth_required_but_plan_has_no_roth"
    figures += [
        Figure(
            "age_at_year_end",
            age,
            "age",
            {"birth_year": person.birth_date.year, "year": year},
            "calculator:catch_up",
            None,
        ),
        Figure(
            "your_catch_up_limit", eligible_amount, "USD", inputs | {"reason": reason}, "calculator:catch_up", plan_rule
        ),
        Figure(
            "your_total_deferral_limit",
            base + eligible_amount,
            "USD",
            inputs | {"base_limit": base},
            "calculator:catch_up",
            plan_rule,
        ),
        Figure(
            "catch_up_must_be_roth", 1.0 if roth_required else 0.0, "flag", inputs, "calculator:catch_up", plan_rule
        ),
    ]
    return figures
