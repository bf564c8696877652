"""The person's figures for an intent: which calculators run, over which inputs.

`CALCULATIONS` is the explicit registry an intent's `calculation` names (intents.yaml). Each entry
is a small function of `Inputs`; the calculators themselves are in `calculators/`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from assistant.decisions.calculators import Figure
from assistant.decisions.calculators.beneficiaries import beneficiary_review
from assistant.decisions.calculators.contributions import contribution_change, contribution_range, escalation_schedule
from assistant.decisions.calculators.distributions import additional_tax, rmd_start
from assistant.decisions.calculators.leaving import leaving_options
from assistant.decisions.calculators.limits import catch_up, contribution_limit
from assistant.decisions.calculators.loans import loan_maximum
from assistant.decisions.calculators.match import employer_match
from assistant.decisions.calculators.roth import roth_comparison
from assistant.decisions.calculators.vesting import account_summary, vesting
from assistant.decisions.calculators.withdrawals import hardship_reason, money_now
from assistant.records.participants import Participant
from assistant.records.provisions import IrsLimits, PlanProvisions


@dataclass
class Inputs:
    plan: PlanProvisions | None
    person: Participant | None
    """the profile, with values the person gave in answer to clarifying questions applied"""
    limits: Callable[[], IrsLimits]
    """the year's IRS limits, looked up only by the calculations that need them"""
    today: dt.date
    new_rate: float | None
    """a contribution rate the person asked about ("what if I went to 8%?")"""
    years_ahead: int
    """0 for now; N for "if I leave in N years" """
    query: str
    """the stand-alone question (follow-ups expanded), where a hardship reason is looked for"""


Calculation = Callable[[Inputs], list[Figure]]


def _limits(i: Inputs) -> list[Figure]:
    return (
        contribution_limit(i.limits())
        + catch_up(i.limits(), i.plan, i.person)
        + (contribution_range(i.plan) if i.plan is not None else [])
    )


def _catch_up(i: Inputs) -> list[Figure]:
    return catch_up(i.limits(), i.plan, i.person)


def _roth(i: Inputs) -> list[Figure]:
    return roth_comparison(i.plan, i.person, i.limits()) if i.plan is not None else []


def _personal(fn: Callable[[PlanProvisions, Participant, Inputs], list[Figure]]) -> Calculation:
    """A calculation that needs both the plan's rules and the person's profile (none without them)."""

    def run(i: Inputs) -> list[Figure]:
        return fn(i.plan, i.person, i) if i.plan is not None and i.person is not None else []

    return run


def _match(plan: PlanProvisions, person: Participant, i: Inputs, escalation: bool = False) -> list[Figure]:
    # enrollment: the escalation schedule (for a person who chose their own rate, only its flag that the rate does
    # not rise by itself), after the match figures unless the plan enrolled the person automatically
    figures = [] if escalation and person.auto_enrolled else employer_match(plan, person, i.limits(), i.today)
    if escalation:
        figures += escalation_schedule(plan, person, i.today)
    if i.new_rate is not None and i.new_rate != person.deferral_pct:
        figures += contribution_change(plan, person, i.limits(), i.new_rate)
    return figures


def _money_now(plan: PlanProvisions, person: Participant, i: Inputs) -> list[Figure]:
    return money_now(plan, person, i.today, hardship_reason(i.query))


def _leaving(plan: PlanProvisions, person: Participant, i: Inputs) -> list[Figure]:
    return leaving_options(plan, person, i.limits(), i.today, i.years_ahead)


CALCULATIONS: dict[str, Calculation] = {
    "contribution_limit": _limits,
    "catch_up": _catch_up,
    "roth": _roth,
    "match": _personal(_match),
    "enrollment": _personal(lambda plan, person, i: _match(plan, person, i, escalation=True)),
    "vesting": _personal(lambda plan, person, i: vesting(plan, person, i.years_ahead)),
    "account": _personal(lambda plan, person, i: account_summary(plan, person)),
    "loan": _personal(lambda plan, person, i: loan_maximum(plan, person)),
    "money_now": _personal(_money_now),
    "leaving": _personal(_leaving),
    # taking money out: while working, the money-now options; after leaving, the leaving options
    "distributions": _personal(
        lambda plan, person, i: (_money_now if person.employment_status == "active" else _leaving)(plan, person, i)
    ),
    "rmd": _personal(lambda plan, person, i: rmd_start(plan, person, i.limits())),
    "early_withdrawal": _personal(lambda plan, person, i: additional_tax(plan, person, i.today)),
    "beneficiaries": _personal(lambda plan, person, i: beneficiary_review(plan, person, i.today)),
}
