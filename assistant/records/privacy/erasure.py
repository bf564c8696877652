"""Erasing one participant: everything in `PARTICIPANT_DATA`, with an `erasure` audit record first."""

from dataclasses import dataclass, field

from assistant.errors import NotFoundError
from assistant.records.privacy.context import LegalHoldError, PrivacyContext
from assistant.records.privacy.holds import event, hold_of
from assistant.records.privacy.stores import PARTICIPANT_DATA


# erasure ---------------------------------------------------------------------------------------
@dataclass
class ErasureReport:
    participant_key: str | None
    found: dict[str, int]
    erased: dict[str, int] = field(default_factory=dict)
    audit_id: str | None = None
    audit_records_kept: int = 0


def plan_erasure(ctx: PrivacyContext, participant_id: str) -> ErasureReport:
    """What an erasure would delete (nothing is changed). Unknown participant: NotFoundError."""
    found = {store.name: store.find(ctx, participant_id) for store in PARTICIPANT_DATA}
    key = ctx.pseudonyms.peek(participant_id)
    if not any(found.values()) and key is None:
        raise NotFoundError(
            f"Beacon holds no data for participant '{participant_id}' (no profile, login, conversation or "
            "audit key); check the id."
        )
    kept = sum(1 for _ in ctx.audit.iter_records(participant_key=key)) if key else 0
    return ErasureReport(key, found, audit_records_kept=kept)


def erase_participant(ctx: PrivacyContext, participant_id: str) -> ErasureReport:
    """Erase everything Beacon holds about one participant, unless a legal hold blocks it."""
    hold = hold_of(ctx, participant_id)
    if hold:
        raise LegalHoldError(
            f"Participant {participant_id} is under legal hold since {hold.placed_at[:10]} ({hold.reason}); "
            "nothing was erased. Release the hold with `beacon privacy release --participant "
            f"{participant_id}` once counsel allows."
        )
    report = plan_erasure(ctx, participant_id)
    # Record the request before deleting: an erasure that cannot be audited does not happen.
    report.audit_id = event(
        ctx,
        "erasure",
        participant_id,
        found=report.found,
        audit_records_kept=report.audit_records_kept,
        note="profile, logins and conversations deleted; audit records kept redacted under this key, "
        "which is unlinkable from now on (its salt is deleted)",
    )
    for store in PARTICIPANT_DATA:
        report.erased[store.name] = store.erase(ctx, participant_id)
    ctx.pseudonyms.forget(participant_id)
    ctx.db.checkpoint_wal()
    return report
