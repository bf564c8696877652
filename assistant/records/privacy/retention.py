"""Retention: conversations idle longer than `BEACON_RETENTION_THREAD_DAYS` are deleted (not those
under legal hold); audit records are never deleted, only reported."""

import datetime as dt
from dataclasses import dataclass

from assistant.records.privacy.chat_history import ChatHistory, delete_chat_threads, json_or_empty
from assistant.records.privacy.context import PrivacyContext
from assistant.records.privacy.holds import event, holds
from assistant.records.privacy.stores import delete_threads, thread_summaries


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
    saver = ctx.checkpoints
    for thread_id, pid, last in thread_summaries(saver) if saver is not None else []:
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
    report.audit_id = event(
        ctx,
        "retention_purge",
        None,
        thread_retention_days=ctx.thread_days,
        threads_deleted=len(expired),
        threads_kept_on_hold=on_hold,
    )
    if saver is not None and expired:
        delete_threads(saver, expired)
    report.chat_threads_deleted = _purge_chat_history(ctx, thread_cutoff, held)
    return report


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
                md = metadata if isinstance(metadata, dict) else json_or_empty(metadata)
                if md.get("thread_id") in kept:
                    protected.add(key)
            expired = sorted(t for t, when in last.items() if when[:19] < cutoff[:19] and t not in protected)
            if not dry_run:
                delete_chat_threads(conn, expired)
    finally:
        engine.dispose()
    return len(expired)
