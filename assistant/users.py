"""Logins for the web chat and the REST API: a users table with argon2 password hashes, and API
tokens (random, shown once, stored only as a SHA-256 hash; a token acts with its user's role)."""

from __future__ import annotations

import datetime as dt
import hashlib
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
TOKEN_PREFIX = "bk_"  # noqa: S105 - the visible prefix of issued tokens
# A valid hash to verify against when the user does not exist, so timing does not reveal it.
_DUMMY_HASH = _HASHER.hash("no-such-user")


def _token_hash(token: str) -> str:
    """Tokens are 256 random bits, so a plain SHA-256 is enough (no password stretching needed)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


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
        conn.execute(
            "CREATE TABLE IF NOT EXISTS api_tokens (token_hash TEXT PRIMARY KEY, username TEXT NOT NULL,"
            " created_at TEXT NOT NULL, revoked_at TEXT)"
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

    def password_hash(self, username: str) -> str | None:
        row = self.conn.execute("SELECT password_hash FROM users WHERE username = ?", (username,)).fetchone()
        return str(row[0]) if row else None

    def authenticate(self, username: str, password: str) -> User | None:
        row = self.conn.execute("SELECT password_hash FROM users WHERE username = ?", (username,)).fetchone()
        try:
            _HASHER.verify(row[0] if row else _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return None
        return self.get(username) if row else None

    def issue_token(self, username: str) -> str:
        """A new API token for the user (earlier ones are revoked); the caller shows it once."""
        if self.get(username) is None:
            raise BadInputError(f"No user '{username}'; add one with `beacon users add` first.")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = dt.datetime.now(dt.UTC).isoformat()
        with self.conn:
            self.conn.execute(
                "UPDATE api_tokens SET revoked_at = ? WHERE username = ? AND revoked_at IS NULL", (now, username)
            )
            self.conn.execute("INSERT INTO api_tokens VALUES (?, ?, ?, NULL)", (_token_hash(token), username, now))
        return token

    def revoke_tokens(self, username: str) -> int:
        now = dt.datetime.now(dt.UTC).isoformat()
        with self.conn:
            cur = self.conn.execute(
                "UPDATE api_tokens SET revoked_at = ? WHERE username = ? AND revoked_at IS NULL", (now, username)
            )
        return cur.rowcount

    def user_for_token(self, token: str) -> User | None:
        row = self.conn.execute(
            "SELECT username FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL", (_token_hash(token),)
        ).fetchone()
        return self.get(row[0]) if row else None

    def remove(self, username: str) -> None:
        with self.conn:
            if self.conn.execute("DELETE FROM users WHERE username = ?", (username,)).rowcount == 0:
                raise BadInputError(f"No user '{username}'; list them with `beacon users list`.")
            self.conn.execute("DELETE FROM api_tokens WHERE username = ?", (username,))

    def all(self) -> list[User]:
        rows = self.conn.execute("SELECT username FROM users ORDER BY role, username").fetchall()
        return [u for (name,) in rows if (u := self.get(name))]

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
