"""The endpoints under /api/v1. Who may do what is in docs/api.md#roles."""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response

from assistant.errors import BadInputError, UnavailableError
from assistant.records.users import User
from assistant.services import runtime
from assistant.surfaces.api.models import (
    ERRORS,
    ContextCard,
    FeedbackRequest,
    FeedbackResponse,
    HandoffOut,
    HistoryMessage,
    ResolveRequest,
    ThreadHistory,
    ThreadSummary,
    TurnRequest,
)
from assistant.surfaces.api.security import (
    READERS,
    STAFF,
    current_user,
    forbid,
    handoffs,
    no_thread,
    owns_thread,
    participant_exists,
    recorded,
    redact,
    summary,
    threads,
    turn_user,
)
from assistant.turn.result import TurnResult

router = APIRouter(prefix="/api/v1")


# --- endpoints ---------------------------------------------------------------------------------
@router.post("/turns", response_model=TurnResult, responses=ERRORS, tags=["turns"])
async def post_turn(
    body: TurnRequest, request: Request, response: Response, user: User = Depends(turn_user)
) -> TurnResult:
    """One turn: the same object as `beacon ask --json`. Participants ask about their own account only."""
    if request.app.state.balance_turns:
        # Several worker processes share one listening socket, and the kernel balances connections,
        # not requests: a kept-alive connection would pin a client to a worker while another idles.
        # Closing after each turn (a loopback/LAN reconnect costs well under a millisecond against
        # ~60 ms of turn) lets whichever worker is free accept the next one.
        response.headers["Connection"] = "close"
    participant, plan = body.participant, body.plan
    if body.channel == "copilot" and user.role not in STAFF:
        raise forbid("The copilot channel is for agents; use channel 'participant'.")
    if user.role == "participant":
        if participant is not None and participant != user.participant_id:
            raise forbid("Participants can only ask about their own account.")
        participant = user.participant_id
    elif user.role == "compliance" and participant is not None:
        raise forbid(
            "Compliance logins ask general questions only; read a participant's conversations "
            "with GET /api/v1/threads?participant=ID."
        )
    if body.thread_id is not None:
        owner = await asyncio.to_thread(threads().get, body.thread_id)
        mine = owner is not None and (
            owns_thread(user, owner) if user.role == "participant" else owner.created_by == user.username
        )
        if not mine:
            raise no_thread(body.thread_id)
    if participant is not None and user.role in STAFF:
        await asyncio.to_thread(participant_exists, participant)
        await asyncio.to_thread(recorded, user, participant, f"turn ({body.channel})")
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
    store = threads()
    if user.role == "participant":
        if participant is not None and participant != user.participant_id:
            raise forbid("Participants can only see their own conversations.")
        return [summary(o) for o in store.for_participant(user.participant_id, channel="participant")]
    if participant is None:
        return [summary(o) for o in store.created_by(user.username)]
    participant_exists(participant)
    recorded(user, participant, "thread list")
    return [summary(o) for o in store.for_participant(participant)]


@router.get("/threads/{thread_id}", response_model=ThreadHistory, responses=ERRORS, tags=["threads"])
def thread_history(thread_id: str, user: User = Depends(current_user)) -> ThreadHistory:
    """One conversation: redacted user messages and the answers shown, each with its turn id."""
    owner = threads().get(thread_id)
    if owner is None:
        raise no_thread(thread_id)
    if user.role == "participant":
        if not owns_thread(user, owner):
            raise no_thread(thread_id)
    elif owner.participant_id is not None:
        recorded(user, owner.participant_id, f"thread history {thread_id}")
    elif owner.created_by != user.username and user.role not in READERS:
        raise no_thread(thread_id)
    state = runtime.service().thread_state(thread_id)
    if not state:
        raise no_thread(thread_id)  # purged by retention
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
    return ThreadHistory(**summary(owner).model_dump(), messages=messages)


