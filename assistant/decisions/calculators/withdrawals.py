"""Money while still working: a loan, a hardship withdrawal or an emergency expense withdrawal,
side by side, with whether the stated reason qualifies as a hardship under the plan."""

from __future__ import annotations

import datetime as dt
import re

from assistant.decisions.calculators import Figure
from assistant.decisions.calculators.contributions import hardship_eligibility
from assistant.decisions.calculators.distributions import additional_tax
from assistant.decisions.calculators.loans import loan_maximum
from assistant.records.participants import Participant
from assistant.records.provisions import PlanProvisions

# plain words for each hardship reason the regulation recognises (Treas. Reg. 1.401(k)-1(d)(3)(ii)(B))
REASON_WORDS: dict[str, re.Pattern[str]] = {
    "eviction_foreclosure": re.compile(r"\bevict|\bforeclos|\bbehind on (my )?(rent|mortgage)\b", re.I),
    "medical": re.compile(
        r"\bmedical|\bhospital|\bdoctor|\bsurgery|\bdental|\btreatment\b|\bmedicine|\bhealth bills?\b", re.I
    ),
    "tuition": re.compile(r"\btuition|\bcollege\b|\buniversity\b|\bschool fees\b", re.I),
    "funeral": re.compile(r"\bfuneral|\bburial\b", re.I),
    "principal_residence_purchase": re.compile(
        r"\b(buy|buying|purchase|purchasing)\b.{0,20}\b(house|home|condo)\b|\bdown ?payment\b", re.I
    ),
    "casualty_repair": re.compile(
        r"\b(fire|flood|storm|tree)\b.{0,30}\bdamage|\brepair\w*\b.{0,30}\b(damage|roof)", re.I
    ),
    "federal_disaster": re.compile(r"\b(federal(ly)? declared )?disaster\b|\bhurricane\b|\bwildfire\b", re.I),
}
NOT_HARDSHIP = re.compile(
    r"\b(credit cards?|car (payments?|repairs?|loans?)|(car|truck)\b.{0,20}\b(broke|broken|repairs?|fix\w*|totall?ed|wrecked|"
    r"crashed|stolen)|"
    r"(repair|fix)\w* (my |the )?(car|truck)|vacation|wedding|pay off (my )?debts?|bills?)\b",
    re.I,
)
"""a need named that no reason covers ("my car broke down and I need $3000 fast" and "pay off credit cards" were not
told that their need may not be one the plan accepts)"""


WORKPLACE_AT = re.compile(
    r"\b(work|works|working|worked|job|employed|employee|nurse)\b[^.?!]{0,20}?\b(at|for|in) (the|my|our|a) "
    r"(hospital|clinic|medical cent(er|re)|doctor'?s office)\b",
    re.I,
)
"""the workplace, not a need ("I'm 62 and still working at the hospital, can I take some money out now?" was told its
plan accepts hardship withdrawals for medical care)"""


def hardship_reason(text: str) -> str | None:
    """The regulation's reason named in the message, "other" for a need no reason covers, or None."""
    text = WORKPLACE_AT.sub(" ", text)
    for reason, rx in REASON_WORDS.items():
        if rx.search(text):
            return reason
    return "other" if NOT_HARDSHIP.search(text) else None


def money_now(plan: PlanProvisions, person: Participant, today: dt.date, reason: str | None) -> list[Figure]:
    """Loan maximum, hardship eligibility for the reason (if one was named), the emergency expense
    withdrawal and whether the 10% additional tax would apply to a withdrawal today."""
    figures = loan_maximum(plan, person)
    if reason is not None:
        figures += hardship_eligibility(plan, reason)
    emergency = plan.emergency_expense_withdrawal
    figures.append(
        Figure(
            "emergency_withdrawal_max",
            emergency.max_amount if emergency.available else 0.0,
            "USD",
            {"available": emergency.available},
            "calculator:withdrawals",
            f"{plan.spd_doc_id}#{emergency.section}",
        )
    )
    if person.birth_date is not None:
        figures += additional_tax(plan, person, today)
    return figures
