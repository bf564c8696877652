"""Beneficiary review after a life event: the event on file and what the law does by default."""

from __future__ import annotations

import datetime as dt

from assistant.decisions.calculators import Figure
from assistant.records.participants import Participant
from assistant.records.provisions import PlanProvisions

REVIEW_EVENTS = ("marriage", "divorce", "birth", "adoption", "death_in_family")
BIRTH_DISTRIBUTION_MAX = 5000.0  # IRC 72(t)(2)(H): qualified birth or adoption distribution, per child


def beneficiary_review(plan: PlanProvisions, person: Participant, today: dt.date) -> list[Figure]:
    src = "calculator:beneficiaries"
    rule = f"{plan.spd_doc_id}#{plan.sections['beneficiaries']}"
    figures = [
        Figure(
            "spouse_is_default_beneficiary",
            1.0 if person.marital_status == "married" else 0.0,
            "flag",
            {"marital_status": person.marital_status},
            src,
            rule,
        )
    ]
    events = sorted((e for e in person.life_events if e.type in REVIEW_EVENTS), key=lambda e: e.date)
    if not events:
        return figures
    last = events[-1]
    figures.append(Figure("life_event_date", last.date.isoformat(), "date", {"event": last.type}, src, rule))
    if last.type in ("birth", "adoption"):
        # the 1-year period beginning on the date of birth or adoption ends the day before the anniversary
        try:
            anniversary = last.date.replace(year=last.date.year + 1)
        except ValueError:  # born on February 29
            anniversary = dt.date(last.date.year + 1, 3, 1)
        deadline = anniversary - dt.timedelta(days=1)
        figures += [
            Figure("birth_distribution_max", BIRTH_DISTRIBUTION_MAX, "USD", {}, src, "general/life-events#3"),
            Figure(
                "birth_distribution_deadline",
                deadline.isoformat(),
                "date",
                {"event_date": last.date.isoformat(), "open": today <= deadline},
                src,
                "general/life-events#3",
            ),
        ]
    return figures
