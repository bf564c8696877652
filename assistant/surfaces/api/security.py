"""Who is calling (SSO header, API token or HTTP Basic; rate limits) and what they may reach:
the authorization helpers every endpoint uses. Access to a participant is recorded before any data
is returned (no record, no data)."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBasic, HTTPBasicCredentials, HTTPBearer

from assistant.errors import UnavailableError
from assistant.records.access import record_access
from assistant.records.auth import Authenticator, AuthFailed
from assistant.records.ratelimit import RateLimiter
from assistant.records.threads import ThreadOwner
from assistant.records.users import LoginLocked, User
from assistant.services import runtime
from assistant.surfaces.api.models import ThreadSummary

basic = HTTPBasic(auto_error=False, description="Beacon username and password")
bearer = HTTPBearer(auto_error=False, description="an API token from `beacon users token USERNAME`")

STAFF = ("agent", "admin")
"""act for any participant (copilot turns, context card, hand-offs); every access recorded"""
READERS = ("agent", "compliance", "admin")
"""read any participant's conversations and the hand-off queue; every access recorded"""


# --- who is calling --------------------------------------------------------------------------
def state(request: Request) -> Any:
    """Authenticator and rate limiters for the installed runtime (rebuilt if it is reinstalled)."""
    app_state = request.app.state
    users = runtime.users()
    if getattr(app_state, "users", None) is not users:
        settings = app_state.settings or runtime.service().deps.settings
        app_state.auth = Authenticator(users, settings)
        database = users.db  # shared by every worker process and host on this database
        app_state.turn_limit = RateLimiter(settings.api_turns_per_minute, "turns", database)
        app_state.request_limit = RateLimiter(settings.api_requests_per_minute, "requests", database)
        app_state.users = users
    return app_state


def authenticate(
    request: Request,
    creds: HTTPBasicCredentials | None,
    token: HTTPAuthorizationCredentials | None,
) -> User:
    auth: Authenticator = state(request).auth
    try:
        user = auth.sso(request.headers)
    except AuthFailed as e:
        raise HTTPException(401, str(e)) from e
    if user is not None:
        return user
    if token is not None:
        user = auth.token(token.credentials)
        if user is None:
            raise HTTPException(401, "That API token is not valid (revoked or mistyped); ask for a new one.")
        return user
    if creds is None:
        raise HTTPException(
            401,
            "Sign in with your Beacon username and password (HTTP Basic) or an API token (Bearer).",
            headers={"WWW-Authenticate": "Basic"},
        )
    try:
        user = auth.password(creds.username, creds.password)
    except LoginLocked as e:
        raise HTTPException(429, str(e), headers={"Retry-After": str(RateLimiter.retry_after(e.wait_s))}) from e
    if user is None:
        raise HTTPException(401, "Wrong username or password.", headers={"WWW-Authenticate": "Basic"})
    return user


def limited(limiter: RateLimiter, user: User, what: str) -> None:
    wait = limiter.take(user.username)
    if wait:
        secs = RateLimiter.retry_after(wait)
        raise HTTPException(
            429,
            f"Too many {what} in a minute; wait {secs} seconds and try again.",
            headers={"Retry-After": str(secs)},
        )


def current_user(
    request: Request,
    creds: HTTPBasicCredentials | None = Depends(basic),
    token: HTTPAuthorizationCredentials | None = Depends(bearer),
) -> User:
    user = authenticate(request, creds, token)
    limited(state(request).request_limit, user, "requests")
    return user


def turn_user(
    request: Request,
    creds: HTTPBasicCredentials | None = Depends(basic),
    token: HTTPAuthorizationCredentials | None = Depends(bearer),
) -> User:
    user = authenticate(request, creds, token)
    limited(state(request).turn_limit, user, "questions")
    return user


# --- authorization helpers -------------------------------------------------------------------
def forbid(message: str) -> HTTPException:
    return HTTPException(403, message)


def no_thread(thread_id: str) -> HTTPException:
    # the same answer whether the thread does not exist or is someone else's
    return HTTPException(404, f"No conversation '{thread_id}' exists for you; start a new one without thread_id.")


def recorded(user: User, participant_id: str, what: str, reason: str | None = None) -> None:
    """Write the access record first; no record, no data (fail closed)."""
    deps = runtime.service().deps
    try:
        record_access(deps, user.username, user.role, participant_id, what, reason)
    except Exception as e:
        raise HTTPException(
            503, "The access could not be recorded in the audit trail, so nothing is shown; try again shortly."
        ) from e


def participant_exists(participant_id: str) -> None:
    runtime.service().deps.participants.get(participant_id)  # NotFoundError -> 404


def owns_thread(user: User, owner: ThreadOwner) -> bool:
    return user.role == "participant" and owner.participant_id == user.participant_id and owner.channel == "participant"


def redact(text: str) -> str:
    try:
        return str(runtime.service().deps.guard.redact(text).text)
    except Exception as e:
        raise HTTPException(503, "The text could not be screened for personal data, so it was not stored.") from e


def summary(o: ThreadOwner) -> ThreadSummary:
    return ThreadSummary(
        thread_id=o.thread_id,
        participant_id=o.participant_id,
        plan_id=o.plan_id,
        channel=o.channel,
        created_at=o.created_at,
        updated_at=o.updated_at,
        turns=o.turns,
    )


def threads() -> Any:
    store = runtime.service().deps.threads
    if store is None:
        raise UnavailableError("Thread history is not configured on this server.")
    return store


def handoffs() -> Any:
    store = runtime.service().deps.handoffs
    if store is None:
        raise UnavailableError("The hand-off queue is not configured on this server.")
    return store
