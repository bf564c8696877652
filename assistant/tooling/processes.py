"""Child processes Beacon starts itself (the local LLM server, a benchmark's API server)."""

from __future__ import annotations

import subprocess


def stop(proc: subprocess.Popen[bytes], wait_s: float = 10) -> None:
    """Terminate, and kill if it has not exited within `wait_s` (a server busy finishing a generation)."""
    proc.terminate()
    try:
        proc.wait(timeout=wait_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
