"""Nudge state in Beacon's database (SQLite or PostgreSQL): feed events, contact preferences,
conversation intents (by pseudonymous key), decisions, the outbox and outcomes.

No raw PII is stored: participants appear by roster id (as in the participants table) and, where
a record leaves Beacon (outbox), only by pseudonymous key.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update

from assistant.nudges.errors import UnknownNudgeError
from assistant.nudges.feeds import FeedReport, FeedRow, PreferenceRow
from assistant.nudges.policy import Delivery, PersonState
from assistant.storage import schema as s
from assistant.storage.database import Database

DELIVERED = ("sent", "held_out")
OUTCOME_EVENTS = ("shown", "opened", "acted", "dismissed", "remind_later")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


@dataclass(frozen=True)
class StoredDecision:
    decision_id: str
    as_of: dt.date
    participant_id: str
    nudge_id: str
    category: str
    event_key: str
    status: str
    reason: str
    channels: list[str]
    baseline: dict[str, Any]


class NudgeStore:
    def __init__(self, db: Database) -> None:
        self.db = db  # the chat, the API and batch workers on any host read and write it at once

    def close(self) -> None:
        """The database belongs to whoever opened it; nothing to release here."""

    # feeds ---------------------------------------------------------------------------------
    def add_feed_events(self, rows: Iterable[FeedRow]) -> FeedReport:
        report = FeedReport()
        values = [
            {"participant_id": r.participant_id, "event": r.event, "effective_date": r.effective_date.isoformat()}
            for r in rows
        ]
        now = _now()
        with self.db.write() as conn:
            for start in range(0, len(values), 5000):
                chunk = [v | {"loaded_at": now} for v in values[start : start + 5000]]
                stmt = self.db.insert(s.feed_events).on_conflict_do_nothing()
                added = len(conn.execute(stmt.returning(s.feed_events.c.participant_id), chunk).all())
                report.added += added
                report.unchanged += len(chunk) - added
        return report

    def add_preferences(self, rows: Iterable[PreferenceRow]) -> FeedReport:
        report = FeedReport()
        t = s.contact_preferences
        with self.db.write() as conn:
            for r in rows:
                key = {
                    "participant_id": r.participant_id,
                    "channel": r.channel,
                    "effective_date": r.effective_date.isoformat(),
                }
                old = conn.execute(select(t.c.status).where(*(t.c[k] == v for k, v in key.items()))).scalar()
                if old == r.status:
                    report.unchanged += 1
                    continue
                stmt = self.db.insert(t).values(key | {"status": r.status, "loaded_at": _now()})
                conn.execute(
                    stmt.on_conflict_do_update(
                        index_elements=list(key), set_={"status": r.status, "loaded_at": stmt.excluded.loaded_at}
                    )
                )
                report.added += 1
        return report

    def feed_events(self) -> dict[str, list[tuple[str, dt.date]]]:
        out: dict[str, list[tuple[str, dt.date]]] = {}
        t = s.feed_events.c
        for pid, event, day in self._all(select(t.participant_id, t.event, t.effective_date)):
            out.setdefault(pid, []).append((event, dt.date.fromisoformat(day)))
        return out

    def _all(self, query: Any) -> list[Any]:
        with self.db.read() as conn:
            return list(conn.execute(query).all())

    # intents -------------------------------------------------------------------------------
    def add_intent(self, turn_id: str, participant_key: str, intent: str, day: dt.date) -> bool:
        row = {"turn_id": turn_id, "participant_key": participant_key, "intent": intent, "day": day.isoformat()}
        with self.db.write() as conn:
            cur = conn.execute(self.db.insert(s.intents).values(row).on_conflict_do_nothing())
        return bool(cur.rowcount)

    def intent_dates(self, intents: list[str]) -> dict[str, list[dt.date]]:
        out: dict[str, list[dt.date]] = {}
        t = s.intents.c
        for key, day in self._all(select(t.participant_key, t.day).where(t.intent.in_(intents))):
            out.setdefault(key, []).append(dt.date.fromisoformat(day))
        return out

    # state for the policy ------------------------------------------------------------------
    def states(self) -> dict[str, PersonState]:
        """Every participant's policy state in a few bulk queries (decisions, outcomes, preferences)."""
        states: dict[str, PersonState] = {}
        d, o, p = s.decisions.c, s.outcomes.c, s.contact_preferences.c
        with self.db.read() as conn:
            for pid, nudge, key, as_of, category in conn.execute(
                select(d.participant_id, d.nudge_id, d.event_key, d.as_of, d.category).where(d.status.in_(DELIVERED))
            ):
                states.setdefault(pid, PersonState()).deliveries.append(
                    Delivery(nudge, key, dt.date.fromisoformat(as_of), category)
                )
            joined = s.outcomes.join(s.decisions, o.decision_id == d.decision_id)
            for pid, nudge, event, day in conn.execute(
                select(d.participant_id, d.nudge_id, o.event, o.day)
                .select_from(joined)
                .where(o.event.in_(("acted", "dismissed")))
            ):
                st = states.setdefault(pid, PersonState())
                if event == "acted":
                    st.acted.add(nudge)
                else:
                    when = dt.date.fromisoformat(day)
                    st.dismissed[nudge] = max(when, st.dismissed.get(nudge, when))
            for pid, ch, status, day in conn.execute(select(p.participant_id, p.channel, p.status, p.effective_date)):
                states.setdefault(pid, PersonState()).preferences.append((ch, status, dt.date.fromisoformat(day)))
        return states

    # decisions -----------------------------------------------------------------------------
    def has_decision(self, decision_id: str) -> bool:
        d = s.decisions.c
        return bool(self._all(select(d.decision_id).where(d.decision_id == decision_id)))

    def insert_decision(
        self,
        row: dict[str, Any],
        cards: list[dict[str, Any]] = (),  # type: ignore[assignment]
        outbox: list[dict[str, Any]] = (),  # type: ignore[assignment]
    ) -> bool:
        """Record a decision with its deliveries (in-app cards, outbox messages) in one transaction,
        exactly once: the decision id is the idempotency key, so a second worker (or a restarted one)
        that decides the same thing inserts nothing and delivers nothing. True when this call made it."""
        values = row | {
            "channels": json.dumps(row["channels"]),
            "baseline": json.dumps(row.get("baseline") or {}),
            "created_at": _now(),
        }
        with self.db.write() as conn:
            made = conn.execute(self.db.insert(s.decisions).values(values).on_conflict_do_nothing()).rowcount
            if not made:
                return False
            for card in cards:
                conn.execute(self.db.insert(s.in_app).values(card).on_conflict_do_nothing())
            for message in outbox:
                conn.execute(self.db.insert(s.outbox).values(message | {"created_at": _now()}).on_conflict_do_nothing())
        return True

    _DECISION = (
        "decision_id", "as_of", "participant_id", "nudge_id", "category", "event_key", "status", "reason",
        "channels", "baseline",
    )  # fmt: skip

    def decision(self, decision_id: str) -> StoredDecision:
        d = s.decisions.c
        rows = self._all(select(*(d[c] for c in self._DECISION)).where(d.decision_id == decision_id))
        if not rows:
            raise UnknownNudgeError(
                f"There is no nudge decision '{decision_id}'; list them with `beacon nudges report` or the outbox."
            )
        return _decision(rows[0])

    def decisions(self, status: tuple[str, ...] | None = None, as_of: dt.date | None = None) -> list[StoredDecision]:
        d = s.decisions.c
        query = select(*(d[c] for c in self._DECISION))
        if status:
            query = query.where(d.status.in_(status))
        if as_of:
            query = query.where(d.as_of == as_of.isoformat())
        return [_decision(r) for r in self._all(query.order_by(d.as_of, d.participant_id, d.nudge_id))]

    # outbox and in-app cards ---------------------------------------------------------------
    def add_outbox(self, decision_id: str, channel: str, as_of: dt.date, key: str, subject: str, body: str) -> None:
        row = {"decision_id": decision_id, "channel": channel, "as_of": as_of.isoformat(), "participant_key": key}
        with self.db.write() as conn:
            conn.execute(
                self.db.insert(s.outbox)
                .values(row | {"subject": subject, "body": body, "created_at": _now()})
                .on_conflict_do_nothing()
            )

    def outbox(self, as_of: dt.date) -> list[dict[str, str]]:
        o = s.outbox.c
        keys = ("decision_id", "channel", "as_of", "participant_key", "subject", "body")
        rows = self._all(
            select(*(o[k] for k in keys)).where(o.as_of == as_of.isoformat()).order_by(o.decision_id, o.channel)
        )
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def add_card(self, decision_id: str, participant_id: str, title: str, body: str, show_after: dt.date) -> None:
        with self.db.write() as conn:
            conn.execute(
                self.db.insert(s.in_app)
                .values(
                    decision_id=decision_id,
                    participant_id=participant_id,
                    title=title,
                    body=body,
                    show_after=show_after.isoformat(),
                )
                .on_conflict_do_nothing()
            )

    def cards(self, participant_id: str, today: dt.date) -> list[dict[str, str]]:
        c, d = s.in_app.c, s.decisions.c
        rows = self._all(
            select(c.decision_id, d.nudge_id, c.title, c.body)
            .select_from(s.in_app.join(s.decisions, c.decision_id == d.decision_id))
            .where(c.participant_id == participant_id, c.resolved.is_(None), c.show_after <= today.isoformat())
            .order_by(c.show_after, d.nudge_id)
        )
        return [{"decision_id": r[0], "id": r[1], "title": r[2], "text": r[3]} for r in rows]

    def snooze_card(self, decision_id: str, until: dt.date) -> None:
        with self.db.write() as conn:
            conn.execute(
                update(s.in_app).where(s.in_app.c.decision_id == decision_id).values(show_after=until.isoformat())
            )

    def resolve_card(self, decision_id: str, how: str) -> None:
        with self.db.write() as conn:
            conn.execute(update(s.in_app).where(s.in_app.c.decision_id == decision_id).values(resolved=how))

    # outcomes ------------------------------------------------------------------------------
    def add_outcome(self, decision_id: str, event: str, day: dt.date, detail: dict[str, Any] | None = None) -> bool:
        """Record once per (decision, event) — except `remind_later`, once per day."""
        o = s.outcomes.c
        with self.db.write() as conn:
            if (
                event != "remind_later"
                and conn.execute(select(o.decision_id).where(o.decision_id == decision_id, o.event == event)).first()
            ):
                return False
            row = {
                "decision_id": decision_id,
                "event": event,
                "day": day.isoformat(),
                "detail": json.dumps(detail or {}),
            }
            cur = conn.execute(self.db.insert(s.outcomes).values(row).on_conflict_do_nothing())
        return bool(cur.rowcount)

    def outcomes(self) -> dict[str, dict[str, dt.date]]:
        """decision id -> {event: first day}"""
        out: dict[str, dict[str, dt.date]] = {}
        o = s.outcomes.c
        for did, event, day in self._all(select(o.decision_id, o.event, o.day).order_by(o.day)):
            out.setdefault(did, {}).setdefault(event, dt.date.fromisoformat(day))
        return out


def _decision(r: tuple[Any, ...]) -> StoredDecision:
    return StoredDecision(
        r[0],
        dt.date.fromisoformat(r[1]),
        r[2],
        r[3],
        r[4],
        r[5],
        r[6],
        r[7],
        json.loads(r[8]),
        json.loads(r[9] or "{}"),
    )
