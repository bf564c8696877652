"""The REST API (FastAPI) under /api/v1: turns (the `beacon ask --json` object), thread history,
feedback, the hand-off queue and the agent's context card.

Who may do what (README "Accounts, roles and the REST API" has the table): a participant only
ever reaches their own participant id and their own participant-channel threads — anything else
answers exactly as if it did not exist; agents and admins reach any participant, and every such
access is an audit record written *before* the data is returned (if it cannot be written, 503);
compliance reads conversations and the hand-off queue (recorded the same way) but never acts
for a participant.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, Literal

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBasic, HTTPBasicCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.errors import BadInputError, BeaconError, NotFoundError, UnavailableError
from assistant.records.access import record_access
from assistant.records.auth import Authenticator, AuthFailed
from assistant.records.ratelimit import RateLimiter, database_file
from assistant.records.threads import ThreadOwner
from assistant.records.users import LoginLocked, User
from assistant.services import runtime
from assistant.settings import Settings

MAX_BODY_BYTES = 64 * 1024
ID = Field(min_length=1, max_length=128)

basic = HTTPBasic(auto_error=False, description="Beacon username and password")
bearer = HTTPBearer(auto_error=False, description="an API token from `beacon users token USERNAME`")
router = APIRouter(prefix="/api/v1")

STAFF = ("agent", "admin")
"""act for any participant (copilot turns, context card, hand-offs); every access recorded"""
READERS = ("agent", "compliance", "admin")
"""read any participant's conversations and the hand-off queue; every access recorded"""


# --- models ------------------------------------------------------------------------------------
class TurnRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=20000)
    plan: str | None = Field(default=None, max_length=128)
    participant: str | None = Field(default=None, max_length=128)
    thread_id: str | None = Field(default=None, max_length=128)
    channel: str = Field(default="participant", max_length=32)


class TurnResponse(BaseModel):
    """The `beacon ask --json` object (../shared/specs/cli.md), plus diagnostic keys."""

    model_config = ConfigDict(extra="allow")
    thread_id: str
    turn_id: str
    audit_id: str | None
    action: str
    answer: str
    citations: list[dict[str, Any]]
    figures: list[dict[str, Any]]
    nudges: list[dict[str, Any]]
    guardrail: dict[str, Any]
    latency_ms: float


class ThreadSummary(BaseModel):
    thread_id: str
    participant_id: str | None
    plan_id: str | None
    channel: str
    created_at: str
    updated_at: str
    turns: int


class HistoryMessage(BaseModel):
    role: Literal["user", "assistant"]
    turn_id: str
    text: str
    """redacted: what the person typed, with PII replaced by placeholders; or the answer shown"""
    action: str | None = None
    citations: list[str] = []
    figures: dict[str, Any] = {}


class ThreadHistory(ThreadSummary):
    messages: list[HistoryMessage]


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    turn_id: str = ID
    rating: Literal["up", "down"]
    comment: str | None = Field(default=None, max_length=2000)


class FeedbackResponse(BaseModel):
    feedback_id: str
    turn_id: str
    rating: str
    comment: str | None
    """as stored: redacted by the PII guard"""
    created_at: str


class HandoffOut(BaseModel):
    handoff_id: str
    thread_id: str
    turn_id: str
    participant_id: str | None
    plan_id: str | None
    summary: dict[str, Any]
    status: str
    created_at: str
    claimed_by: str | None
    resolved_at: str | None
    note: str | None


class ResolveRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str = Field(min_length=1, max_length=2000)


class Balance(BaseModel):
    total: float
    employee: float
    employer: float


class Loans(BaseModel):
    outstanding: int
    outstanding_balance: float
    maximum_new_loan: float | str
    maximum_reason: str


class ContextCard(BaseModel):
    participant_id: str
    first_name: str
    plan_id: str
    plan_name: str
    as_of: str
    age: int | None
    employment_status: str
    balance: Balance
    deferral_pct: float | None
    roth_pct: float
    vested_pct: float | str | None
    vested_balance: float | str | None
    loans: Loans
    recent_life_events: list[dict[str, str]]
    pending_nudges: list[dict[str, str]]


class ErrorBody(BaseModel):
    error: str
    detail: Any = None


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (401, 403, 404, 409, 413, 422, 429, 503)
}


# --- who is calling --------------------------------------------------------------------------
def _state(request: Request) -> Any:
    """Authenticator and rate limiters for the installed runtime (rebuilt if it is reinstalled)."""
    app_state = request.app.state
    users = runtime.users()
    if getattr(app_state, "users", None) is not users:
        settings = app_state.settings or runtime.service().deps.settings
        app_state.auth = Authenticator(users, settings)
        database = database_file(users.conn)  # shared by every worker process on this data dir
        app_state.turn_limit = RateLimiter(settings.api_turns_per_minute, "turns", database)
        app_state.request_limit = RateLimiter(settings.api_requests_per_minute, "requests", database)
        app_state.users = users
    return app_state


