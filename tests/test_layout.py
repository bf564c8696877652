"""The house rules a newcomer relies on: the layer contract holds, files stay small, and the package
installs from its wheel into a fresh virtual environment and answers offline."""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.conftest import ROOT

MAX_LINES = 450


def test_layer_contract_holds() -> None:
    """surfaces -> tooling -> services -> turn -> parts -> decisions -> records -> storage; guardrails and
    evals never import assistant; no import cycles (pyproject.toml [tool.importlinter])."""
    lint = Path(sys.executable).with_name("lint-imports")
    r = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "0 broken" in r.stdout and r.stdout.count("KEPT") >= 4


def test_no_source_file_is_over_450_lines() -> None:
    big = {
        str(p.relative_to(ROOT)): n
        for folder in ("assistant", "guardrails", "evals")
        for p in (ROOT / folder).rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not big, f"split these files (at most {MAX_LINES} lines each): {big}"


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_venv_and_answers_offline(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    wheel = next(dist.glob("beacon_assistant-*.whl"))
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "assistant/nudges/engine.py",
        "assistant/decisions/intents.yaml",
        "assistant/decisions/text_blocks.yaml",
        "assistant/retrieval/lay_terms.yaml",
        "guardrails/policy.yaml",
        "guardrails/recognizers/__init__.py",
        "evals/runner.py",
        "assistant/storage/migrations/env.py",
        "assistant/storage/migrations/script.py.mako",
        "assistant/storage/migrations/versions/0001_baseline.py",
    ):
        assert needed in names, f"{needed} is missing from the wheel"

    venv = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    py = venv / "bin" / "python"
    # the wheel's dependencies come from this environment (offline: no index to install them from),
    # but not this checkout: the fresh environment must find Beacon in its own site-packages
    fresh_site = Path(
        subprocess.run(
            [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    (fresh_site / "beacon_deps.pth").write_text("\n".join([*site.getsitepackages(), sysconfig.get_paths()["purelib"]]))
    pip = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "--no-index", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert pip.returncode == 0, pip.stdout[-2000:] + pip.stderr[-2000:]
    beacon = venv / "bin" / "beacon"
    work = tmp_path / "elsewhere"  # not the checkout: nothing may be imported from it
    work.mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("BEACON_")},
        "BEACON_DATA_DIR": str(tmp_path / "data"),
        "BEACON_KNOWLEDGE_DIR": str(ROOT / "knowledge"),
        "HF_HUB_OFFLINE": "1",
        "PYTHONPATH": "",
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(args, cwd=work, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"{args}: {done.stdout[-1000:]} {done.stderr[-2000:]}"
        return done

    assert str(fresh_site) in run(str(py), "-c", "import assistant; print(assistant.__file__)").stdout
    helped = run(str(beacon), "--help").stdout
    assert "ingest" in helped and "nudges" in helped
    run(str(beacon), "ingest", str(ROOT / "knowledge"), "--quiet")
    assert "up to date" in run(str(beacon), "db", "current").stdout  # migrations ran from the wheel
    asked = run(str(beacon), "ask", "--json", "What's the most I can contribute to my 401(k) in 2026?")
    out = json.loads(asked.stdout)
    assert out["action"] == "answer" and "$24,500" in out["answer"], out["answer"]
    assert out["citations"] and all(f["label"] for f in out["figures"])