@router.post("/feedback", response_model=FeedbackResponse, status_code=201, responses=ERRORS, tags=["feedback"])
def post_feedback(body: FeedbackRequest, user: User = Depends(current_user)) -> dict[str, Any]:
    """Thumbs up/down and an optional comment (redacted before it is stored) on one answer."""
    if user.role not in ("participant", *STAFF):
        raise forbid("Feedback comes from the people in the conversation (participants and agents).")
    owner = threads().thread_of_turn(body.turn_id)
    if owner is None or (user.role == "participant" and not owns_thread(user, owner)):
        raise HTTPException(404, f"No answer '{body.turn_id}' in your conversations; check the turn_id.")
    store = runtime.service().deps.feedback
    if store is None:
        raise UnavailableError("Feedback is not configured on this server.")
    return dict(
        store.add(body.turn_id, user.username, body.rating, body.comment, redact, owner.thread_id, owner.participant_id)
    )


HandoffStatus = Literal["open", "claimed", "resolved", "all"]


@router.get("/handoffs", response_model=list[HandoffOut], responses=ERRORS, tags=["handoffs"])
def list_handoffs(status: HandoffStatus = "open", user: User = Depends(current_user)) -> list[dict[str, Any]]:
    """The queue of conversations waiting for a person (agents, compliance; each participant shown is recorded)."""
    if user.role not in READERS:
        raise forbid("The hand-off queue is for agents and compliance staff.")
    items = handoffs().list(None if status == "all" else status)
    for pid in sorted({h.participant_id for h in items if h.participant_id}):
        recorded(user, pid, "hand-off queue")
    return [h.to_dict() for h in items]


@router.post("/handoffs/{handoff_id}/claim", response_model=HandoffOut, responses=ERRORS, tags=["handoffs"])
def claim_handoff(handoff_id: str, user: User = Depends(current_user)) -> dict[str, Any]:
    if user.role not in STAFF:
        raise forbid("Only agents claim hand-offs.")
    store = handoffs()
    current = store.get(handoff_id)
    if current.participant_id:
        recorded(user, current.participant_id, f"hand-off {handoff_id} claimed")
    try:
        return dict(store.claim(handoff_id, user.username).to_dict())
    except BadInputError as e:
        raise HTTPException(409, str(e)) from e


@router.post("/handoffs/{handoff_id}/resolve", response_model=HandoffOut, responses=ERRORS, tags=["handoffs"])
def resolve_handoff(handoff_id: str, body: ResolveRequest, user: User = Depends(current_user)) -> dict[str, Any]:
    """Close a hand-off with a note (redacted before it is stored)."""
    if user.role not in STAFF:
        raise forbid("Only agents resolve hand-offs.")
    store = handoffs()
    current = store.get(handoff_id)
    if current.participant_id:
        recorded(user, current.participant_id, f"hand-off {handoff_id} resolved")
    try:
        return dict(store.resolve(handoff_id, user.username, redact(body.note)).to_dict())
    except BadInputError as e:
        raise HTTPException(409, str(e)) from e


def _card(participant_id: str) -> dict[str, Any]:
    from assistant.services.context_card import context_card

    return context_card(runtime.service().deps, participant_id)


@router.get("/participants/me/context", response_model=ContextCard, responses=ERRORS, tags=["participants"])
def my_context(user: User = Depends(current_user)) -> dict[str, Any]:
    """A participant's own card: plan, age, balance, deferral, vesting, loans, life events, nudges."""
    if user.role != "participant" or not user.participant_id:
        raise forbid("Only participant logins have their own context; agents use /participants/{id}/context.")
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
            raise forbid("Participants can only see their own account.")
        return _card(participant_id)
    if user.role not in STAFF:
        raise forbid("The context card is for agents.")
    participant_exists(participant_id)
    recorded(user, participant_id, "context card", redact(reason) if reason else None)
    return _card(participant_id)


@router.get("/health", tags=["meta"])
async def health() -> dict[str, str]:
    runtime.service()
    return {"status": "ok"}
