"""Erasure of one participant, legal holds and retention (`beacon privacy ...`).

What a participant leaves behind, and what each operation does with it:

| data | where | erasure | retention purge |
|---|---|---|---|
| profile | `participants` (beacon.db) | deleted | roster-driven (not aged) |
| logins | `users` rows for the participant (beacon.db) | deleted | - |
| nudge state | feed events, preferences, decisions, outcomes, in-app cards, intents, outbox (nudges.db) | deleted | - |
| conversations | LangGraph checkpoints (checkpoints.db) | every thread of theirs deleted | threads idle longer than `BEACON_RETENTION_THREAD_DAYS` |
| web chat history | Chainlit's data layer (chat_history.db or `BEACON_CHAT_HISTORY_URL`): their chat users row, threads, steps, source panels, ratings — and agents' copilot threads about their conversations | deleted | chat threads idle longer than `BEACON_RETENTION_THREAD_DAYS` |
| thread ownership | `thread_owners`, `thread_turns` (beacon.db; ids only) | deleted | - |
| pseudonym salt | `pseudonym_salts` (beacon.db) | deleted: their audit key becomes unlinkable | - |
| audit records | audit store | kept (redacted text + pseudonymous key only); an `erasure` record is appended | never deleted (append-only); records past `BEACON_RETENTION_AUDIT_DAYS` are reported |

Every store that holds participant data registers one line in `PARTICIPANT_DATA`; erasure walks it
in order (the chat history first: it finds the participant's chats through their logins and
thread ids, which later lines delete).

A legal hold on a participant blocks their erasure and keeps their threads out of every
retention purge until it is released. Placing, releasing, erasing and purging are themselves
audit records. Deleting happens with SQLite `secure_delete` on, so erased rows are overwritten
in the database files rather than left in free pages.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from assistant.errors import BadInputError, BeaconError, NotFoundError
from assistant.records.pseudonyms import Pseudonyms
from guardrails.audit import AuditStore


class LegalHoldError(BeaconError):
    """The participant is under legal hold: nothing of theirs may be erased."""

    exit_code = 1


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=10)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA busy_timeout=10000")
    conn.execute("PRAGMA secure_delete=ON")
    return conn


@dataclass
class PrivacyContext:
    """The stores privacy operations touch; opened without loading any model."""

    db_path: Path
    checkpoint_path: Path
    audit: AuditStore
    pseudonyms: Pseudonyms
    thread_days: int
    audit_days: int
    nudges_path: Path | None = None
    chat_history_url: str | None = None
    """SQLAlchemy URL (sync driver) of the web chat's history; None: no chat history to look at"""
    redact: Callable[[str], str] = field(default=lambda text: text)
    """redacts free text (a hold reason) before it is stored; the CLI passes the PII guard"""
    now: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.UTC))

    def __post_init__(self) -> None:
        self.db = _connect(self.db_path)
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS legal_holds (participant_id TEXT PRIMARY KEY,"
            " reason TEXT NOT NULL, placed_at TEXT NOT NULL)"
        )
        self.db.commit()

    def checkpoints(self) -> sqlite3.Connection | None:
        """The checkpoint database, or None when no conversation was ever stored."""
        return _connect(self.checkpoint_path) if self.checkpoint_path.exists() else None


# participant data stores ---------------------------------------------------------------------
class ParticipantData(Protocol):
    name: str

    def find(self, ctx: PrivacyContext, participant_id: str) -> int:
        """How many items this store holds for the participant."""

    def erase(self, ctx: PrivacyContext, participant_id: str) -> int:
        """Delete them; returns how many were deleted."""


class _Table:
    name = ""
    table = ""

    def _exists(self, ctx: PrivacyContext) -> bool:
        return (
            ctx.db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (self.table,)).fetchone()
            is not None
        )

    def find(self, ctx: PrivacyContext, participant_id: str) -> int:
        if not self._exists(ctx):
            return 0
        sql = f"SELECT COUNT(*) FROM {self.table} WHERE participant_id = ?"
        return int(ctx.db.execute(sql, (participant_id,)).fetchone()[0])

    def erase(self, ctx: PrivacyContext, participant_id: str) -> int:
        if not self._exists(ctx):
            return 0
        with ctx.db:
            return ctx.db.execute(f"DELETE FROM {self.table} WHERE participant_id = ?", (participant_id,)).rowcount


