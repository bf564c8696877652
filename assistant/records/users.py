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
import time
from dataclasses import dataclass
from typing import Any, Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from assistant.errors import BadInputError, BeaconError
from assistant.records.participants import Participant
from assistant.settings import Settings
from assistant.storage import schema
from assistant.storage.database import Database

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
_users, _tokens, _failures = schema.users, schema.api_tokens, schema.login_failures


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
    def __init__(self, db: Database) -> None:
        self.db = db

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
        row = {
            "username": username,
            "password_hash": _HASHER.hash(password),
            "role": role,
            "participant_id": participant_id,
            "demo": int(demo),
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
        }
        stmt = self.db.insert(_users).values(row)
        if replace:
            stmt = stmt.on_conflict_do_update(index_elements=[_users.c.username], set_=row)
        try:
            with self.db.write() as conn:
                conn.execute(stmt)
        except IntegrityError as e:
            raise BadInputError(f"User '{username}' already exists.") from e
        return User(username, role, participant_id, demo)  # type: ignore[arg-type]

    def get(self, username: str) -> User | None:
        with self.db.read() as conn:
            return self._get(conn, username)

    @staticmethod
    def _get(conn: Connection, username: str) -> User | None:
        u = _users.c
        row = conn.execute(select(u.username, u.role, u.participant_id, u.demo).where(u.username == username)).first()
        return User(row[0], row[1], row[2], bool(row[3])) if row else None

    def password_hash(self, username: str) -> str | None:
        with self.db.read() as conn:
            found = conn.execute(select(_users.c.password_hash).where(_users.c.username == username)).scalar()
        return str(found) if found is not None else None

    def authenticate(self, username: str, password: str, now: float | None = None) -> User | None:
        """The user when the password is right, None when not; LoginLocked while the name is locked."""
        now = time.time() if now is None else now
        key = _name_hash(username)
        f = _failures.c
        with self.db.read() as conn:
            locked = conn.execute(select(f.locked_until).where(f.name_hash == key)).scalar()
            stored = conn.execute(select(_users.c.password_hash).where(_users.c.username == username)).scalar()
        if locked is not None and locked > now:
            raise LoginLocked(locked - now)
        try:
            _HASHER.verify(stored if stored is not None else _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            self._failed(key, now)
            return None
        if stored is None:
            self._failed(key, now)
            return None
        if locked is not None:
            with self.db.write() as conn:
                conn.execute(delete(_failures).where(f.name_hash == key))
        return self.get(username)

    def _failed(self, key: str, now: float) -> None:
        f = _failures.c
        with self.db.write() as conn:
            conn.execute(delete(_failures).where(f.updated < now - FORGET_S))
            stmt = self.db.insert(_failures).values(name_hash=key, failures=1, locked_until=0.0, updated=now)
            stmt = stmt.on_conflict_do_update(
                index_elements=[f.name_hash], set_={"failures": f.failures + 1, "updated": stmt.excluded.updated}
            )
            # one atomic statement: hosts counting failures for one name at once never lose a count
            failures = conn.execute(stmt.returning(f.failures)).scalar_one()
            if failures >= LOCK_AFTER:
                wait = min(LOCK_MAX_S, LOCK_S * 2 ** (failures - LOCK_AFTER))
                conn.execute(update(_failures).where(f.name_hash == key).values(locked_until=now + wait))

    def unlock(self, username: str) -> bool:
        """Clear the failed sign-in count for a name; True when there was one."""
        with self.db.write() as conn:
            cur = conn.execute(delete(_failures).where(_failures.c.name_hash == _name_hash(username)))
        return cur.rowcount > 0

    def issue_token(self, username: str) -> str:
        """A new API token for the user (earlier ones are revoked); the caller shows it once."""
        if self.get(username) is None:
            raise BadInputError(f"No user '{username}'; add one with `beacon users add` first.")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = dt.datetime.now(dt.UTC).isoformat()
        t = _tokens.c
        with self.db.write() as conn:
            conn.execute(update(_tokens).where(t.username == username, t.revoked_at.is_(None)).values(revoked_at=now))
            conn.execute(insert(_tokens).values(token_hash=_token_hash(token), username=username, created_at=now))
        return token

    def revoke_tokens(self, username: str) -> int:
        now = dt.datetime.now(dt.UTC).isoformat()
        t = _tokens.c
        with self.db.write() as conn:
            cur = conn.execute(
                update(_tokens).where(t.username == username, t.revoked_at.is_(None)).values(revoked_at=now)
            )
        return int(cur.rowcount)

    def user_for_token(self, token: str) -> User | None:
        t = _tokens.c
        with self.db.read() as conn:
            name = conn.execute(
                select(t.username).where(t.token_hash == _token_hash(token), t.revoked_at.is_(None))
            ).scalar()
            return self._get(conn, name) if name is not None else None

    def remove(self, username: str) -> None:
        with self.db.write() as conn:
            if conn.execute(delete(_users).where(_users.c.username == username)).rowcount == 0:
                raise BadInputError(f"No user '{username}'; list them with `beacon users list`.")
            conn.execute(delete(_tokens).where(_tokens.c.username == username))

    def all(self) -> list[User]:
        return self._list(select(_users.c.username).order_by(_users.c.role, _users.c.username))

    def demo_users(self) -> list[User]:
        return self._list(select(_users.c.username).where(_users.c.demo == 1).order_by(_users.c.username))

    def _list(self, query: Any) -> list[User]:
        with self.db.read() as conn:
            return [u for name in conn.execute(query).scalars().all() if (u := self._get(conn, name))]


def seed_demo_users(
    db: Database, participants: list[Participant], settings: Settings
) -> list[tuple[str, str, str, str]]:
    """(Re)create demo logins with fresh random passwords; returns (user, password, role, who)."""
    if settings.mode == "production":
        raise BadInputError("Demo users cannot be created in production mode (BEACON_MODE=production).")
    store = UserStore(db)
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
