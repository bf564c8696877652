"""The REST API load run of `make bench`: 20 concurrent sessions, each its own participant login,
each asking a fixed 5-turn script over `POST /api/v1/turns` with its API token (one conversation, continued by
thread id) against the real deployment command, `beacon serve --api-only --workers N` (N = the
machine's cores), on a free loopback port, offline backend. Sessions send their next turn as soon as
the previous answer arrives (no think time). Reports p50/p95/max latency and errors against DESIGN.md's target.

`python -m assistant.tooling.api_bench` runs it alone in a fresh temporary data dir.
"""

from __future__ import annotations

import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

SESSIONS = 20
SCRIPT = [
    "How much more would my employer put in if I raised my contribution?",
    "Am I vested in the match?",
    "How much can I borrow from my 401k?",
    "What's the most I can contribute this year?",
    "What happens to my 401k if I leave my job?",
]
TARGET_P95_MS = 1500.0
SERVER_START_S = 120.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _session(base: str, token: str, start: threading.Barrier) -> tuple[list[float], list[str]]:
    import httpx

    latencies: list[float] = []
    errors: list[str] = []
    thread_id = None
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
        start.wait()
        for text in SCRIPT:
            body: dict[str, Any] = {"text": text}
            if thread_id:
                body["thread_id"] = thread_id
            t = time.perf_counter()
            try:
                r = client.post("/api/v1/turns", json=body)
                latencies.append((time.perf_counter() - t) * 1000)
                if r.status_code != 200:
                    errors.append(f"{r.status_code} {r.text[:120]}")
                    continue
                thread_id = r.json()["thread_id"]
            except Exception as e:  # noqa: BLE001 - a load run counts every failure, it does not stop
                latencies.append((time.perf_counter() - t) * 1000)
                errors.append(type(e).__name__)
    return latencies, errors


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def api_load(
    deps: Any, data_dir: Path, sessions: int = SESSIONS, workers: int | None = None, judged: bool = True
) -> list[str]:
    """Run the load against a server over `data_dir` (indexed, roster loaded); returns report lines
    (`judged=False`: a reference run, printed without the target line)."""
    import httpx

    from assistant.records.users import UserStore
    from assistant.tooling.processes import stop

    people = [p.participant_id for p in deps.participants.all()]
    users = UserStore(deps.db)
    logins = []
    for i in range(sessions):
        name, password = f"load-{i:02d}", secrets.token_urlsafe(16)
        users.add(name, password, "participant", people[i % len(people)], replace=True)
        logins.append((name, users.issue_token(name)))  # API clients use tokens (no argon2 per session)
    port, workers = _free_port(), workers or os.cpu_count() or 1
    env = {**os.environ, "BEACON_DATA_DIR": str(data_dir), "BEACON_BACKEND": "offline"}
    command = ["serve", "--api-only", "--workers", str(workers), "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen([sys.executable, "-m", "assistant.surfaces.cli", *command], env=env)  # noqa: S603 - our own CLI
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                return [f"REST API load: the server did not start (exit {server.poll()})"]
            time.sleep(0.5)
        # warm-up turns (first-request imports in every worker), not counted
        with ThreadPoolExecutor(workers) as pool:
            list(
                pool.map(
                    lambda i: httpx.post(
                        f"{base}/api/v1/turns",
                        json={"text": SCRIPT[0]},
                        headers={"Authorization": f"Bearer {logins[i % sessions][1]}"},
                        timeout=60,
                    ),
                    range(workers * 2),
                )
            )
        load_before = os.getloadavg()[0]  # other work on the machine (the server idles now)
        barrier = threading.Barrier(sessions)
        t0 = time.perf_counter()
        with ThreadPoolExecutor(sessions) as pool:
            results = list(pool.map(lambda login: _session(base, login[1], barrier), logins))
        wall = time.perf_counter() - t0
    finally:
        stop(server)
        for name, _ in logins:
            users.remove(name)
    latencies = [x for lat, _ in results for x in lat]
    first = [lat[0] for lat, _ in results if lat]
    errors = [e for _, errs in results for e in errs]
    p50, p95 = statistics.median(latencies), _pct(latencies, 0.95)
    ok = p95 <= TARGET_P95_MS and not errors
    lines = [
        f"REST API load (`beacon serve --api-only --workers {workers}`): {sessions} concurrent sessions x "
        f"{len(SCRIPT)} turns = {len(latencies)} requests in "
        f"{wall:.1f} s ({len(latencies) / wall:.1f} req/s); 1-min load average before the run {load_before:.2f} on {os.cpu_count()} CPUs",
        f"  latency p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {max(latencies):.0f} ms; errors {len(errors)}"
        f" (first turns, all sent at once: p50 {statistics.median(first):.0f} ms)",
    ]
    if judged:
        lines.append(f"  target p95 <= {TARGET_P95_MS:.0f} ms and zero errors: {'ok' if ok else 'MISSED'}")
    lines += [f"  error: {e}" for e in sorted(set(errors))[:5]]
    return lines


def main() -> int:
    import tempfile

    from assistant.records.participants import parse_roster
    from assistant.retrieval.indexing.ingest import ingest
    from assistant.services.deps import build_deps
    from assistant.settings import PROJECT_ROOT, Settings

    with tempfile.TemporaryDirectory(prefix="beacon-api-bench-") as tmp:
        data = Path(tmp)
        deps = build_deps(Settings(data_dir=data, backend="offline"))
        ingest([PROJECT_ROOT / "knowledge"], deps.index, deps.embedder, progress=False)
        good, _ = parse_roster(PROJECT_ROOT / "knowledge/participants/demo-roster.csv", set(deps.plans))
        deps.participants.upsert(good)
        print("\n".join(api_load(deps, data) + api_load(deps, data, workers=1, judged=False)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
