"""Fixtures for the audit conformance suite: every test gets an empty store per backend."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from guardrails.audit import AuditStore
from tests.guardrails.audit_backends import BACKENDS, Backend, drop_schema, postgres_or_skip


@pytest.fixture(params=BACKENDS)
def backend(request, tmp_path: Path) -> Iterator[Backend]:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        yield Backend("sqlite", f"sqlite:///{tmp_path / 'audit.db'}", None)
        return
    url = postgres_or_skip()
    schema = f"beacon_audit_test_{uuid.uuid4().hex[:12]}"
    try:
        yield Backend("postgresql", url, schema)
    finally:
        drop_schema(url, schema)


@pytest.fixture
def store(backend: Backend) -> Iterator[AuditStore]:
    log = backend.open()
    yield log
    log.close()
