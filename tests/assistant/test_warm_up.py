"""A server worker warms its models and indexes before it accepts requests, and writes nothing."""

from __future__ import annotations

from pathlib import Path

from assistant.services.deps import warm_up
from tests.conftest import make_deps


def test_warm_up_writes_nothing_and_survives_an_empty_index(models, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    deps = make_deps(tmp_path / "data", models)  # knowledge indexed, roster loaded
    before = deps.audit.count()
    assert warm_up(deps) >= 0
    assert deps.audit.count() == before
    assert deps.db.query("SELECT COUNT(*) FROM thread_owners") == [(0,)]
    empty = make_deps(tmp_path / "empty", models, ingest=False)
    assert warm_up(empty) >= 0  # nothing to search yet: still returns, the server still starts
