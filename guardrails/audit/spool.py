"""The audit spool: records that could not be written while the audit store was down.

A turn whose record cannot be written is answered fail-closed (the "can't answer right now"
message, never the unaudited answer) and its record — already redacted and pseudonymous, like
every audit record — is appended to `audit-spool.jsonl` in the data dir (mode 0600, fsynced).
`replay` moves spooled records into the store in their original order, at start-up and with
`beacon audit replay`; a record whose id is already in the store is not written twice.
"""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import dataclass
from pathlib import Path

from guardrails.audit.chain import canonical
from guardrails.audit.store import AuditStore
from guardrails.errors import AuditError


@dataclass(frozen=True)
class ReplayReport:
    replayed: int
    already_present: int
    pending: int


class AuditSpool:
    def __init__(self, path: Path) -> None:
        self.path = path

    def _open(self, flags: int):  # type: ignore[no-untyped-def]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, flags | os.O_CREAT, 0o600)
        return fd

    def add(self, record: dict[str, object]) -> None:
        """Append one record durably (one write per line, under an exclusive lock)."""
        line = (canonical({**record, "spooled": True}) + "\n").encode("utf-8")
        fd = self._open(os.O_WRONLY | os.O_APPEND)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)

    def pending(self) -> int:
        if not self.path.exists():
            return 0
        with self.path.open(encoding="utf-8") as fh:
            return sum(1 for line in fh if line.strip())

    def replay(self, store: AuditStore) -> ReplayReport:
        """Write spooled records to `store`; keeps the ones that still fail (and stops there)."""
        if not self.path.exists():
            return ReplayReport(0, 0, 0)
        fd = self._open(os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            with os.fdopen(os.dup(fd), "r", encoding="utf-8") as fh:
                lines = [line for line in fh.read().splitlines() if line.strip()]
            done = present = 0
            for line in lines:
                record = json.loads(line)
                if store.get(str(record["turn_id"])) is not None:
                    present += 1
                    done += 1
                    continue
                try:
                    store.append(record)
                except AuditError:
                    break
                done += 1
            rest = lines[done:]
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            if rest:
                os.write(fd, ("\n".join(rest) + "\n").encode("utf-8"))
            os.fsync(fd)
            return ReplayReport(done - present, present, len(rest))
        finally:
            os.close(fd)
