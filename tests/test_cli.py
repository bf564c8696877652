"""The `beacon` command as a user runs it: JSON contract, exit codes, one-sentence errors."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, make_deps

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def data_dir(models, tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    data = tmp_path_factory.mktemp("cli-data")
    make_deps(data, models).db.close()
    return data


def beacon(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BEACON_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "assistant.surfaces.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_ask_json_then_audit_show_and_verify(data_dir: Path) -> None:
    r = beacon(
        data_dir,
        "ask",
        "--json",
        "--participant",
        "A-1002",
        "How much more would my employer put in if I raised my contribution?",
    )
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["action"] == "answer" and out["citations"][0]["id"] == "acme-401k/spd#4.2"
    assert any(f["name"] == "annual_match_missed" and f["value"] == 1440.0 for f in out["figures"])
    assert "Traceback" not in r.stderr
    shown = beacon(data_dir, "audit", "show", out["turn_id"])
    assert shown.returncode == 0 and "acme-401k/spd#4.2" in shown.stdout and "output.ungrounded_figure" in shown.stdout
    ok = beacon(data_dir, "audit", "verify")
    assert ok.returncode == 0 and "OK" in ok.stdout
    conn = sqlite3.connect(data_dir / "audit.db")
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute(
        "UPDATE audit_records SET record = replace(record, '1,440', '9,999') WHERE turn_id = ?", (out["turn_id"],)
    )
    conn.commit()
    conn.close()
    broken = beacon(data_dir, "audit", "verify")
    assert broken.returncode == 1 and out["turn_id"] in broken.stdout


def test_bad_usage_and_bad_input_exit_2_with_one_sentence(data_dir: Path, tmp_path: Path) -> None:
    usage = beacon(data_dir, "ask")
    assert usage.returncode == 2
    missing = beacon(data_dir, "audit", "show", "no-such-turn")
    assert missing.returncode == 2 and "no audit record" in missing.stderr
    roster = tmp_path / "roster.xlsx"
    roster.write_text("x")
    bad = beacon(data_dir, "participants", "load", str(roster))
    assert bad.returncode == 2 and "roster.xlsx" in bad.stderr and "Traceback" not in bad.stderr
    unknown = beacon(data_dir, "ask", "--participant", "Z-0001", "hello")
    assert unknown.returncode == 2 and "Z-0001" in unknown.stderr and len(unknown.stderr.strip().splitlines()) == 1


def test_interactive_chat_keeps_the_thread(data_dir: Path) -> None:
    env = {**os.environ, "BEACON_DATA_DIR": str(data_dir)}
    r = subprocess.run(
        [sys.executable, "-m", "assistant.surfaces.cli", "chat", "--participant", "A-1005"],
        cwd=ROOT,
        env=env,
        input="What's the loan fee?\nAnd how many can I have?\n\n",
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    assert "$75" in r.stdout and "two loans" in r.stdout
    assert r.stdout.count("[source]") >= 2