def _authenticate(
    request: Request,
    creds: HTTPBasicCredentials | None,
    token: HTTPAuthorizationCredentials | None,
) -> User:
    auth: Authenticator = _state(request).auth
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


def _limited(limiter: RateLimiter, user: User, what: str) -> None:
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
    user = _authenticate(request, creds, token)
    _limited(_state(request).request_limit, user, "requests")
    return user


def turn_user(
    request: Request,
    creds: HTTPBasicCredentials | None = Depends(basic),
    token: HTTPAuthorizationCredentials | None = Depends(bearer),
) -> User:
    user = _authenticate(request, creds, token)
    _limited(_state(request).turn_limit, user, "questions")
    return user


# --- authorization helpers -------------------------------------------------------------------
def _forbid(message: str) -> HTTPException:
    return HTTPException(403, message)


def _no_thread(thread_id: str) -> HTTPException:
    # the same answer whether the thread does not exist or is someone else's
    return HTTPException(404, f"No conversation '{thread_id}' exists for you; start a new one without thread_id.")


def _recorded(user: User, participant_id: str, what: str, reason: str | None = None) -> None:
    """Write the access record first; no record, no data (fail closed)."""
    deps = runtime.service().deps
    try:
        record_access(deps, user.username, user.role, participant_id, what, reason)
    except Exception as e:
        raise HTTPException(
            503, "The access could not be recorded in the audit trail, so nothing is shown; try again shortly."
        ) from e


def _participant_exists(participant_id: str) -> None:
    runtime.service().deps.participants.get(participant_id)  # NotFoundError -> 404


def _owns_thread(user: User, owner: ThreadOwner) -> bool:
    return user.role == "participant" and owner.participant_id == user.participant_id and owner.channel == "participant"


def _redact(text: str) -> str:
    try:
        return str(runtime.service().deps.guard.redact(text).text)
    except Exception as e:
        raise HTTPException(503, "The text could not be screened for personal data, so it was not stored.") from e


def _summary(o: ThreadOwner) -> ThreadSummary:
    return ThreadSummary(
        thread_id=o.thread_id,
        participant_id=o.participant_id,
        plan_id=o.plan_id,
        channel=o.channel,
        created_at=o.created_at,
        updated_at=o.updated_at,
        turns=o.turns,
    )


def _threads() -> Any:
    store = runtime.service().deps.threads
    if store is None:
        raise UnavailableError("Thread history is not configured on this server.")
    return store


def _handoffs() -> Any:
    store = runtime.service().deps.handoffs
    if store is None:
        raise UnavailableError("The hand-off queue is not configured on this server.")
    return store


# --- endpoints ---------------------------------------------------------------------------------
@router.post("/turns", response_model=TurnResponse, responses=ERRORS, tags=["turns"])
async def post_turn(
    body: TurnRequest, request: Request, response: Response, user: User = Depends(turn_user)
) -> dict[str, Any]:
    """One turn: the same object as `beacon ask --json`. Participants ask about their own account only."""
    if request.app.state.balance_turns:
        # Several worker processes share one listening socket, and the kernel balances connections,
        # not requests: a kept-alive connection would pin a client to a worker while another idles.
        # Closing after each turn (a loopback/LAN reconnect costs well under a millisecond against
        # ~60 ms of turn) lets whichever worker is free accept the next one.
        response.headers["Connection"] = "close"
    participant, plan = body.participant, body.plan
    if body.channel == "copilot" and user.role not in STAFF:
        raise _forbid("The copilot channel is for agents; use channel 'participant'.")
    if user.role == "participant":
        if participant is not None and participant != user.participant_id:
            raise _forbid("Participants can only ask about their own account.")
        participant = user.participant_id
    elif user.role == "compliance" and participant is not None:
        raise _forbid(
            "Compliance logins ask general questions only; read a participant's conversations "
            "with GET /api/v1/threads?participant=ID."
        )
    if body.thread_id is not None:
        owner = await asyncio.to_thread(_threads().get, body.thread_id)
        mine = owner is not None and (
            _owns_thread(user, owner) if user.role == "participant" else owner.created_by == user.username
        )
        if not mine:
            raise _no_thread(body.thread_id)
    if participant is not None and user.role in STAFF:
        await asyncio.to_thread(_participant_exists, participant)
        await asyncio.to_thread(_recorded, user, participant, f"turn ({body.channel})")
    svc = runtime.service()
    return await asyncio.to_thread(
        svc.run, body.text, participant, plan, body.thread_id, body.channel, user.username, offer_nudges=True
    )