class Profile(_Table):
    name, table = "profile", "participants"


class Logins(_Table):
    name, table = "logins", "users"


def _thread_rows(conn: sqlite3.Connection) -> list[str]:
    has = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='checkpoints'").fetchone()
    if not has:
        return []
    return [r[0] for r in conn.execute("SELECT DISTINCT thread_id FROM checkpoints ORDER BY thread_id")]


def thread_summaries(conn: sqlite3.Connection) -> list[tuple[str, str | None, str]]:
    """(thread id, participant id or None, last activity ISO time) for every stored conversation."""
    from langgraph.checkpoint.sqlite import SqliteSaver

    saver = SqliteSaver(conn)
    out = []
    for thread_id in _thread_rows(conn):
        tup = saver.get_tuple({"configurable": {"thread_id": thread_id}})
        if tup is None:
            continue
        values = tup.checkpoint.get("channel_values", {})
        out.append((thread_id, values.get("participant_id"), str(tup.checkpoint.get("ts", ""))))
    return out


def delete_threads(conn: sqlite3.Connection, thread_ids: list[str]) -> None:
    with conn:
        for t in thread_ids:
            conn.execute("DELETE FROM checkpoints WHERE thread_id = ?", (t,))
            conn.execute("DELETE FROM writes WHERE thread_id = ?", (t,))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # no copy of the deleted pages stays in the WAL


class Threads:
    """Conversation threads (LangGraph checkpoints): the conversation history a person sees."""

    name = "threads"

    def _mine(self, conn: sqlite3.Connection, participant_id: str) -> list[str]:
        return [t for t, pid, _ in thread_summaries(conn) if pid == participant_id]

    def find(self, ctx: PrivacyContext, participant_id: str) -> int:
        conn = ctx.checkpoints()
        if conn is None:
            return 0
        try:
            return len(self._mine(conn, participant_id))
        finally:
            conn.close()

    def erase(self, ctx: PrivacyContext, participant_id: str) -> int:
        conn = ctx.checkpoints()
        if conn is None:
            return 0
        try:
            mine = self._mine(conn, participant_id)
            delete_threads(conn, mine)
            return len(mine)
        finally:
            conn.close()


CHAT_TABLES = ("feedbacks", "elements", "steps")
"""Chainlit's per-thread tables, deleted before the thread row itself"""


class ChatHistory:
    """The web chat's history (Chainlit's SQLAlchemy data layer, `assistant/surfaces/ui/history.py`): the
    chats of the participant's logins, agents' copilot chats about the participant's conversations
    (their steps carry the Beacon thread id), and the participant's Chainlit user row."""

    name = "chat_history"

    def _engine(self, ctx: PrivacyContext) -> Any:
        url = ctx.chat_history_url
        if not url or (url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists()):
            return None
        from sqlalchemy import create_engine

        return create_engine(url)

    @staticmethod
    def _names(ctx: PrivacyContext, participant_id: str) -> list[str]:
        if not ctx.db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='users'").fetchone():
            return []
        return [r[0] for r in ctx.db.execute("SELECT username FROM users WHERE participant_id = ?", (participant_id,))]

    @staticmethod
    def _beacon_threads(ctx: PrivacyContext, participant_id: str) -> set[str]:
        if not ctx.db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='thread_owners'").fetchone():
            return set()
        sql = "SELECT thread_id FROM thread_owners WHERE participant_id = ?"
        return {r[0] for r in ctx.db.execute(sql, (participant_id,))}

    def _mine(self, conn: Any, ctx: PrivacyContext, participant_id: str) -> tuple[list[str], list[str]]:
        """(Chainlit thread ids, Chainlit user identifiers) holding the participant's data."""
        from sqlalchemy import inspect, text

        if "threads" not in inspect(conn).get_table_names():
            return [], []
        names = self._names(ctx, participant_id)
        ids = {str(r[0]) for r in conn.execute(text('SELECT "id", "userIdentifier" FROM threads')) if r[1] in names}
        beacon = self._beacon_threads(ctx, participant_id)
        if beacon:
            for thread_id, metadata in conn.execute(text('SELECT "threadId", "metadata" FROM steps')):
                md = metadata if isinstance(metadata, dict) else _json_or_empty(metadata)
                if md.get("thread_id") in beacon:
                    ids.add(str(thread_id))
        return sorted(ids), names

    def _run(self, ctx: PrivacyContext, participant_id: str, delete: bool) -> int:
        engine = self._engine(ctx)
        if engine is None:
            return 0
        from sqlalchemy import bindparam, text

        try:
            with engine.begin() as conn:
                threads, names = self._mine(conn, ctx, participant_id)
                if delete:
                    delete_chat_threads(conn, threads)
                    if names:
                        conn.execute(
                            text('DELETE FROM users WHERE "identifier" IN :names').bindparams(
                                bindparam("names", expanding=True)
                            ),
                            {"names": names},
                        )
            if delete and engine.dialect.name == "sqlite":
                with engine.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            engine.dispose()
        return len(threads)

    def find(self, ctx: PrivacyContext, participant_id: str) -> int:
        return self._run(ctx, participant_id, delete=False)

    def erase(self, ctx: PrivacyContext, participant_id: str) -> int:
        return self._run(ctx, participant_id, delete=True)


