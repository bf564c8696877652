"""`beacon serve`: the REST API and the Chainlit chat in one ASGI app (uvicorn).

`beacon serve --api-only --workers N` serves the REST API alone in N worker processes on one port
(uvicorn's process manager): turns are CPU-bound under Python's GIL, so one process uses one core.
Every worker reads the same data dir; state that must be shared (threads, users, tokens, rate-limit
buckets, failed-login counts, the audit chain) lives in the database (SQLite, or PostgreSQL for several hosts), never in a worker's memory.
The chat UI stays single-process (Chainlit keeps each session's socket state in memory).
"""

from __future__ import annotations

import os
from pathlib import Path

from assistant.errors import SettingsError
from assistant.settings import PROJECT_ROOT, Settings


def check_startup(settings: Settings) -> None:
    """Refuse to start (SettingsError, exit 2) in production with demo users, a generated key or weak SSO."""
    from assistant.records.auth import startup_problems
    from assistant.records.users import UserStore
    from assistant.storage import open_database

    db = open_database(settings)  # an older schema stops here: one sentence naming `beacon db upgrade`
    try:
        problems = startup_problems(settings, UserStore(db))
    finally:
        db.close()
    if problems:
        mode = "Production mode" if settings.mode == "production" else "Beacon"
        raise SettingsError(f"{mode} refuses to start: " + "; ".join(problems) + ".")


def create_app(settings: Settings):  # type: ignore[no-untyped-def]
    """Build everything once (composition root) and return the ASGI app."""
    from assistant.records.users import UserStore
    from assistant.services import runtime
    from assistant.services.deps import build_deps, data_dir_secret, warm_up
    from assistant.services.turn_service import TurnService
    from assistant.surfaces.api import build_app

    check_startup(settings)  # before any model loads: a refused start is immediate
    deps = build_deps(settings)
    warm_up(deps)
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

    mount_chainlit(app=app, target=str(Path(__file__).parent / "ui" / "chat.py"), path="/chat")
    return app


def serve(settings: Settings, host: str | None = None, port: int | None = None) -> None:
    import uvicorn

    app = create_app(settings)
    host, port = host or settings.host, port or settings.port
    print(f"Beacon is ready: http://{host}:{port}/chat  (REST API http://{host}:{port}/api/v1/turns)", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


WORKERS_ENV = "BEACON_API_WORKERS"


def api_app():  # type: ignore[no-untyped-def]
    """uvicorn factory for one REST API worker process (`serve_api`): settings from the environment."""
    from assistant.records.users import UserStore
    from assistant.services import runtime
    from assistant.services.deps import build_deps, warm_up
    from assistant.services.turn_service import TurnService
    from assistant.settings import load_settings
    from assistant.surfaces.api import build_app

    workers = int(os.environ.get(WORKERS_ENV, "1"))
    if workers > 1:  # one core per worker: intra-op threads in every worker would only contend
        import torch

        torch.set_num_threads(max(1, (os.cpu_count() or 1) // workers))
    settings = load_settings()
    deps = build_deps(settings)
    warm_up(deps)  # before uvicorn lets this worker accept: no caller waits for a cold worker
    runtime.install(TurnService(deps), UserStore(deps.db))
    return build_app(settings, balance_turns=workers > 1)


def serve_api(settings: Settings, host: str | None = None, port: int | None = None, workers: int = 1) -> None:
    """The REST API alone (no chat UI) in `workers` processes sharing one port."""
    import uvicorn

    if workers < 1:
        raise SettingsError("--workers must be at least 1.")
    check_startup(settings)
    host, port = host or settings.host, port or settings.port
    os.environ[WORKERS_ENV] = str(workers)
    if workers > 1:
        os.environ.setdefault("OMP_NUM_THREADS", "1")  # numpy/BLAS in spaCy: one thread per worker
    print(f"Beacon REST API is starting {workers} worker(s): http://{host}:{port}/api/v1/turns", flush=True)
    uvicorn.run(
        "assistant.surfaces.server:api_app", factory=True, host=host, port=port, workers=workers, log_level="warning"
    )
