"""Required minimum distributions and the 10% additional tax on early distributions."""

from __future__ import annotations

import calendar
import datetime as dt

from assistant.decisions.calculators import Figure, MissingData
from assistant.records.participants import Participant
from assistant.records.provisions import IrsLimits, PlanProvisions


def rmd_age(limits: IrsLimits, birth_year: int) -> int | None:
    """73 for 1951-1959, 75 for 1960 and later (SECURE 2.0 sec. 107); None if born earlier."""
    for row in limits.ages.rmd_age_by_birth_year:
        if birth_year >= row.born_from and (row.born_to is None or birth_year <= row.born_to):
            return row.age
    return None


def rmd_start(plan: PlanProvisions, person: Participant, limits: IrsLimits) -> list[Figure]:
    if person.birth_date is None:
        raise MissingData("birth_date", "What is your date of birth (or at least the year you were born)?")
    age = rmd_age(limits, person.birth_date.year)
    rule = f"{plan.spd_doc_id}#{plan.sections['rmd']}"
    src = "calculator:rmd"
    if age is None:
        return [
            Figure(
                "rmd_age",
                0,
                "age",
                {"birth_year": person.birth_date.year, "note": "born before 1951: already past the RMD age"},
                src,
                rule,
            )
        ]
    year_reached = person.birth_date.year + age
    working = person.employment_status == "active"
    inputs = {"birth_year": person.birth_date.year, "rmd_age": age, "still_employed": working}
    figures = [
        Figure("rmd_age", age, "age", inputs, src, rule),
        Figure("rmd_age_year", year_reached, "year", inputs, src, rule),
    ]
    if working:
        figures.append(Figure("rmd_delayed_while_working", 1.0, "flag", inputs, src, rule))
    else:
        figures.append(Figure("first_rmd_due", dt.date(year_reached + 1, 4, 1).isoformat(), "date", inputs, src, rule))
    return figures


def age_59_and_a_half_on(b: dt.date) -> dt.date:
    """The day a person born on `b` reaches 59½ (six calendar months after the 59th birthday)."""
    year, month = b.year + 59 + (b.month + 6 > 12), (b.month + 6 - 1) % 12 + 1
    return dt.date(year, month, min(b.day, calendar.monthrange(year, month)[1]))


def additional_tax(plan: PlanProvisions, person: Participant, today: dt.date) -> list[Figure]:
    """Whether the 10% additional tax (IRC 72(t)) would apply to a distribution today."""
    if person.birth_date is None:
        raise MissingData("birth_date", "What is your date of birth (or at least the year you were born)?")
    b = person.birth_date
    half_birthday = age_59_and_a_half_on(b)
    src = "calculator:additional_tax"
    rule = f"{plan.spd_doc_id}#{plan.sections['taxes']}"
    separated_55 = (
        person.employment_status == "terminated"
        and person.termination_date is not None
        and person.termination_date.year >= b.year + 55
    )
    if today >= half_birthday:
        applies, reason = 0.0, "age_59_and_a_half"
    elif separated_55:
        applies, reason = 0.0, "separated_in_or_after_year_of_55"
    else:
        applies, reason = 1.0, "before_59_and_a_half"
    inputs = {
        "birth_date": b.isoformat(),
        "age_59_and_a_half_on": half_birthday.isoformat(),
        "separated": person.termination_date.isoformat() if person.termination_date else None,
        "reason": reason,
    }
    return [
        Figure("additional_tax_applies", applies, "flag", inputs, src, rule),
        Figure("additional_tax_rate", 10.0, "percent", {}, src, "general/additional-tax#1"),
        Figure("age_59_and_a_half_on", half_birthday.isoformat(), "date", inputs, src, rule),
    ]
