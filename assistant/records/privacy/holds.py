"""Legal holds: a participant under hold is never erased and their threads are never purged."""

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select

from assistant.errors import BadInputError, NotFoundError
from assistant.records.privacy.context import PrivacyContext
from assistant.storage import schema

_holds = schema.legal_holds


# legal holds -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Hold:
    participant_id: str
    reason: str
    placed_at: str


def hold_of(ctx: PrivacyContext, participant_id: str) -> Hold | None:
    with ctx.db.read() as conn:
        row = conn.execute(select(_holds).where(_holds.c.participant_id == participant_id)).first()
    return Hold(*row) if row else None


def holds(ctx: PrivacyContext) -> list[Hold]:
    with ctx.db.read() as conn:
        return [Hold(*r) for r in conn.execute(select(_holds).order_by(_holds.c.participant_id)).all()]


def event(ctx: PrivacyContext, kind: str, participant_id: str | None, **fields: Any) -> str:
    """Append a privacy event to the audit log first: if it cannot be recorded, nothing happens.
    Returns the record's id (`beacon audit show ID`)."""
    record: dict[str, Any] = {
        "kind": kind,
        "turn_id": f"{kind}-{uuid.uuid4().hex}",
        "thread_id": "",
        "participant_key": ctx.pseudonyms.key_for(participant_id) if participant_id else None,
        "at": ctx.now().isoformat(),
        **fields,
    }
    ctx.audit.append(record)
    return str(record["turn_id"])


def place_hold(ctx: PrivacyContext, participant_id: str, reason: str) -> Hold:
    if not reason.strip():
        raise BadInputError("A legal hold needs --reason (a matter or case reference).")
    existing = hold_of(ctx, participant_id)
    if existing:
        raise BadInputError(
            f"Participant {participant_id} is already under legal hold since {existing.placed_at[:10]}"
            f" ({existing.reason}); release it first to change the reason."
        )
    clean = ctx.redact(reason.strip())
    hold = Hold(participant_id, clean, ctx.now().isoformat())
    event(ctx, "legal_hold", participant_id, reason=clean)
    with ctx.db.write() as conn:
        conn.execute(
            insert(_holds).values(participant_id=hold.participant_id, reason=hold.reason, placed_at=hold.placed_at)
        )
    return hold


def release_hold(ctx: PrivacyContext, participant_id: str) -> Hold:
    existing = hold_of(ctx, participant_id)
    if existing is None:
        raise NotFoundError(
            f"Participant {participant_id} is not under legal hold; list holds with `beacon privacy holds`."
        )
    event(ctx, "hold_release", participant_id, reason=existing.reason, placed_at=existing.placed_at)
    with ctx.db.write() as conn:
        conn.execute(delete(_holds).where(_holds.c.participant_id == participant_id))
    return existing