@router.get("/threads", response_model=list[ThreadSummary], responses=ERRORS, tags=["threads"])
def list_threads(
    participant: str | None = Query(default=None, max_length=128, description="agents: this participant's threads"),
    user: User = Depends(current_user),
) -> list[ThreadSummary]:
    """The caller's conversations, newest first; agents and compliance: `?participant=ID` (recorded)."""
    store = _threads()
    if user.role == "participant":
        if participant is not None and participant != user.participant_id:
            raise _forbid("Participants can only see their own conversations.")
        return [_summary(o) for o in store.for_participant(user.participant_id, channel="participant")]
    if participant is None:
        return [_summary(o) for o in store.created_by(user.username)]
    _participant_exists(participant)
    _recorded(user, participant, "thread list")
    return [_summary(o) for o in store.for_participant(participant)]


@router.get("/threads/{thread_id}", response_model=ThreadHistory, responses=ERRORS, tags=["threads"])
def thread_history(thread_id: str, user: User = Depends(current_user)) -> ThreadHistory:
    """One conversation: redacted user messages and the answers shown, each with its turn id."""
    owner = _threads().get(thread_id)
    if owner is None:
        raise _no_thread(thread_id)
    if user.role == "participant":
        if not _owns_thread(user, owner):
            raise _no_thread(thread_id)
    elif owner.participant_id is not None:
        _recorded(user, owner.participant_id, f"thread history {thread_id}")
    elif owner.created_by != user.username and user.role not in READERS:
        raise _no_thread(thread_id)
    state = runtime.service().thread_state(thread_id)
    if not state:
        raise _no_thread(thread_id)  # purged by retention
    messages = [
        HistoryMessage(
            role=h["role"],
            turn_id=h.get("turn_id", ""),
            text=h.get("text", ""),
            action=h.get("action"),
            citations=h.get("citations", []) if h["role"] == "assistant" else [],
            figures=h.get("figures", {}) if h["role"] == "assistant" else {},
        )
        for h in state.get("history", [])
        if h.get("role") in ("user", "assistant")
    ]
    return ThreadHistory(**_summary(owner).model_dump(), messages=messages)


@router.post("/feedback", response_model=FeedbackResponse, status_code=201, responses=ERRORS, tags=["feedback"])
def post_feedback(body: FeedbackRequest, user: User = Depends(current_user)) -> dict[str, Any]:
    """Thumbs up/down and an optional comment (redacted before it is stored) on one answer."""
    if user.role not in ("participant", *STAFF):
        raise _forbid("Feedback comes from the people in the conversation (participants and agents).")
    owner = _threads().thread_of_turn(body.turn_id)
    if owner is None or (user.role == "participant" and not _owns_thread(user, owner)):
        raise HTTPException(404, f"No answer '{body.turn_id}' in your conversations; check the turn_id.")
    store = runtime.service().deps.feedback
    if store is None:
        raise UnavailableError("Feedback is not configured on this server.")
    return dict(
        store.add(
            body.turn_id, user.username, body.rating, body.comment, _redact, owner.thread_id, owner.participant_id
        )
    )


HandoffStatus = Literal["open", "claimed", "resolved", "all"]


@router.get("/handoffs", response_model=list[HandoffOut], responses=ERRORS, tags=["handoffs"])
def list_handoffs(status: HandoffStatus = "open", user: User = Depends(current_user)) -> list[dict[str, Any]]:
    """The queue of conversations waiting for a person (agents, compliance; each participant shown is recorded)."""
    if user.role not in READERS:
        raise _forbid("The hand-off queue is for agents and compliance staff.")
    items = _handoffs().list(None if status == "all" else status)
    for pid in sorted({h.participant_id for h in items if h.participant_id}):
        _recorded(user, pid, "hand-off queue")
    return [h.to_dict() for h in items]


@router.post("/handoffs/{handoff_id}/claim", response_model=HandoffOut, responses=ERRORS, tags=["handoffs"])
def claim_handoff(handoff_id: str, user: User = Depends(current_user)) -> dict[str, Any]:
    if user.role not in STAFF:
        raise _forbid("Only agents claim hand-offs.")
    store = _handoffs()
    current = store.get(handoff_id)
    if current.participant_id:
        _recorded(user, current.participant_id, f"hand-off {handoff_id} claimed")
    try:
        return dict(store.claim(handoff_id, user.username).to_dict())
    except BadInputError as e:
        raise HTTPException(409, str(e)) from e


