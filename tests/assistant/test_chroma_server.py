"""Scale-out by configuration: BEACON_CHROMA_URL points Beacon at a real `chroma run` server on
loopback, and retrieval through it is identical to the embedded index."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.services.turn_service import TurnService
from evals.retrieval_eval import RETRIEVAL_DIR, load_set
from tests.conftest import make_deps

CHROMA = Path(sys.executable).with_name("chroma")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    if not CHROMA.exists():
        pytest.skip(f"{CHROMA} is not installed (chromadb's server CLI)")
    port = _free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    log = (path / "server.log").open("w")
    proc = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(path / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={"ANONYMIZED_TELEMETRY": "False", "PATH": "/usr/bin:/bin"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"chroma server did not start: {(path / 'server.log').read_text()}") from None
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


@pytest.mark.slow
def test_chroma_server_gives_identical_retrieval_and_answers(models, chroma_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # its own embedded index, not the session's shared one: other test files ingest more documents into that
    # one, and with the suite split over workers they may run first (232 chunks against 229)
    deps = make_deps(tmp_path / "embedded", models)
    server = make_deps(tmp_path / "data", models, chroma_url=chroma_url)
    assert server.settings.chroma_url == chroma_url
    assert server.index.chunk_count() == deps.index.chunk_count() > 0
    # the embedded store was not used: nothing was written under the data dir's chroma folder
    assert not (tmp_path / "data" / "chroma").exists()
    assert server.index.version() == deps.index.version()
    questions = load_set(RETRIEVAL_DIR / "bundled.yaml").questions[::5]
    for q in questions:
        for mode in ("dense", "hybrid"):
            a, _ = server.retriever.search(q.q, q.plan, k=8, mode=mode)
            b, _ = deps.retriever.search(q.q, q.plan, k=8, mode=mode)
            assert [h.chunk_id for h in a] == [h.chunk_id for h in b], (q.id, mode)
            assert all(abs(x.score - y.score) < 1e-3 for x, y in zip(a, b, strict=True))
    text = "How many loans can I have at once?"
    ours = TurnService(server).run(text, participant="C-2005")
    theirs = TurnService(deps).run(text, participant="C-2005")
    assert ours.answer == theirs.answer and ours.citations == theirs.citations


def test_unreachable_chroma_server_is_a_clear_error(models, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from assistant.errors import UnavailableError

    with pytest.raises(UnavailableError) as e:
        make_deps(tmp_path / "data", models, ingest=False, roster=False, chroma_url=f"http://127.0.0.1:{_free_port()}")
    assert "BEACON_CHROMA_URL" in str(e.value) or "document index" in str(e.value)
