"""Participant profiles: the pydantic model, the store and the roster loader.

A roster row holds no government ids or contact details: a first name for greeting and the
figures the calculators need. Bad rows are rejected with their line numbers; the rest load.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import func, select

from assistant.errors import NotFoundError, RosterError
from assistant.storage import schema
from assistant.storage.database import Database

LifeEventType = Literal["hire", "marriage", "divorce", "birth", "adoption", "death_in_family", "termination", "rehire"]


class LifeEvent(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    type: LifeEventType
    date: dt.date


class Participant(BaseModel):
    """One plan participant's profile (what the calculators read)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    participant_id: str = Field(pattern=r"^[A-Z]-\d{4,8}$")
    plan_id: str
    first_name: str = Field(min_length=1, max_length=40)
    birth_date: dt.date | None = None
    hire_date: dt.date | None = None
    employment_status: Literal["active", "terminated", "leave"] = "active"
    termination_date: dt.date | None = None
    annual_salary: float | None = Field(default=None, ge=0)
    deferral_pct: float | None = Field(default=None, ge=0, le=100)
    roth_pct: float = Field(default=0, ge=0, le=100, description="part of deferral_pct that is Roth")
    prior_year_fica_wages: float | None = Field(default=None, ge=0)
    balance_employee: float = Field(default=0, ge=0)
    balance_employer: float = Field(default=0, ge=0)
    years_of_vesting_service: int | None = Field(default=None, ge=0)
    outstanding_loan_balance: float = Field(default=0, ge=0)
    loans_outstanding: int = Field(default=0, ge=0)
    highest_loan_balance_12m: float = Field(default=0, ge=0)
    marital_status: Literal["single", "married", "divorced", "widowed"] | None = None
    auto_enrolled: bool = False
    life_events: list[LifeEvent] = Field(default_factory=list)
    decision_moment: str | None = None

    @field_validator("roth_pct")
    @classmethod
    def _roth_within_deferral(cls, v: float, info) -> float:  # type: ignore[no-untyped-def]
        total = info.data.get("deferral_pct")
        if total is not None and v > total:
            raise ValueError(f"roth_pct ({v}) cannot exceed deferral_pct ({total})")
        return v

    @property
    def balance(self) -> float:
        return self.balance_employee + self.balance_employer

    def age_at_year_end(self, year: int) -> int | None:
        return None if self.birth_date is None else year - self.birth_date.year


@dataclass
class LoadReport:
    """What `participants load` did, row by row."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


def _parse_life_events(text: str) -> list[dict[str, str]]:
    events = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        kind, _, date = part.partition(":")
        events.append({"type": kind.strip(), "date": date.strip()})
    return events


def _csv_rows(text: str) -> list[tuple[int, dict[str, object]]]:
    reader = csv.DictReader(io.StringIO(text))
    rows = []
    for record in reader:
        line = reader.line_num
        row: dict[str, object] = {k: v for k, v in record.items() if k is not None and v not in ("", None)}
        if None in record:
            row["__extra__"] = record[None]  # too many cells: pydantic rejects the key
        if "life_events" in row:
            row["life_events"] = _parse_life_events(str(row["life_events"]))
        if "auto_enrolled" in row:
            row["auto_enrolled"] = str(row["auto_enrolled"]).strip().lower() in ("true", "yes", "1")
        rows.append((line, row))
    return rows


def _jsonl_rows(text: str) -> list[tuple[int, dict[str, object] | str]]:
    rows: list[tuple[int, dict[str, object] | str]] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            rows.append((n, f"not valid JSON ({e.msg})"))
            continue
        rows.append((n, obj if isinstance(obj, dict) else "a row must be a JSON object"))
    return rows


def parse_roster(path: Path, known_plans: set[str]) -> tuple[list[Participant], list[tuple[int, str]]]:
    """Read a CSV or JSONL roster. Returns valid profiles and (line, reason) for rejected rows."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".jsonl"):
        raise RosterError(f"{path}: a roster must be .csv or .jsonl, not '{suffix or 'no extension'}'.")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise RosterError(f"{path} cannot be read as UTF-8 text ({e}); check the path and encoding.") from e
    raw = _csv_rows(text) if suffix == ".csv" else _jsonl_rows(text)
    good: list[Participant] = []
    bad: list[tuple[int, str]] = []
    seen: set[str] = set()
    for line, row in raw:
        if isinstance(row, str):
            bad.append((line, row))
            continue
        try:
            p = Participant.model_validate(row)
        except ValidationError as e:
            err = e.errors()[0]
            where = ".".join(str(x) for x in err["loc"]) or "row"
            bad.append((line, f"field '{where}': {err['msg']}"))
            continue
        if p.plan_id not in known_plans:
            bad.append((line, f"field 'plan_id': unknown plan '{p.plan_id}' (known: {', '.join(sorted(known_plans))})"))
        elif p.participant_id in seen:
            bad.append((line, f"field 'participant_id': '{p.participant_id}' appears twice in this file"))
        else:
            seen.add(p.participant_id)
            good.append(p)
    return good, bad


class ParticipantStore:
    """Profiles in the database (table `participants`)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def upsert(self, participants: list[Participant]) -> LoadReport:
        """Add new profiles and replace changed ones, in one transaction (bulk: a roster may hold
        millions of rows)."""
        report = LoadReport()
        now = dt.datetime.now(dt.UTC).isoformat()
        t = schema.participants
        with self.db.write() as conn:
            for start in range(0, len(participants), 1000):
                chunk = participants[start : start + 1000]
                ids = [p.participant_id for p in chunk]
                old = dict(
                    conn.execute(
                        select(t.c.participant_id, t.c.profile).where(t.c.participant_id.in_(ids)).with_for_update()
                    ).all()
                )
                rows = []
                for p in chunk:
                    data = p.model_dump_json()
                    if p.participant_id not in old:
                        report.added += 1
                    elif old[p.participant_id] == data:
                        report.unchanged += 1
                        continue
                    else:
                        report.updated += 1
                    rows.append(
                        {"participant_id": p.participant_id, "plan_id": p.plan_id, "profile": data, "updated_at": now}
                    )
                if rows:
                    stmt = self.db.insert(t)
                    conn.execute(
                        stmt.on_conflict_do_update(
                            index_elements=[t.c.participant_id],
                            set_={c: stmt.excluded[c] for c in ("plan_id", "profile", "updated_at")},
                        ),
                        rows,
                    )
        return report

    def get(self, participant_id: str) -> Participant:
        t = schema.participants
        with self.db.read() as conn:
            profile = conn.execute(select(t.c.profile).where(t.c.participant_id == participant_id)).scalar()
        if profile is None:
            raise NotFoundError(
                f"No participant '{participant_id}' is loaded; check the id or run `beacon participants load FILE`."
            )
        return Participant.model_validate_json(profile)

    def all(self) -> list[Participant]:
        t = schema.participants
        with self.db.read() as conn:
            rows = conn.execute(select(t.c.profile).order_by(t.c.participant_id)).scalars().all()
        return [Participant.model_validate_json(r) for r in rows]

    def ids(self) -> list[str]:
        t = schema.participants
        with self.db.read() as conn:
            return list(conn.execute(select(t.c.participant_id).order_by(t.c.participant_id)).scalars())

    def count(self) -> int:
        with self.db.read() as conn:
            return int(conn.execute(select(func.count()).select_from(schema.participants)).scalar_one())
