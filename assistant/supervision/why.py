""" "Why am I seeing this?": an answer or a nudge explains itself in plain words, from its audit
record alone (what the person asked and what was found, the sources, the rule or life event that
triggered a nudge, and which of the person's data was used).

Values of the person's data are shown only to that person (`own=True`); anyone else (staff reading
it for them) sees the field names only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assistant.nudges.events import EVENT_KINDS

PERSONAL_FIELDS: dict[str, str] = {
    "annual_pay": "your annual pay",
    "deferral_pct": "your contribution rate",
    "current_pct": "your contribution rate",
    "current_deferral_pct": "your contribution rate",
    "roth_pct": "the Roth part of your contribution",
    "pretax_pct": "the pre-tax part of your contribution",
    "birth_date": "your date of birth",
    "birth_year": "your year of birth",
    "age_at_year_end": "your age at the end of the year",
    "age_in_leave_year": "your age in the year you leave",
    "years_of_vesting_service": "your years of vesting service",
    "employee_balance": "your own contributions' balance",
    "employer_balance": "your employer contributions' balance",
    "balance_employee": "your own contributions' balance",
    "balance_employer": "your employer contributions' balance",
    "balance_total": "your account balance",
    "vested_balance": "your vested balance",
    "loans_outstanding": "the loans you have now",
    "outstanding_loan_balance": "what you still owe on loans",
    "highest_balance_12m": "your highest loan balance in the last 12 months",
    "prior_year_fica_wages": "last year's wages",
    "marital_status": "your marital status",
    "separated": "your last day of work",
    "already_left": "whether you have left your job",
    "still_employed": "whether you still work for the employer",
    "life_event_date": "the date of your life event",
}
"""calculator inputs that come from the person's own profile (the rest are plan or IRS rules)"""

PLAIN_EVENTS = {
    "profile.missed_match": "your contribution rate being below the rate that earns the full match",
    "date.age_50": "your 50th birthday (catch-up contributions start that year)",
    "date.age_55": "your 55th birthday (leaving your job in or after that year changes the early-withdrawal tax)",
    "date.age_59_half": "reaching age 59 and a half",
    "date.window_60_63": "reaching age 60 to 63 this year (a higher catch-up limit)",
    "date.rmd_age": "reaching the age for required minimum distributions",
    "date.auto_escalation": "your next automatic contribution increase",
    "date.auto_enrollment_start": "the day automatic enrollment starts for you",
    "date.plan_deadline": "a deadline your plan announced",
    "behaviour.loan_hardship_questions": "several loan or hardship questions you asked",
    "market.drop": "a market decline your plan announced",
}

SOURCES = {
    "hr_feed": "your employer's HR records",
    "roster": "your plan record",
    "dates": "your date of birth and the plan's rules",
    "conversations": "questions you asked Beacon",
    "market": "a market event your plan announced",
    "profile": "your contribution rate on file",
}

ACTIONS = {
    "refuse": "Beacon did not answer this one",
    "escalate": "Beacon passed this to a person",
    "clarify": "Beacon asked one question first",
}
REASONS = {
    "advice": "it asked which investment to choose, which is advice Beacon does not give",
    "injection": "the message tried to change Beacon's instructions",
    "out_of_scope": "it is outside what your retirement plan covers",
    "guard_blocked": "the draft did not pass Beacon's compliance check",
    "privacy": "it asked about another person's information",
    "human_requested": "you asked to talk to a person",
    "crisis": "the message suggested you may need support from a person right away",
    "fraud": "the message suggested someone may be pressuring you",
    "scam_question": "it asked how to tell a scam, which Beacon answers with the warning signs",
    "no_source": "your plan documents do not answer it reliably",
    "unavailable": "part of Beacon was not available at that moment",
    "missing_data": "a figure needed a value we do not have",
}


def data_used(calculations: list[dict[str, Any]], own: bool) -> list[dict[str, Any]]:
    """The person's own fields behind the figures: name and plain label; the value only for them."""
    seen: dict[str, dict[str, Any]] = {}
    for f in calculations:
        for key, value in (f.get("inputs") or {}).items():
            if key in PERSONAL_FIELDS and key not in seen:
                seen[key] = {"field": key, "label": PERSONAL_FIELDS[key], **({"value": value} if own else {})}
    return list(seen.values())


MONEY = {
    "annual_pay", "employee_balance", "employer_balance", "balance_employee", "balance_employer", "balance_total",
    "vested_balance", "outstanding_loan_balance", "highest_balance_12m", "prior_year_fica_wages",
}  # fmt: skip
PERCENT = {"deferral_pct", "current_pct", "current_deferral_pct", "roth_pct", "pretax_pct"}


