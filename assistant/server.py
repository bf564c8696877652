"""`beacon serve`: the REST API and the Chainlit chat in one ASGI app (uvicorn)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from assistant.errors import SettingsError
from assistant.settings import PROJECT_ROOT, Settings


def _chainlit_secret(settings: Settings) -> str:
    path = settings.data_dir / "chainlit.secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def create_app(settings: Settings):  # type: ignore[no-untyped-def]
    """Build everything once (composition root) and return the ASGI app."""
    from assistant import runtime
    from assistant.api import build_app
    from assistant.deps import build_deps
    from assistant.turn import TurnService
    from assistant.users import UserStore

    deps = build_deps(settings)
    users = UserStore(deps.db)
    if settings.mode == "production" and users.demo_users():
        names = ", ".join(u.username for u in users.demo_users())
        raise SettingsError(f"Production mode refuses to start while demo users exist ({names}); remove them first.")
    runtime.install(TurnService(deps), users)

    # Chainlit reads its config and secret from the environment when it is imported.
    os.environ.setdefault("CHAINLIT_APP_ROOT", str(PROJECT_ROOT))
    os.environ.setdefault("CHAINLIT_AUTH_SECRET", _chainlit_secret(settings))
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
