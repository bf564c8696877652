"""The hash chain of the audit log: canonical JSON of a record, the chained hash
`sha256(prev_hash + canonical_json(record))`, and the check that recomputes a whole chain and
names the first record that does not match (used by every store and on an export)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

GENESIS = "0" * 64
"""the previous hash of the first record"""


def canonical(record: dict[str, object]) -> str:
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def chain_hash(prev_hash: str, record_json: str) -> str:
    return hashlib.sha256((prev_hash + record_json).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    records: int
    broken_turn_id: str | None = None
    reason: str | None = None


def check_chain(rows: Iterable[tuple[str, str, str, str]], start: str = GENESIS) -> VerifyReport:
    """Recompute the chain over (turn_id, record_json, prev_hash, hash) rows in order."""
    prev = start
    n = 0
    for turn_id, body, prev_hash, own in rows:
        n += 1
        if prev_hash != prev:
            return VerifyReport(False, n, turn_id, "its previous-hash link does not match the record before it")
        try:
            recanon = canonical(json.loads(body))
        except json.JSONDecodeError:
            return VerifyReport(False, n, turn_id, "its stored record is not valid JSON")
        if chain_hash(prev, body) != own or recanon != body:
            return VerifyReport(False, n, turn_id, "its content does not match its hash (the record was altered)")
        prev = own
    return VerifyReport(True, n)


def verify_lines(lines: Iterable[str]) -> VerifyReport:
    """Verify an unfiltered `beacon audit export` (JSON lines carrying `_prev_hash` and `_hash`)."""

    def rows() -> Iterator[tuple[str, str, str, str]]:
        for line in lines:
            if not line.strip():
                continue
            record = json.loads(line)
            prev_hash, own = record.pop("_prev_hash", ""), record.pop("_hash", "")
            record.pop("_seq", None)
            record.pop("_created_at", None)
            yield str(record.get("turn_id")), canonical(record), prev_hash, own

    return check_chain(rows())
