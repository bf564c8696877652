"""The agent's context card for one participant: plan, age, balance, deferral, vesting, loans,
recent life events and pending nudges — every figure from the profile or a calculator.

The caller records the access (assistant/records/access.py) before showing it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from assistant.decisions.calculators import MissingData
from assistant.decisions.calculators.loans import loan_maximum
from assistant.decisions.calculators.vesting import vesting

RECENT_DAYS = 365


def _age(birth: dt.date | None, today: dt.date) -> int | None:
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def context_card(deps: Any, participant_id: str, nudges: bool = True) -> dict[str, Any]:
    """Raises NotFoundError for an unknown participant."""
    from assistant.nudges.service import engine_for, pending_nudges

    person = deps.participants.get(participant_id)
    plan = deps.plans[person.plan_id]
    today = deps.today()
    try:
        vest = {f.name: f.value for f in vesting(plan, person)}
        vested_pct: Any = vest["vested_pct"]
        vested_balance: Any = vest["vested_balance"]
    except MissingData:
        vested_pct = vested_balance = None
    loan = next(f for f in loan_maximum(plan, person) if f.name == "loan_maximum")
    recent = [
        {"type": e.type, "date": e.date.isoformat()}
        for e in sorted(person.life_events, key=lambda e: e.date, reverse=True)
        if (today - e.date).days <= RECENT_DAYS
    ]
    cards = pending_nudges(deps, engine_for(deps), participant_id, today) if nudges else []
    return {
        "participant_id": person.participant_id,
        "first_name": person.first_name,
        "plan_id": plan.plan_id,
        "plan_name": plan.plan_name,
        "as_of": today.isoformat(),
        "age": _age(person.birth_date, today),
        "employment_status": person.employment_status,
        "balance": {
            "total": round(person.balance, 2),
            "employee": person.balance_employee,
            "employer": person.balance_employer,
        },
        "deferral_pct": person.deferral_pct,
        "roth_pct": person.roth_pct,
        "vested_pct": vested_pct,
        "vested_balance": vested_balance,
        "loans": {
            "outstanding": person.loans_outstanding,
            "outstanding_balance": person.outstanding_loan_balance,
            "maximum_new_loan": loan.value,
            "maximum_reason": loan.inputs.get("reason", "ok"),
        },
        "recent_life_events": recent,
        "pending_nudges": [{"id": c["id"], "title": c["title"], "text": c["text"]} for c in cards],
    }
