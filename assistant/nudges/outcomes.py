"""Outcomes of delivered nudges: shown, opened, dismissed, remind later, acted.

`acted` is not self-reported: it is a matching profile change within the nudge's window (for
example a higher deferral within 60 days of a missed-match nudge), detected by comparing the
current profile with the baseline kept when the decision was made. The same check runs for the
hold-out group, so acted rates can be compared.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from assistant.nudges.catalog import Catalog
from assistant.nudges.errors import BadDateError
from assistant.nudges.store import OUTCOME_EVENTS, NudgeStore
from assistant.records.participants import Participant


def record_outcome(store: NudgeStore, decision_id: str, event: str, day: dt.date) -> bool:
    """Record one outcome; unknown decisions and event names are refused with what is allowed."""
    if event not in OUTCOME_EVENTS:
        raise BadDateError(f"'{event}' is not an outcome; use one of {', '.join(OUTCOME_EVENTS)}.")
    d = store.decision(decision_id)  # raises UnknownNudgeError
    if d.status not in ("sent", "held_out"):
        raise BadDateError(f"decision '{decision_id}' was {d.status}, not delivered; outcomes apply to sent nudges.")
    if day < d.as_of:
        raise BadDateError(f"the outcome date {day} is before the nudge was decided ({d.as_of}).")
    return store.add_outcome(decision_id, event, day)


def _moved(direction: str, before: float | None, now: float | None) -> bool:
    if before is None or now is None:
        return False
    if direction == "increase":
        return now > before
    if direction == "decrease":
        return now < before
    return now != before


@dataclass
class ActedReport:
    checked: int = 0
    acted: int = 0


def detect_actions(store: NudgeStore, catalog: Catalog, people: dict[str, Participant], as_of: dt.date) -> ActedReport:
    """Mark `acted` for delivered (sent or held-out) decisions whose success change has happened."""
    report = ActedReport()
    done = store.outcomes()
    for d in store.decisions(status=("sent", "held_out")):
        spec = catalog.by_id.get(d.nudge_id)
        if spec is None or spec.success is None or "acted" in done.get(d.decision_id, {}):
            continue
        if not d.as_of <= as_of <= d.as_of + dt.timedelta(days=spec.success.within_days):
            continue
        person = people.get(d.participant_id)
        if person is None:
            continue
        report.checked += 1
        before = d.baseline.get(spec.success.field)
        now = getattr(person, spec.success.field)
        if _moved(spec.success.direction, before, now):
            store.add_outcome(
                d.decision_id, "acted", as_of, {"field": spec.success.field, "before": before, "after": now}
            )
            report.acted += 1
    return report


def parse_date(text: str, what: str = "--as-of") -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadDateError(f"{what} '{text}' is not a date; use YYYY-MM-DD, e.g. 2026-11-23.") from None
