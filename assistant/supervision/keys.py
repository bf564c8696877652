"""From pseudonymous audit keys back to roster rows, for the people who still have a salt
(erased participants stay unlinkable: their keys map to nobody)."""

from __future__ import annotations

from typing import Any


def roster_by_key(pseudonyms: Any, participants: Any) -> dict[str, Any]:
    """participant_key -> Participant, for every roster row with an audit key."""
    out: dict[str, Any] = {}
    for person in participants.all():
        key = pseudonyms.peek(person.participant_id)
        if key is not None:
            out[key] = person
    return out
