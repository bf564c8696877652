"""Nudge state in SQLite (`nudges.db` in the data dir): feed events, contact preferences,
conversation intents (by pseudonymous key), decisions, the outbox and outcomes.

No raw PII is stored: participants appear by roster id (as in the participants table) and, where
a record leaves Beacon (outbox), only by pseudonymous key.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.nudges.errors import UnknownNudgeError
from assistant.nudges.feeds import FeedReport, FeedRow, PreferenceRow
from assistant.nudges.policy import Delivery, PersonState
from assistant.storage.db import connect_shared

MIGRATIONS = [
    """CREATE TABLE IF NOT EXISTS feed_events (
        participant_id TEXT NOT NULL, event TEXT NOT NULL, effective_date TEXT NOT NULL,
        loaded_at TEXT NOT NULL, UNIQUE (participant_id, event, effective_date))""",
    """CREATE TABLE IF NOT EXISTS contact_preferences (
        participant_id TEXT NOT NULL, channel TEXT NOT NULL, status TEXT NOT NULL, effective_date TEXT NOT NULL,
        loaded_at TEXT NOT NULL, UNIQUE (participant_id, channel, effective_date))""",
    """CREATE TABLE IF NOT EXISTS intents (
        turn_id TEXT PRIMARY KEY, participant_key TEXT NOT NULL, intent TEXT NOT NULL, day TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS intents_key ON intents(participant_key)",
    """CREATE TABLE IF NOT EXISTS decisions (
        decision_id TEXT PRIMARY KEY, as_of TEXT NOT NULL, participant_id TEXT NOT NULL,
        nudge_id TEXT NOT NULL, nudge_version INTEGER NOT NULL, category TEXT NOT NULL,
        event_key TEXT NOT NULL, event_kind TEXT NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL,
        channels TEXT NOT NULL, text_sha256 TEXT, baseline TEXT, audit_hash TEXT, created_at TEXT NOT NULL,
        UNIQUE (as_of, participant_id, nudge_id, event_key))""",
    "CREATE INDEX IF NOT EXISTS decisions_person ON decisions(participant_id)",
    """CREATE TABLE IF NOT EXISTS outbox (
        decision_id TEXT NOT NULL, channel TEXT NOT NULL, as_of TEXT NOT NULL, participant_key TEXT NOT NULL,
        subject TEXT NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (decision_id, channel))""",
    """CREATE TABLE IF NOT EXISTS in_app (
        decision_id TEXT PRIMARY KEY, participant_id TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL,
        show_after TEXT NOT NULL, resolved TEXT)""",
    "CREATE INDEX IF NOT EXISTS in_app_person ON in_app(participant_id)",
    """CREATE TABLE IF NOT EXISTS outcomes (
        decision_id TEXT NOT NULL, event TEXT NOT NULL, day TEXT NOT NULL, detail TEXT,
        UNIQUE (decision_id, event, day))""",
]

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
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.conn = connect_shared(path)  # the chat and the API read and write cards from many threads
        with self.conn:
            for stmt in MIGRATIONS:
                self.conn.execute(stmt)

    def close(self) -> None:
        self.conn.close()

    # feeds ---------------------------------------------------------------------------------
    def add_feed_events(self, rows: Iterable[FeedRow]) -> FeedReport:
        report = FeedReport()
        with self.conn:
            for r in rows:
                cur = self.conn.execute(
                    "INSERT OR IGNORE INTO feed_events VALUES (?, ?, ?, ?)",
                    (r.participant_id, r.event, r.effective_date.isoformat(), _now()),
                )
                if cur.rowcount:
                    report.added += 1
                else:
                    report.unchanged += 1
        return report

    def add_preferences(self, rows: Iterable[PreferenceRow]) -> FeedReport:
        report = FeedReport()
        with self.conn:
            for r in rows:
                key = (r.participant_id, r.channel, r.effective_date.isoformat())
                old = self.conn.execute(
                    "SELECT status FROM contact_preferences WHERE participant_id=? AND channel=? AND effective_date=?",
                    key,
                ).fetchone()
                if old is not None and old[0] == r.status:
                    report.unchanged += 1
                    continue
                self.conn.execute(
                    "INSERT OR REPLACE INTO contact_preferences VALUES (?, ?, ?, ?, ?)",
                    (*key[:2], r.status, key[2], _now()),
                )
                report.added += 1
        return report

    def feed_events(self) -> dict[str, list[tuple[str, dt.date]]]:
        out: dict[str, list[tuple[str, dt.date]]] = {}
        for pid, event, day in self.conn.execute("SELECT participant_id, event, effective_date FROM feed_events"):
            out.setdefault(pid, []).append((event, dt.date.fromisoformat(day)))
        return out

    # intents -------------------------------------------------------------------------------
    def add_intent(self, turn_id: str, participant_key: str, intent: str, day: dt.date) -> bool:
        with self.conn:
            cur = self.conn.execute(
                "INSERT OR IGNORE INTO intents VALUES (?, ?, ?, ?)", (turn_id, participant_key, intent, day.isoformat())
            )
        return bool(cur.rowcount)

    def intent_dates(self, intents: list[str]) -> dict[str, list[dt.date]]:
        marks = ",".join("?" * len(intents))
        out: dict[str, list[dt.date]] = {}
        for key, day in self.conn.execute(
            f"SELECT participant_key, day FROM intents WHERE intent IN ({marks})", intents
        ):
            out.setdefault(key, []).append(dt.date.fromisoformat(day))
        return out

    # state for the policy ------------------------------------------------------------------
    def states(self) -> dict[str, PersonState]:
        """Every participant's policy state in a few bulk queries (decisions, outcomes, preferences)."""
        states: dict[str, PersonState] = {}
        for pid, nudge, key, as_of, category in self.conn.execute(
            "SELECT participant_id, nudge_id, event_key, as_of, category FROM decisions WHERE status IN ('sent', 'held_out')"
        ):
            states.setdefault(pid, PersonState()).deliveries.append(
                Delivery(nudge, key, dt.date.fromisoformat(as_of), category)
            )
        for pid, nudge, event, day in self.conn.execute(
            "SELECT d.participant_id, d.nudge_id, o.event, o.day FROM outcomes o JOIN decisions d USING (decision_id)"
            " WHERE o.event IN ('acted', 'dismissed')"
        ):
            st = states.setdefault(pid, PersonState())
            if event == "acted":
                st.acted.add(nudge)
            else:
                d = dt.date.fromisoformat(day)
                st.dismissed[nudge] = max(d, st.dismissed.get(nudge, d))
        for pid, ch, status, day in self.conn.execute(
            "SELECT participant_id, channel, status, effective_date FROM contact_preferences"
        ):
            states.setdefault(pid, PersonState()).preferences.append((ch, status, dt.date.fromisoformat(day)))
        return states

    # decisions -----------------------------------------------------------------------------
    def has_decision(self, decision_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM decisions WHERE decision_id = ?", (decision_id,)).fetchone() is not None

    def insert_decision(self, row: dict[str, Any]) -> bool:
        cur = self.conn.execute(
            "INSERT OR IGNORE INTO decisions VALUES (:decision_id, :as_of, :participant_id, :nudge_id, :nudge_version,"
            " :category, :event_key, :event_kind, :status, :reason, :channels, :text_sha256, :baseline, :audit_hash,"
            " :created_at)",
            row
            | {
                "channels": json.dumps(row["channels"]),
                "baseline": json.dumps(row.get("baseline") or {}),
                "created_at": _now(),
            },
        )
        return bool(cur.rowcount)

    def decision(self, decision_id: str) -> StoredDecision:
        row = self.conn.execute(
            "SELECT decision_id, as_of, participant_id, nudge_id, category, event_key, status, reason, channels, baseline"
            " FROM decisions WHERE decision_id = ?",
            (decision_id,),
        ).fetchone()
        if row is None:
            raise UnknownNudgeError(
                f"There is no nudge decision '{decision_id}'; list them with `beacon nudges report` or the outbox."
            )
        return _decision(row)

    def decisions(self, status: tuple[str, ...] | None = None, as_of: dt.date | None = None) -> list[StoredDecision]:
        sql = (
            "SELECT decision_id, as_of, participant_id, nudge_id, category, event_key, status, reason, channels, baseline"
            " FROM decisions WHERE 1=1"
        )
        args: list[Any] = []
        if status:
            sql += f" AND status IN ({','.join('?' * len(status))})"
            args += list(status)
        if as_of:
            sql += " AND as_of = ?"
            args.append(as_of.isoformat())
        return [_decision(r) for r in self.conn.execute(sql + " ORDER BY as_of, participant_id, nudge_id", args)]

    # outbox and in-app cards ---------------------------------------------------------------
    def add_outbox(self, decision_id: str, channel: str, as_of: dt.date, key: str, subject: str, body: str) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO outbox VALUES (?, ?, ?, ?, ?, ?, ?)",
            (decision_id, channel, as_of.isoformat(), key, subject, body, _now()),
        )

    def outbox(self, as_of: dt.date) -> list[dict[str, str]]:
        rows = self.conn.execute(
            "SELECT decision_id, channel, as_of, participant_key, subject, body FROM outbox WHERE as_of = ?"
            " ORDER BY decision_id, channel",
            (as_of.isoformat(),),
        ).fetchall()
        keys = ("decision_id", "channel", "as_of", "participant_key", "subject", "body")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def add_card(self, decision_id: str, participant_id: str, title: str, body: str, show_after: dt.date) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO in_app VALUES (?, ?, ?, ?, ?, NULL)",
            (decision_id, participant_id, title, body, show_after.isoformat()),
        )

    def cards(self, participant_id: str, today: dt.date) -> list[dict[str, str]]:
        rows = self.conn.execute(
            "SELECT c.decision_id, d.nudge_id, c.title, c.body FROM in_app c JOIN decisions d USING (decision_id)"
            " WHERE c.participant_id = ? AND c.resolved IS NULL AND c.show_after <= ? ORDER BY c.show_after, d.nudge_id",
            (participant_id, today.isoformat()),
        ).fetchall()
        return [{"decision_id": r[0], "id": r[1], "title": r[2], "text": r[3]} for r in rows]

    def snooze_card(self, decision_id: str, until: dt.date) -> None:
        with self.conn:
            self.conn.execute(
                "UPDATE in_app SET show_after = ? WHERE decision_id = ?", (until.isoformat(), decision_id)
            )

    def resolve_card(self, decision_id: str, how: str) -> None:
        with self.conn:
            self.conn.execute("UPDATE in_app SET resolved = ? WHERE decision_id = ?", (how, decision_id))

    # outcomes ------------------------------------------------------------------------------
    def add_outcome(self, decision_id: str, event: str, day: dt.date, detail: dict[str, Any] | None = None) -> bool:
        """Record once per (decision, event) — except `remind_later`, once per day."""
        if event != "remind_later":
            seen = self.conn.execute(
                "SELECT 1 FROM outcomes WHERE decision_id = ? AND event = ?", (decision_id, event)
            ).fetchone()
            if seen:
                return False
        with self.conn:
            cur = self.conn.execute(
                "INSERT OR IGNORE INTO outcomes VALUES (?, ?, ?, ?)",
                (decision_id, event, day.isoformat(), json.dumps(detail or {})),
            )
        return bool(cur.rowcount)

    def outcomes(self) -> dict[str, dict[str, dt.date]]:
        """decision id -> {event: first day}"""
        out: dict[str, dict[str, dt.date]] = {}
        for did, event, day in self.conn.execute("SELECT decision_id, event, day FROM outcomes ORDER BY day"):
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
