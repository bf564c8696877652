"""Decision playbooks of the grounded composer: the person's figures, the options side by side with
their trade-offs, the plan rules cited, the disclosures, and the next step. Education, never a
recommendation: every option is described with what it costs and what it keeps.

A playbook is a function `(kit, ctx) -> Draft` (`assistant.decisions.drafts.Kit`: the text blocks
and the extractive answer). `PLAYBOOKS` is the explicit registry an intent's `playbook` names
(`assistant/decisions/intents.yaml`); an intent without one gets the extractive answer.
"""

from __future__ import annotations

from assistant.decisions.drafts import Playbook
from assistant.decisions.playbooks import (
    accounts,
    beneficiaries,
    boundaries,
    contact,
    distributions,
    enrollment,
    leaving,
    limits,
    loan,
    match,
    money_now,
    roth,
    vesting,
)

PLAYBOOKS: dict[str, Playbook] = {
    "match": match.match,
    "contribution_limit": limits.contribution_limit,
    "catch_up": limits.catch_up,
    "advice": boundaries.advice,
    "human": boundaries.human,
    "greeting": boundaries.greeting,
    "out_of_scope": boundaries.out_of_scope,
    "roth": roth.roth,
    "money_now": money_now.money_now,
    "leaving": leaving.leaving,
    "distributions": money_now.distributions,
    "beneficiaries": beneficiaries.beneficiaries,
    "vesting": vesting.vesting,
    "loan": loan.loan,
    "rmd": distributions.rmd,
    "early_withdrawal": distributions.early_withdrawal,
    "enrollment": enrollment.enrollment,
    "account": enrollment.account,
    "contact": contact.contact,
    "account_types": accounts.account_types,
}