def _json_or_empty(value: Any) -> dict[str, Any]:
    try:
        out = json.loads(value) if isinstance(value, str) else {}
    except json.JSONDecodeError:
        return {}
    return out if isinstance(out, dict) else {}


def delete_chat_threads(conn: Any, thread_ids: list[str]) -> None:
    """Delete Chainlit threads with their steps, source panels and ratings (no cascade relied on)."""
    from sqlalchemy import bindparam, text

    if not thread_ids:
        return
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA secure_delete=ON")
    for table in (*CHAT_TABLES, "threads"):
        column = "id" if table == "threads" else "threadId"
        conn.execute(
            text(f'DELETE FROM {table} WHERE CAST("{column}" AS TEXT) IN :ids').bindparams(
                bindparam("ids", expanding=True)
            ),
            {"ids": thread_ids},
        )


class NudgeState:
    """Life-event nudges (assistant/nudges/store.py, nudges.db): HR feed events, contact
    preferences, decisions with their outcomes, in-app cards, intents and the outbox."""

    name = "nudge_rows"
    BY_ID = ("feed_events", "contact_preferences", "in_app")
    BY_KEY = ("intents", "outbox")

    def _conn(self, ctx: PrivacyContext) -> sqlite3.Connection | None:
        return _connect(ctx.nudges_path) if ctx.nudges_path is not None and ctx.nudges_path.exists() else None

    def _run(self, ctx: PrivacyContext, participant_id: str, delete: bool) -> int:
        conn = self._conn(ctx)
        if conn is None:
            return 0
        key = ctx.pseudonyms.peek(participant_id)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        verb = "DELETE" if delete else "SELECT COUNT(*)"
        n = 0
        try:
            with conn:
                if {"outcomes", "decisions"} <= tables:
                    cur = conn.execute(
                        f"{verb} FROM outcomes WHERE decision_id IN"
                        " (SELECT decision_id FROM decisions WHERE participant_id = ?)",
                        (participant_id,),
                    )
                    n += cur.rowcount if delete else cur.fetchone()[0]
                for table in (*self.BY_ID, "decisions"):
                    if table in tables:
                        cur = conn.execute(f"{verb} FROM {table} WHERE participant_id = ?", (participant_id,))
                        n += cur.rowcount if delete else cur.fetchone()[0]
                for table in self.BY_KEY:
                    if key is not None and table in tables:
                        cur = conn.execute(f"{verb} FROM {table} WHERE participant_key = ?", (key,))
                        n += cur.rowcount if delete else cur.fetchone()[0]
            if delete:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
        return int(n)

    def find(self, ctx: PrivacyContext, participant_id: str) -> int:
        return self._run(ctx, participant_id, delete=False)

    def erase(self, ctx: PrivacyContext, participant_id: str) -> int:
        return self._run(ctx, participant_id, delete=True)


class Handoffs(_Table):
    """Hand-offs to a person (assistant/records/handoffs.py), with their conversation summaries."""

    name = "handoffs"
    table = "handoffs"


class Feedback(_Table):
    """Thumbs and comments on answers (assistant/records/feedback.py)."""

    name = "feedback"
    table = "feedback"


class ThreadOwnership(_Table):
    """Which conversations are the participant's (assistant/records/threads.py; ids only)."""

    name = "thread_owners"
    table = "thread_owners"


