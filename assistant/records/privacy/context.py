"""The stores privacy operations touch, opened without loading any model."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.errors import BeaconError
from assistant.records.pseudonyms import Pseudonyms
from assistant.storage.database import Database
from guardrails.audit import AuditStore


class LegalHoldError(BeaconError):
    """The participant is under legal hold: nothing of theirs may be erased."""

    exit_code = 1


@dataclass
class PrivacyContext:
    """The stores privacy operations touch; opened without loading any model."""

    db: Database
    """Beacon's database: profiles, logins, thread ownership, hand-offs, feedback, nudge state, holds, salts"""
    checkpoints: Any
    """the conversations' LangGraph checkpointer (SqliteSaver or PostgresSaver); None: none stored"""
    audit: AuditStore
    pseudonyms: Pseudonyms
    thread_days: int
    audit_days: int
    chat_history_url: str | None = None
    """SQLAlchemy URL (sync driver) of the web chat's history; None: no chat history to look at"""
    redact: Callable[[str], str] = field(default=lambda text: text)
    """redacts free text (a hold reason) before it is stored; the CLI passes the PII guard"""
    now: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.UTC))
