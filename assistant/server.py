"""`beacon serve`: the REST API and the Chainlit chat in one ASGI app (uvicorn)."""

from __future__ import annotations

import os
from pathlib import Path

from assistant.errors import SettingsError
from assistant.settings import PROJECT_ROOT, Settings


def check_startup(settings: Settings) -> None:
    """Refuse to start (SettingsError, exit 2) in production with demo users, a generated key or weak SSO."""
    from assistant.auth import startup_problems
    from assistant.deps import connect
    from assistant.users import UserStore

    conn = connect(settings.db_path)
    try:
        problems = startup_problems(settings, UserStore(conn))
    finally:
        conn.close()
    if problems:
        mode = "Production mode" if settings.mode == "production" else "Beacon"
        raise SettingsError(f"{mode} refuses to start: " + "; ".join(problems) + ".")


def create_app(settings: Settings):  # type: ignore[no-untyped-def]
    """Build everything once (composition root) and return the ASGI app."""
    from assistant import runtime
    from assistant.api import build_app
    from assistant.deps import build_deps, data_dir_secret
    from assistant.turn import TurnService
    from assistant.users import UserStore

    check_startup(settings)  # before any model loads: a refused start is immediate
    deps = build_deps(settings)
    users = UserStore(deps.db)
    runtime.install(TurnService(deps), users)

    # Chainlit reads its config and secret from the environment when it is imported.
    os.environ.setdefault("CHAINLIT_APP_ROOT", str(PROJECT_ROOT))
    os.environ.setdefault("CHAINLIT_AUTH_SECRET", data_dir_secret(settings, "chainlit.secret"))
    from chainlit.utils import mount_chainlit
    from fastapi.responses import RedirectResponse

    app = build_app()

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        return RedirectResponse("/chat")

    mount_chainlit(app=app, target=str(Path(__file__).parent / "ui" / "chainlit_app.py"), path="/chat")
    return app


def serve(settings: Settings, host: str | None = None, port: int | None = None) -> None:
    import uvicorn

    app = create_app(settings)
    host, port = host or settings.host, port or settings.port
    print(f"Beacon is ready: http://{host}:{port}/chat  (REST API http://{host}:{port}/api/v1/turns)", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