def _value(field: str, v: Any) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if field in MONEY and isinstance(v, int | float):
        return f"${v:,.2f}"
    if field in PERCENT and isinstance(v, int | float):
        return f"{v:g}%"
    return str(v)


def _guard_line(record: dict[str, Any]) -> str | None:
    findings = [f for f in record.get("guard_findings", []) if f.get("stage") == "output"]
    if not findings:
        return None
    added = [f for f in findings if f.get("outcome") == "transform"]
    line = f"Before you saw it, it passed {len({f.get('rule_id') for f in findings})} compliance checks"
    return line + (" (a required disclosure was added)." if added else ".")


def explain(
    record: dict[str, Any],
    own: bool,
    source_info: Callable[[str], dict[str, Any]],
    topic_of: Callable[[str | None], str | None] = lambda _i: None,
) -> dict[str, Any]:
    """The explanation of one turn or nudge record (see the module docstring)."""
    calcs = record.get("calculations") or []
    used = data_used(calcs, own)
    is_nudge = record.get("kind") == "nudge"
    because: list[str] = []
    if is_nudge:
        event = record.get("event") or {}
        nudge = record.get("nudge") or {}
        kind = str(event.get("kind", ""))
        what = PLAIN_EVENTS.get(kind) or (
            f"a {kind[3:].replace('_', ' ')} in your records" if kind.startswith("hr.") else EVENT_KINDS.get(kind, kind)
        )
        because.append(
            f"This note was triggered by {what}, dated {event.get('date')}, which we know from "
            f"{SOURCES.get(str(event.get('source')), 'your records')}."
        )
        because.append(
            f"The plan's rule '{nudge.get('id')}' (version {nudge.get('version')}, approved by compliance) sends it "
            "when that happens, unless you opted out or had a similar note recently."
        )
        sources: list[dict[str, Any]] = []
    else:
        topic = topic_of(record.get("intent"))
        because.append(f"You asked about {topic}." if topic else "This replies to your message.")
        action = record.get("final_action")
        if action in ACTIONS:
            why = REASONS.get(str(record.get("final_reason")), "")
            because.append(f"{ACTIONS[action]}{': ' + why if why else ''}.")
        sources = [source_info(c) for c in record.get("citations", [])]
        if sources:
            because.append("It is based on " + "; ".join(s["label"] for s in sources) + ".")
    rules = sorted({str(f["rule"]) for f in calcs if f.get("rule")})
    if calcs and is_nudge:
        because.append(f"The {len(calcs)} figures behind it were worked out from your records and your plan's rules.")
    elif calcs:
        because.append(
            f"{len(calcs)} figure(s) were worked out for you"
            + (" under " + ", ".join(source_info(r)["label"] for r in rules) if rules else "")
            + "."
        )
    if used:
        if own:
            because.append(
                "From your records we used: "
                + "; ".join(f"{u['label']} ({_value(u['field'], u['value'])})" for u in used)
                + "."
            )
        else:
            because.append(
                "From the participant's records it used: "
                + ", ".join(u["label"] for u in used)
                + " (values are shown only to the participant)."
            )
    elif calcs or is_nudge:
        because.append("None of your personal data was needed beyond your plan.")
    else:
        because.append("No personal data of yours was used.")
    if (guard := _guard_line(record)) is not None:
        because.append(guard)
    return {
        "turn_id": record["turn_id"],
        "kind": "nudge" if is_nudge else "answer",
        "action": record.get("final_action"),
        "because": because,
        "text": " ".join(because),
        "sources": sources,
        "rules": rules,
        "data_used": used,
        "values_shown": own,
    }


def source_info_from(index: Any) -> Callable[[str], dict[str, Any]]:
    """citation id `doc_id#section` -> title, section title and effective date, from the index."""
    cache: dict[str, dict[str, Any]] = {}

    def info(citation: str) -> dict[str, Any]:
        if citation not in cache:
            doc_id, _, section = citation.partition("#")
            entry = index.entry(doc_id) if index is not None else None
            parts = index.section(doc_id, section) if index is not None and section else []
            section_title = parts[0].metadata.get("section_title") if parts else None
            title = entry.title if entry else doc_id
            label = (
                f"{title}, section {section}" + (f" ({section_title})" if section_title else "") if section else title
            )
            cache[citation] = {
                "id": citation,
                "title": title,
                "section": section or None,
                "section_title": section_title,
                "effective_date": entry.effective_date if entry else None,
                "label": label,
            }
        return cache[citation]

    return info
