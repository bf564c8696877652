"""Logins for the web chat and the REST API: a users table with argon2 password hashes."""

from __future__ import annotations

import datetime as dt
import secrets
import sqlite3
from dataclasses import dataclass
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from assistant.errors import BadInputError
from assistant.participants import Participant
from assistant.settings import Settings

Role = Literal["participant", "agent", "compliance", "admin"]
ROLES = ("participant", "agent", "compliance", "admin")
_HASHER = PasswordHasher()
# A valid hash to verify against when the user does not exist, so timing does not reveal it.
_DUMMY_HASH = _HASHER.hash("no-such-user")


@dataclass(frozen=True)
class User:
    username: str
    role: Role
    participant_id: str | None
    demo: bool


class UserStore:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        conn.execute(
            "CREATE TABLE IF NOT EXISTS users (username TEXT PRIMARY KEY, password_hash TEXT NOT NULL,"
            " role TEXT NOT NULL, participant_id TEXT, demo INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL)"
        )
        conn.commit()

    def add(
        self,
        username: str,
        password: str,
        role: str,
        participant_id: str | None = None,
        demo: bool = False,
        replace: bool = False,
    ) -> User:
        if role not in ROLES:
            raise BadInputError(f"Unknown role '{role}'; use one of: {', '.join(ROLES)}.")
        if role == "participant" and not participant_id:
            raise BadInputError("A participant login needs --participant ID (the roster id it belongs to).")
        if len(password) < 12:
            raise BadInputError("Passwords must be at least 12 characters long.")
        if not username.isidentifier() and not username.replace("-", "").replace(".", "").isalnum():
            raise BadInputError("Usernames may contain letters, digits, '.', '-' and '_' only.")
        verb = "INSERT OR REPLACE" if replace else "INSERT"
        try:
            with self.conn:
                self.conn.execute(
                    f"{verb} INTO users VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        username,
                        _HASHER.hash(password),
                        role,
                        participant_id,
                        int(demo),
                        dt.datetime.now(dt.UTC).isoformat(),
                    ),
                )
        except sqlite3.IntegrityError as e:
            raise BadInputError(f"User '{username}' already exists.") from e
        return User(username, role, participant_id, demo)  # type: ignore[arg-type]

    def get(self, username: str) -> User | None:
        row = self.conn.execute(
            "SELECT username, role, participant_id, demo FROM users WHERE username = ?", (username,)
        ).fetchone()
        return User(row[0], row[1], row[2], bool(row[3])) if row else None

    def authenticate(self, username: str, password: str) -> User | None:
        row = self.conn.execute("SELECT password_hash FROM users WHERE username = ?", (username,)).fetchone()
        try:
            _HASHER.verify(row[0] if row else _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return None
        return self.get(username) if row else None

    def demo_users(self) -> list[User]:
        rows = self.conn.execute("SELECT username FROM users WHERE demo = 1 ORDER BY username").fetchall()
        return [u for (name,) in rows if (u := self.get(name))]


def seed_demo_users(
    conn: sqlite3.Connection, participants: list[Participant], settings: Settings
) -> list[tuple[str, str, str, str]]:
    """(Re)create demo logins with fresh random passwords; returns (user, password, role, who)."""
    if settings.mode == "production":
        raise BadInputError("Demo users cannot be created in production mode (BEACON_MODE=production).")
    store = UserStore(conn)
    rows: list[tuple[str, str, str, str]] = []
    for p in participants:
        password = secrets.token_urlsafe(12)
        username = p.first_name.lower()
        store.add(username, password, "participant", p.participant_id, demo=True, replace=True)
        rows.append((username, password, "participant", f"{p.participant_id} {p.plan_id}: {p.decision_moment or ''}"))
    for username, role in [("agent", "agent"), ("compliance", "compliance"), ("admin", "admin")]:
        password = secrets.token_urlsafe(12)
        store.add(username, password, role, None, demo=True, replace=True)
        rows.append((username, password, role, "staff"))
    return rows
