"""Who is calling, and may Beacon start at all.

A request is authenticated by exactly one of, in this order:
1. an SSO proxy header (`BEACON_SSO_HEADER`, off by default), trusted only when the request also
   carries the proxy's shared secret (`BEACON_SSO_SECRET` in `BEACON_SSO_SECRET_HEADER`), and
   only for a username that exists in the users table (the role comes from there);
2. `Authorization: Bearer <API token>` (`beacon users token USERNAME`);
3. `Authorization: Basic` with a username and password (argon2-verified; a successful check is
   remembered in memory under a keyed hash for a few minutes, so a session does not pay argon2
   on every request — a changed password or a removed user takes effect at once).

`startup_problems` lists what stops `beacon serve` (production mode with demo users, a
generated rather than configured key, SSO without a strong shared secret).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Mapping

from assistant.records.users import User, UserStore
from assistant.settings import Settings

PASSWORD_CACHE_S = 300.0
MIN_SECRET_CHARS = 32


class AuthFailed(Exception):
    """Credentials were offered but are not valid; the message says what to do (HTTP 401)."""


class Authenticator:
    def __init__(self, users: UserStore, settings: Settings) -> None:
        self.users = users
        self.settings = settings
        self._key = secrets.token_bytes(32)
        self._verified: dict[bytes, tuple[float, str]] = {}
        self._lock = threading.Lock()

    def password(self, username: str, password: str) -> User | None:
        digest = hmac.new(
            self._key, f"{len(username)}:{username}:{password}".encode("utf-8", "surrogatepass"), hashlib.sha256
        ).digest()
        now = time.monotonic()
        current = self.users.password_hash(username)
        with self._lock:
            hit = self._verified.get(digest)
        if hit is not None and current is not None and hit[0] > now and hmac.compare_digest(hit[1], current):
            return self.users.get(username)
        user = self.users.authenticate(username, password)
        if user is not None and current is not None:
            with self._lock:
                if len(self._verified) > 10000:
                    self._verified = {k: v for k, v in self._verified.items() if v[0] > now}
                self._verified[digest] = (now + PASSWORD_CACHE_S, current)
        return user

    def token(self, token: str) -> User | None:
        return self.users.user_for_token(token)

    def sso(self, headers: Mapping[str, str]) -> User | None:
        """The SSO user, None when SSO is off or the header is absent; AuthFailed when it is not trusted."""
        s = self.settings
        if not s.sso_header or s.sso_secret is None:
            return None
        name = headers.get(s.sso_header)
        if name is None:
            return None
        offered = headers.get(s.sso_secret_header, "")
        expected = s.sso_secret.get_secret_value()
        if not hmac.compare_digest(offered.encode("utf-8", "surrogatepass"), expected.encode()):
            raise AuthFailed(f"The {s.sso_header} header is only accepted from the configured sign-in proxy.")
        user = self.users.get(name.strip())
        if user is None:
            raise AuthFailed("Your single sign-on account has no Beacon login; ask an administrator to add one.")
        return user


def startup_problems(settings: Settings, users: UserStore) -> list[str]:
    """Why Beacon must not start with these settings and this users table (empty: it may)."""
    problems = []
    if settings.sso_header and settings.sso_secret is None:
        problems.append("BEACON_SSO_HEADER is set without BEACON_SSO_SECRET; set the proxy's shared secret")
    if settings.mode != "production":
        return problems
    demo = users.demo_users()
    if demo:
        names = ", ".join(u.username for u in demo)
        problems.append(f"demo users exist ({names}); remove them with `beacon users remove NAME`")
    key = settings.audit_key.get_secret_value() if settings.audit_key is not None else ""
    if len(key) < MIN_SECRET_CHARS:
        problems.append(
            f"BEACON_AUDIT_KEY is {'unset' if not key else 'too short'}; production needs a configured key of at least "
            f"{MIN_SECRET_CHARS} characters (not the one generated in the data dir)"
        )
    if settings.sso_secret is not None and len(settings.sso_secret.get_secret_value()) < MIN_SECRET_CHARS:
        problems.append(f"BEACON_SSO_SECRET must be at least {MIN_SECRET_CHARS} characters")
    return problems
