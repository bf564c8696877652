"""What every audit backend offers (`AuditStore`): append, get, count, filtered iteration and
`verify`, the last three shared; and the timestamps records are stored and filtered with."""

from __future__ import annotations

import datetime as dt
import json
from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import Any

from guardrails.audit.chain import VerifyReport, check_chain
from guardrails.errors import AuditConfigError


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def parse_when(text: str | None, *, end: bool = False) -> str | None:
    """An ISO date or timestamp as a UTC ISO string comparable with `created_at`.

    A bare date as an `until` bound means the end of that day (exclusive next midnight).
    """
    if not text:
        return None
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            start = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
            return (start + dt.timedelta(days=1) if end else start).isoformat()
        when = dt.datetime.fromisoformat(text)
    except ValueError as e:
        raise AuditConfigError(
            f"'{text}' is not an ISO date or timestamp; use e.g. 2026-11-01 or 2026-11-01T09:30:00+00:00."
        ) from e
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).isoformat()


class AuditStore(ABC):
    """What every audit backend offers; `verify` and filtering are shared."""

    backend: str = "?"

    @abstractmethod
    def append(self, record: dict[str, object]) -> str:
        """Append one record (its `turn_id` must be new); returns its hash."""

    @abstractmethod
    def _fetch(self, sql_where: str, args: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
        """Rows (seq, turn_id, created_at, record, prev_hash, hash) matching, in chain order."""

    @abstractmethod
    def count(self) -> int: ...

    @abstractmethod
    def describe(self) -> str:
        """Where the log lives, without credentials."""

    @abstractmethod
    def close(self) -> None: ...

    _param = "?"

    def get(self, turn_id: str) -> dict[str, object] | None:
        for row in self._fetch(f"turn_id = {self._param}", (turn_id,)):
            return self._decode(row, with_hashes=True)
        return None

    @staticmethod
    def _decode(row: tuple[Any, ...], with_hashes: bool) -> dict[str, object]:
        seq, _turn_id, created_at, body, prev_hash, own = row
        record: dict[str, object] = json.loads(body)
        if with_hashes:
            record["_seq"], record["_created_at"] = int(seq), created_at
            record["_prev_hash"], record["_hash"] = prev_hash, own
        return record

    def iter_records(
        self,
        since: str | None = None,
        until: str | None = None,
        thread_id: str | None = None,
        participant_key: str | None = None,
        with_hashes: bool = False,
    ) -> Iterator[dict[str, object]]:
        """Records in chain order; `since`/`until` are ISO dates or timestamps (until a date = to its end)."""
        where, args = [], []
        p = self._param
        if (lo := parse_when(since)) is not None:
            where.append(f"created_at >= {p}")
            args.append(lo)
        if (hi := parse_when(until, end=True)) is not None:
            where.append(f"created_at {'<' if until and len(until) == 10 else '<='} {p}")
            args.append(hi)
        if thread_id:
            where.append(f"thread_id = {p}")
            args.append(thread_id)
        for row in self._fetch(" AND ".join(where) or "TRUE", tuple(args)):
            record = self._decode(row, with_hashes)
            if participant_key and record.get("participant_key") != participant_key:
                continue
            yield record

    def verify(self) -> VerifyReport:
        return check_chain((r[1], r[3], r[4], r[5]) for r in self._fetch("TRUE", ()))