class ThreadTurns(_Table):
    """Which turns belong to the participant's conversations (assistant/records/threads.py; ids only)."""

    name = "thread_turns"
    table = "thread_turns"


PARTICIPANT_DATA: list[ParticipantData] = [
    ChatHistory(),
    Profile(),
    Logins(),
    Threads(),
    NudgeState(),
    Handoffs(),
    Feedback(),
    ThreadOwnership(),
    ThreadTurns(),
]
"""Every store that holds data about a participant; erasure walks this list."""


# legal holds -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Hold:
    participant_id: str
    reason: str
    placed_at: str


def hold_of(ctx: PrivacyContext, participant_id: str) -> Hold | None:
    row = ctx.db.execute(
        "SELECT participant_id, reason, placed_at FROM legal_holds WHERE participant_id = ?", (participant_id,)
    ).fetchone()
    return Hold(*row) if row else None


def holds(ctx: PrivacyContext) -> list[Hold]:
    return [Hold(*r) for r in ctx.db.execute("SELECT participant_id, reason, placed_at FROM legal_holds ORDER BY 1")]


def _event(ctx: PrivacyContext, kind: str, participant_id: str | None, **fields: Any) -> str:
    """Append a privacy event to the audit log first: if it cannot be recorded, nothing happens.
    Returns the record's id (`beacon audit show ID`)."""
    record: dict[str, Any] = {
        "kind": kind,
        "turn_id": f"{kind}-{uuid.uuid4().hex}",
        "thread_id": "",
        "participant_key": ctx.pseudonyms.key_for(participant_id) if participant_id else None,
        "at": ctx.now().isoformat(),
        **fields,
    }
    ctx.audit.append(record)
    return str(record["turn_id"])


def place_hold(ctx: PrivacyContext, participant_id: str, reason: str) -> Hold:
    if not reason.strip():
        raise BadInputError("A legal hold needs --reason (a matter or case reference).")
    existing = hold_of(ctx, participant_id)
    if existing:
        raise BadInputError(
            f"Participant {participant_id} is already under legal hold since {existing.placed_at[:10]}"
            f" ({existing.reason}); release it first to change the reason."
        )
    clean = ctx.redact(reason.strip())
    hold = Hold(participant_id, clean, ctx.now().isoformat())
    _event(ctx, "legal_hold", participant_id, reason=clean)
    with ctx.db:
        ctx.db.execute("INSERT INTO legal_holds VALUES (?, ?, ?)", (hold.participant_id, hold.reason, hold.placed_at))
    return hold


def release_hold(ctx: PrivacyContext, participant_id: str) -> Hold:
    existing = hold_of(ctx, participant_id)
    if existing is None:
        raise NotFoundError(
            f"Participant {participant_id} is not under legal hold; list holds with `beacon privacy holds`."
        )
    _event(ctx, "hold_release", participant_id, reason=existing.reason, placed_at=existing.placed_at)
    with ctx.db:
        ctx.db.execute("DELETE FROM legal_holds WHERE participant_id = ?", (participant_id,))
    return existing


# erasure ---------------------------------------------------------------------------------------
@dataclass
class ErasureReport:
    participant_key: str | None
    found: dict[str, int]
    erased: dict[str, int] = field(default_factory=dict)
    audit_id: str | None = None
    audit_records_kept: int = 0


def plan_erasure(ctx: PrivacyContext, participant_id: str) -> ErasureReport:
    """What an erasure would delete (nothing is changed). Unknown participant: NotFoundError."""
    found = {store.name: store.find(ctx, participant_id) for store in PARTICIPANT_DATA}
    key = ctx.pseudonyms.peek(participant_id)
    if not any(found.values()) and key is None:
        raise NotFoundError(
            f"Beacon holds no data for participant '{participant_id}' (no profile, login, conversation or "
            "audit key); check the id."
        )
    kept = sum(1 for _ in ctx.audit.iter_records(participant_key=key)) if key else 0
    return ErasureReport(key, found, audit_records_kept=kept)


