"""The audit log: one append-only, hash-chained record per turn, on SQLite or PostgreSQL.

Each row stores the record as canonical JSON, the previous row's hash and its own hash
`sha256(prev_hash + canonical_json(record))`. `verify` recomputes the whole chain and names the
first record that does not match. Both backends refuse UPDATE and DELETE in the database itself
(triggers), keep `prev_hash` unique (a forked chain cannot be stored) and serialise appends
(SQLite `BEGIN IMMEDIATE`, PostgreSQL a table lock), so two processes appending at once still
build one chain. `open_audit` picks the backend from a URL (`BEACON_AUDIT_URL`).

Besides turn records the log holds privacy events (`kind`: `erasure`, `legal_hold`,
`hold_release`); every record's unique id is stored in the `turn_id` column.

Modules: `chain` (canonical JSON, chained hashes, verification), `store` (the `AuditStore`
interface every backend implements), `sqlite` (`AuditLog`), `postgres` (`PostgresAuditLog`) and
`spool` (`AuditSpool`: records kept while the store is down). Each imports only the ones before it.
"""

from __future__ import annotations

from pathlib import Path

from guardrails.audit.chain import GENESIS, VerifyReport, canonical, chain_hash, verify_lines
from guardrails.audit.postgres import PostgresAuditLog, redact_url
from guardrails.audit.spool import AuditSpool, ReplayReport
from guardrails.audit.sqlite import AuditLog
from guardrails.audit.store import AuditStore, now_iso, parse_when
from guardrails.errors import AuditConfigError

__all__ = [
    "GENESIS",
    "AuditLog",
    "AuditSpool",
    "AuditStore",
    "PostgresAuditLog",
    "ReplayReport",
    "VerifyReport",
    "canonical",
    "chain_hash",
    "now_iso",
    "open_audit",
    "parse_when",
    "redact_url",
    "verify_lines",
]


def open_audit(url: str | None, default_path: Path, schema: str | None = None) -> AuditStore:
    """The audit store a URL names: none -> SQLite at `default_path`; `sqlite:///PATH`;
    `postgresql://user@host:port/db` (tables in `schema` when given)."""
    if not url:
        return AuditLog(default_path)
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme == "sqlite":
        if not url.startswith("sqlite:///") or len(url) <= len("sqlite:///"):
            raise AuditConfigError("BEACON_AUDIT_URL for SQLite must look like sqlite:///path/to/audit.db.")
        return AuditLog(Path(url[len("sqlite:///") :]))
    if scheme in ("postgresql", "postgres"):
        return PostgresAuditLog(url, schema=schema)
    raise AuditConfigError(
        f"BEACON_AUDIT_URL must start with postgresql:// or sqlite:///, not '{scheme or url[:12]}'; "
        "leave it unset for the embedded SQLite log in BEACON_DATA_DIR."
    )
