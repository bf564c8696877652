"""The FastAPI application: the routes, the body limit, JSON errors that name the field."""

from __future__ import annotations

import json

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.errors import BadInputError, BeaconError, NotFoundError, UnavailableError
from assistant.settings import Settings
from assistant.surfaces.api.models import MAX_BODY_BYTES
from assistant.surfaces.api.routes import router
from assistant.surfaces.api.why import router as why_router


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
    app.include_router(why_router)
    return app