def erase_participant(ctx: PrivacyContext, participant_id: str) -> ErasureReport:
    """Erase everything Beacon holds about one participant, unless a legal hold blocks it."""
    hold = hold_of(ctx, participant_id)
    if hold:
        raise LegalHoldError(
            f"Participant {participant_id} is under legal hold since {hold.placed_at[:10]} ({hold.reason}); "
            "nothing was erased. Release the hold with `beacon privacy release --participant "
            f"{participant_id}` once counsel allows."
        )
    report = plan_erasure(ctx, participant_id)
    # Record the request before deleting: an erasure that cannot be audited does not happen.
    report.audit_id = _event(
        ctx,
        "erasure",
        participant_id,
        found=report.found,
        audit_records_kept=report.audit_records_kept,
        note="profile, logins and conversations deleted; audit records kept redacted under this key, "
        "which is unlinkable from now on (its salt is deleted)",
    )
    for store in PARTICIPANT_DATA:
        report.erased[store.name] = store.erase(ctx, participant_id)
    ctx.pseudonyms.forget(participant_id)
    ctx.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return report


# retention -------------------------------------------------------------------------------------
@dataclass
class PurgeReport:
    threads_deleted: int
    threads_kept_on_hold: int
    threads_kept_recent: int
    audit_past_retention: int
    audit_id: str | None = None
    chat_threads_deleted: int = 0
    """web chat (Chainlit) threads idle past the same retention period, except held participants'"""


def purge_expired(ctx: PrivacyContext, dry_run: bool = False) -> PurgeReport:
    """Delete conversation threads idle for longer than the thread retention period, except those
    of participants under legal hold. Audit records are never deleted."""
    now = ctx.now()
    thread_cutoff = (now - dt.timedelta(days=ctx.thread_days)).isoformat()
    audit_cutoff = (now - dt.timedelta(days=ctx.audit_days)).isoformat()
    held = {h.participant_id for h in holds(ctx)}
    expired: list[str] = []
    on_hold = recent = 0
    conn = ctx.checkpoints()
    try:
        for thread_id, pid, last in thread_summaries(conn) if conn else []:
            if last >= thread_cutoff:
                recent += 1
            elif pid is not None and pid in held:
                on_hold += 1
            else:
                expired.append(thread_id)
        old_audit = sum(1 for _ in ctx.audit.iter_records(until=audit_cutoff))
        report = PurgeReport(len(expired), on_hold, recent, old_audit)
        if dry_run:
            report.chat_threads_deleted = _purge_chat_history(ctx, thread_cutoff, held, dry_run=True)
            return report
        report.audit_id = _event(
            ctx,
            "retention_purge",
            None,
            thread_retention_days=ctx.thread_days,
            threads_deleted=len(expired),
            threads_kept_on_hold=on_hold,
        )
        if conn is not None and expired:
            delete_threads(conn, expired)
        report.chat_threads_deleted = _purge_chat_history(ctx, thread_cutoff, held)
        return report
    finally:
        if conn is not None:
            conn.close()


def _purge_chat_history(ctx: PrivacyContext, cutoff: str, held: set[str], dry_run: bool = False) -> int:
    """Delete web chat threads whose last message is older than `cutoff`, unless they hold data of a
    participant under legal hold; returns how many (would be) deleted."""
    engine = ChatHistory()._engine(ctx)
    if engine is None:
        return 0
    from sqlalchemy import inspect, text

    kept: set[str] = set()
    for pid in held:
        kept |= ChatHistory._beacon_threads(ctx, pid) | {f"user:{n}" for n in ChatHistory._names(ctx, pid)}
    try:
        with engine.begin() as conn:
            if "threads" not in inspect(conn).get_table_names():
                return 0
            last: dict[str, str] = {}
            protected: set[str] = set()
            for thread_id, created, user in conn.execute(
                text('SELECT "id", "createdAt", "userIdentifier" FROM threads')
            ):
                last[str(thread_id)] = str(created or "")
                if f"user:{user}" in kept:
                    protected.add(str(thread_id))
            for thread_id, created, metadata in conn.execute(
                text('SELECT "threadId", "createdAt", "metadata" FROM steps')
            ):
                key = str(thread_id)
                last[key] = max(last.get(key, ""), str(created or ""))
                md = metadata if isinstance(metadata, dict) else _json_or_empty(metadata)
                if md.get("thread_id") in kept:
                    protected.add(key)
            expired = sorted(t for t, when in last.items() if when[:19] < cutoff[:19] and t not in protected)
            if not dry_run:
                delete_chat_threads(conn, expired)
    finally:
        engine.dispose()
    return len(expired)
