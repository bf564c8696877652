"""Feed files: HR life events and contact preferences (CSV). Each bad row is rejected with its
line number, the field and what is allowed; the good rows still load. Loading is idempotent (the
store keeps one row per happening)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.nudges.errors import FeedError
from assistant.nudges.events import HR_EVENTS

CHANNELS = ("in_app", "email", "sms")


class FeedRow(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    participant_id: str = Field(pattern=r"^[A-Z]-\d{4,8}$")
    event: Literal[HR_EVENTS]  # type: ignore[valid-type]
    effective_date: dt.date


class PreferenceRow(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    participant_id: str = Field(pattern=r"^[A-Z]-\d{4,8}$")
    channel: Literal["in_app", "email", "sms", "all"]
    status: Literal["consented", "opted_out"]
    effective_date: dt.date


@dataclass
class FeedReport:
    """What loading a feed did, row by row."""

    added: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


def _read(path: Path, required: tuple[str, ...]) -> tuple[list[tuple[int, dict[str, str]]], list[tuple[int, str]]]:
    if path.suffix.lower() != ".csv":
        raise FeedError(f"{path}: a feed must be a .csv file, not '{path.suffix or 'no extension'}'.")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise FeedError(f"{path} cannot be read as UTF-8 text ({e}); check the path and encoding.") from e
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise FeedError(
            f"{path}: the header lacks column(s) {', '.join(missing)}; the header must be {','.join(required)}."
        )
    rows, bad = [], []
    for record in reader:
        line = reader.line_num
        if None in record:
            bad.append((line, f"too many cells (the header has {len(required)} columns)"))
            continue
        rows.append((line, {k: (v or "").strip() for k, v in record.items() if k is not None and (v or "").strip()}))
    return rows, bad


def _why(e: ValidationError) -> str:
    err = e.errors()[0]
    where = ".".join(str(x) for x in err["loc"]) or "row"
    return f"field '{where}': {err['msg']}"


def parse_hr_feed(
    path: Path, known_participants: set[str], as_of: dt.date | None = None
) -> tuple[list[FeedRow], list[tuple[int, str]]]:
    """Valid rows and (line, reason) for each rejected row."""
    rows, bad = _read(path, ("participant_id", "event", "effective_date"))
    good: list[FeedRow] = []
    for line, row in rows:
        try:
            r = FeedRow.model_validate(row)
        except ValidationError as e:
            bad.append((line, _why(e)))
            continue
        if r.participant_id not in known_participants:
            bad.append(
                (line, f"field 'participant_id': '{r.participant_id}' is not in the roster; load the roster first")
            )
        elif as_of is not None and r.effective_date > as_of:
            bad.append((line, f"field 'effective_date': {r.effective_date} is in the future (as of {as_of})"))
        else:
            good.append(r)
    return good, sorted(bad)


def parse_preferences(path: Path, known_participants: set[str]) -> tuple[list[PreferenceRow], list[tuple[int, str]]]:
    rows, bad = _read(path, ("participant_id", "channel", "status", "effective_date"))
    good: list[PreferenceRow] = []
    for line, row in rows:
        try:
            r = PreferenceRow.model_validate(row)
        except ValidationError as e:
            bad.append((line, _why(e)))
            continue
        if r.participant_id not in known_participants:
            bad.append(
                (line, f"field 'participant_id': '{r.participant_id}' is not in the roster; load the roster first")
            )
        else:
            good.append(r)
    return good, sorted(bad)
