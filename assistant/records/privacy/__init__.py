"""Erasure of one participant, legal holds and retention (`beacon privacy ...`).

What a participant leaves behind, and what each operation does with it:

| data | where | erasure | retention purge |
|---|---|---|---|
| profile | `participants` (Beacon's database) | deleted | roster-driven (not aged) |
| logins | `users` rows for the participant | deleted | - |
| nudge state | feed events, preferences, decisions, outcomes, in-app cards, intents, outbox | deleted | - |
| conversations | LangGraph checkpoints (checkpoints.db, or PostgresSaver) | every thread of theirs deleted | threads idle longer than `BEACON_RETENTION_THREAD_DAYS` |
| web chat history | Chainlit's data layer (chat_history.db or `BEACON_CHAT_HISTORY_URL`): their chat users row, threads, steps, source panels, ratings — and agents' copilot threads about their conversations | deleted | chat threads idle longer than `BEACON_RETENTION_THREAD_DAYS` |
| thread ownership | `thread_owners`, `thread_turns` (ids only) | deleted | - |
| pseudonym salt | `pseudonym_salts` | deleted: their audit key becomes unlinkable | - |
| audit records | audit store | kept (redacted text + pseudonymous key only); an `erasure` record is appended | never deleted (append-only); records past `BEACON_RETENTION_AUDIT_DAYS` are reported |

Every store that holds participant data registers one line in `PARTICIPANT_DATA`; erasure walks it
in order (the chat history first: it finds the participant's chats through their logins and
thread ids, which later lines delete).

A legal hold on a participant blocks their erasure and keeps their threads out of every
retention purge until it is released. Placing, releasing, erasing and purging are themselves
audit records. On SQLite, deleting happens with `secure_delete` on and a WAL checkpoint, so erased rows are
overwritten in the database files rather than left in free pages.
"""

from __future__ import annotations

from assistant.records.privacy.context import LegalHoldError, PrivacyContext
from assistant.records.privacy.erasure import ErasureReport, erase_participant, plan_erasure
from assistant.records.privacy.holds import Hold, hold_of, holds, place_hold, release_hold
from assistant.records.privacy.retention import PurgeReport, purge_expired
from assistant.records.privacy.stores import PARTICIPANT_DATA, ParticipantData

__all__ = [
    "PARTICIPANT_DATA",
    "ErasureReport",
    "Hold",
    "LegalHoldError",
    "ParticipantData",
    "PrivacyContext",
    "PurgeReport",
    "erase_participant",
    "hold_of",
    "holds",
    "place_hold",
    "plan_erasure",
    "purge_expired",
    "release_hold",
]
