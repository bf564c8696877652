"""Logins for the web chat and the REST API: a users table with argon2 password hashes, and API
tokens (random, shown once, stored only as a SHA-256 hash; a token acts with its user's role).

Failed password sign-ins are counted per username (stored as a SHA-256 hash, for names that do not
exist too, so a lock does not reveal which accounts exist). After `LOCK_AFTER` failures in a row
the name is locked for `LOCK_S` seconds, doubling with each further failure up to `LOCK_MAX_S`;
while locked, even the right password is refused (`LoginLocked`, HTTP 429 with Retry-After). A
successful sign-in clears the count; `beacon users unlock NAME` clears it for an administrator.
The counts are in the database, so every server process sees the same lock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import secrets
import sqlite3
import time
from dataclasses import dataclass
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from assistant.errors import BadInputError, BeaconError
from assistant.records.participants import Participant
from assistant.settings import Settings

Role = Literal["participant", "agent", "compliance", "admin"]
ROLES = ("participant", "agent", "compliance", "admin")
_HASHER = PasswordHasher()
TOKEN_PREFIX = "bk_"  # noqa: S105 - the visible prefix of issued tokens
# A valid hash to verify against when the user does not exist, so timing does not reveal it.
_DUMMY_HASH = _HASHER.hash("no-such-user")
LOCK_AFTER = 5
LOCK_S = 60.0
LOCK_MAX_S = 900.0
FORGET_S = 86400.0
"""a failure count idle this long is dropped"""


class LoginLocked(BeaconError):
    """Too many failed sign-ins for this username; `wait_s` until the next attempt is allowed."""

    def __init__(self, wait_s: float) -> None:
        self.wait_s = wait_s
        super().__init__(
            f"Too many failed sign-ins for this account; try again in {math.ceil(wait_s)} seconds, "
            "or ask an administrator to unlock it (`beacon users unlock`)."
        )


def _name_hash(username: str) -> str:
    return hashlib.sha256(username.encode("utf-8", "surrogatepass")).hexdigest()


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
        conn.execute(
            "CREATE TABLE IF NOT EXISTS login_failures (name_hash TEXT PRIMARY KEY, failures INTEGER NOT NULL,"
            " locked_until REAL NOT NULL, updated REAL NOT NULL)"
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

    def authenticate(self, username: str, password: str, now: float | None = None) -> User | None:
        """The user when the password is right, None when not; LoginLocked while the name is locked."""
        now = time.time() if now is None else now
        key = _name_hash(username)
        locked = self.conn.execute("SELECT locked_until FROM login_failures WHERE name_hash = ?", (key,)).fetchone()
        if locked and locked[0] > now:
            raise LoginLocked(locked[0] - now)
        row = self.conn.execute("SELECT password_hash FROM users WHERE username = ?", (username,)).fetchone()
        try:
            _HASHER.verify(row[0] if row else _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            self._failed(key, now)
            return None
        if row is None:
            self._failed(key, now)
            return None
        if locked:
            with self.conn:
                self.conn.execute("DELETE FROM login_failures WHERE name_hash = ?", (key,))
        return self.get(username)

    def _failed(self, key: str, now: float) -> None:
        with self.conn:
            self.conn.execute("DELETE FROM login_failures WHERE updated < ?", (now - FORGET_S,))
            (failures,) = self.conn.execute(
                "INSERT INTO login_failures VALUES (?, 1, 0, ?) ON CONFLICT(name_hash) DO UPDATE SET "
                "failures = failures + 1, updated = excluded.updated RETURNING failures",
                (key, now),
            ).fetchone()
            if failures >= LOCK_AFTER:
                wait = min(LOCK_MAX_S, LOCK_S * 2 ** (failures - LOCK_AFTER))
                self.conn.execute("UPDATE login_failures SET locked_until = ? WHERE name_hash = ?", (now + wait, key))

    def unlock(self, username: str) -> bool:
        """Clear the failed sign-in count for a name; True when there was one."""
        with self.conn:
            cur = self.conn.execute("DELETE FROM login_failures WHERE name_hash = ?", (_name_hash(username),))
        return cur.rowcount > 0

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