@router.post("/handoffs/{handoff_id}/resolve", response_model=HandoffOut, responses=ERRORS, tags=["handoffs"])
def resolve_handoff(handoff_id: str, body: ResolveRequest, user: User = Depends(current_user)) -> dict[str, Any]:
    """Close a hand-off with a note (redacted before it is stored)."""
    if user.role not in STAFF:
        raise _forbid("Only agents resolve hand-offs.")
    store = _handoffs()
    current = store.get(handoff_id)
    if current.participant_id:
        _recorded(user, current.participant_id, f"hand-off {handoff_id} resolved")
    try:
        return dict(store.resolve(handoff_id, user.username, _redact(body.note)).to_dict())
    except BadInputError as e:
        raise HTTPException(409, str(e)) from e


def _card(participant_id: str) -> dict[str, Any]:
    from assistant.services.context_card import context_card

    return context_card(runtime.service().deps, participant_id)


@router.get("/participants/me/context", response_model=ContextCard, responses=ERRORS, tags=["participants"])
def my_context(user: User = Depends(current_user)) -> dict[str, Any]:
    """A participant's own card: plan, age, balance, deferral, vesting, loans, life events, nudges."""
    if user.role != "participant" or not user.participant_id:
        raise _forbid("Only participant logins have their own context; agents use /participants/{id}/context.")
    return _card(user.participant_id)


@router.get(
    "/participants/{participant_id}/context", response_model=ContextCard, responses=ERRORS, tags=["participants"]
)
def participant_context(
    participant_id: str,
    reason: str | None = Query(default=None, max_length=300, description="why (e.g. 'caller verified: DOB + ZIP')"),
    user: User = Depends(current_user),
) -> dict[str, Any]:
    """The agent's context card for a caller; the access (with the reason, redacted) is recorded first."""
    if user.role == "participant":
        if participant_id != user.participant_id:
            raise _forbid("Participants can only see their own account.")
        return _card(participant_id)
    if user.role not in STAFF:
        raise _forbid("The context card is for agents.")
    _participant_exists(participant_id)
    _recorded(user, participant_id, "context card", _redact(reason) if reason else None)
    return _card(participant_id)


@router.get("/health", tags=["meta"])
async def health() -> dict[str, str]:
    runtime.service()
    return {"status": "ok"}


# --- the app -----------------------------------------------------------------------------------
class BodyLimit:
    """413 for bodies over the limit, whether or not the client sent Content-Length."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):  # the chat has its own limits
            await self.app(scope, receive, send)
            return
        too_big = JSONResponse(
            {"error": f"Request body over {self.limit} bytes; send a shorter message."}, status_code=413
        )
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.limit:
            await too_big(scope, receive, send)
            return
        seen = 0
        refused = False

        async def counted() -> Message:
            nonlocal seen, refused
            msg = await receive()
            if msg["type"] == "http.request" and not refused:
                seen += len(msg.get("body", b""))
                if seen > self.limit:  # chunked upload past the limit: answer now, end the body
                    refused = True
                    await too_big(scope, receive, send)
                    return {"type": "http.disconnect"}
            return msg

        async def unless_refused(msg: Message) -> None:
            if not refused:
                await send(msg)

        await self.app(scope, counted, unless_refused)


def _field_message(exc: RequestValidationError) -> str:
    errors = exc.errors()
    if not errors:
        return "The request is invalid; check it against /docs."
    first = errors[0]
    loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path")]
    where = ".".join(loc) or "body"
    if first.get("type") == "json_invalid":
        return "The body is not valid JSON; send a JSON object (see /docs)."
    return f"Field '{where}': {first.get('msg', 'invalid')}; fix it and send again."


def build_app(settings: Settings | None = None, balance_turns: bool = False) -> FastAPI:
    """The API app. Sign-in (SSO) and rate limits follow `settings`, by default the running service's.

    `balance_turns` (several worker processes on one port): turn responses close their connection,
    so each turn goes to a free worker instead of the one the client first connected to."""
    app = FastAPI(
        title="Beacon API",
        version="1",
        description=(
            "Guarded, cited retirement-plan answers. Authenticate with HTTP Basic (username and password), "
            "`Authorization: Bearer <token>` (`beacon users token USERNAME`), or — when BEACON_SSO_HEADER is "
            "set — the SSO proxy's user header plus its shared secret. Errors are JSON `{error, detail}`."
        ),
    )
    app.state.settings = settings
    app.state.balance_turns = balance_turns
    app.add_middleware(BodyLimit)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"error": exc.detail, "detail": exc.detail}, exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        detail = json.loads(json.dumps(exc.errors(), default=str))
        return JSONResponse({"error": _field_message(exc), "detail": detail}, 422)

    @app.exception_handler(BeaconError)
    async def beacon_error(request: Request, exc: BeaconError) -> JSONResponse:
        status = (
            404
            if isinstance(exc, NotFoundError)
            else 503
            if isinstance(exc, UnavailableError)
            else 422
            if isinstance(exc, BadInputError)
            else 500
        )
        return JSONResponse({"error": str(exc), "detail": str(exc)}, status)

    app.include_router(router)
    return app
