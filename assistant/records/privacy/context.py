"""The stores privacy operations touch, opened without loading any model."""

import datetime as dt
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import BeaconError
from assistant.records.pseudonyms import Pseudonyms
from guardrails.audit import AuditStore


class LegalHoldError(BeaconError):
    """The participant is under legal hold: nothing of theirs may be erased."""

    exit_code = 1


def connect(path: Path) -> sqlite3.Connection:
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
        self.db = connect(self.db_path)
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS legal_holds (participant_id TEXT PRIMARY KEY,"
            " reason TEXT NOT NULL, placed_at TEXT NOT NULL)"
        )
        self.db.commit()

    def checkpoints(self) -> sqlite3.Connection | None:
        """The checkpoint database, or None when no conversation was ever stored."""
        return connect(self.checkpoint_path) if self.checkpoint_path.exists() else None
