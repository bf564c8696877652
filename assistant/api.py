"""The REST API (FastAPI): `POST /api/v1/turns` returns the same JSON as `beacon ask --json`."""

from __future__ import annotations

import asyncio
import secrets
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from pydantic import BaseModel, ConfigDict, Field

from assistant import runtime
from assistant.errors import BadInputError, BeaconError, NotFoundError, UnavailableError
from assistant.users import User

MAX_BODY_BYTES = 64 * 1024

security = HTTPBasic(auto_error=False)
router = APIRouter(prefix="/api/v1")


class TurnRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=20000)
    plan: str | None = None
    participant: str | None = None
    thread_id: str | None = None
    channel: str = "participant"


def current_user(creds: HTTPBasicCredentials | None = Depends(security)) -> User:
    if creds is None:
        raise HTTPException(
            401, "Sign in with your Beacon username and password (HTTP Basic).", headers={"WWW-Authenticate": "Basic"}
        )
    user = runtime.users().authenticate(creds.username, creds.password)
    if user is None:
        raise HTTPException(401, "Wrong username or password.", headers={"WWW-Authenticate": "Basic"})
    return user


def _scope_for(user: User, body: TurnRequest) -> tuple[str | None, str | None]:
    if user.role == "participant":
        if body.participant and not secrets.compare_digest(body.participant, user.participant_id or ""):
            raise HTTPException(403, "Participants can only ask about their own account.")
        return user.participant_id, body.plan
    return body.participant, body.plan


@router.post("/turns")
async def post_turn(body: TurnRequest, user: User = Depends(current_user)) -> dict[str, Any]:
    participant, plan = _scope_for(user, body)
    channel = "copilot" if user.role == "agent" and body.channel == "copilot" else body.channel
    return await asyncio.to_thread(runtime.service().run, body.text, participant, plan, body.thread_id, channel)


@router.get("/health")
async def health() -> dict[str, str]:
    runtime.service()
    return {"status": "ok"}


def build_app() -> FastAPI:
    app = FastAPI(title="Beacon API", version="1", description="Guarded, cited retirement-plan answers.")

    @app.middleware("http")
    async def limit_body(request: Request, call_next):  # type: ignore[no-untyped-def]
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > MAX_BODY_BYTES:
            return JSONResponse({"error": f"Request body over {MAX_BODY_BYTES} bytes; send a shorter message."}, 413)
        return await call_next(request)

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
        return JSONResponse({"error": str(exc)}, status)

    app.include_router(router)
    return app
