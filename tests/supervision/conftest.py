"""Shared helpers for the supervision tests: synthetic audit records (the shape the audit node
writes) in a real SQLite audit log, and the `beacon` command run in-process on a data dir."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from assistant.surfaces.cli import main as beacon_main


def turn_record(
    day: str = "2026-11-20",
    channel: str = "participant",
    intent: str = "vesting",
    action: str = "answer",
    reason: str | None = None,
    guard: str = "allow",
    review: dict[str, Any] | None = None,
    participant_key: str | None = None,
    turn_id: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "turn_id": turn_id or uuid.uuid4().hex,
        "thread_id": uuid.uuid4().hex,
        "participant_key": participant_key,
        "plan_id": "acme-401k",
        "channel": channel,
        "started_at": f"{day}T10:00:00+00:00",
        "redacted_input": f"a question about {intent}",
        "intent": intent,
        "guard_decision": guard,
        "guard_findings": [],
        "review": review,
        "final_action": action,
        "final_reason": reason,
        "final_text": "text",
        "calculations": [],
        "retrieved": [],
        "citations": [],
        **extra,
    }


@pytest.fixture
def run_beacon(monkeypatch, capsys):  # type: ignore[no-untyped-def]
    """`beacon ARGS` in this process over `data` -> (exit code, stdout, stderr)."""

    def run(data: Path, *args: str) -> tuple[int, str, str]:
        monkeypatch.setenv("BEACON_DATA_DIR", str(data))
        capsys.readouterr()
        code = beacon_main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    return run
