"""Who may read "why am I seeing this?" for a turn or nudge: the same rules as the conversation.

* A participant: their own participant-channel turns and the nudges sent to them; anything else
  is reported exactly like an id that does not exist (None -> 404).
* Agents, compliance and admins: any turn or nudge; the caller records the access (kind
  `access`) before showing it, and they see field names only, never the values.
* A general question without a participant: the login that asked it, and staff.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.supervision.keys import roster_by_key
from assistant.supervision.why import explain, source_info_from

READERS = ("agent", "compliance", "admin")


@dataclass(frozen=True)
class Viewer:
    role: str
    username: str
    participant_id: str | None = None


@dataclass(frozen=True)
class Found:
    record: dict[str, Any]
    participant_id: str | None
    """whose turn or nudge it is (None: a general question, or an erased participant)"""
    own: bool


def find_for(deps: Any, turn_id: str, viewer: Viewer) -> Found | None:
    record = deps.audit.get(turn_id)
    if record is None:
        return None
    kind = record.get("kind", "turn")
    if kind == "nudge":
        return _nudge(deps, record, viewer)
    if kind != "turn" or deps.threads is None:
        return None
    owner = deps.threads.thread_of_turn(turn_id)
    if owner is None:
        return None
    if viewer.role == "participant":
        mine = (
            viewer.participant_id is not None
            and owner.participant_id == viewer.participant_id
            and owner.channel == "participant"
        )
        return Found(record, owner.participant_id, True) if mine else None
    if viewer.role in READERS or (owner.created_by is not None and owner.created_by == viewer.username):
        return Found(record, owner.participant_id, False)
    return None


def _nudge(deps: Any, record: dict[str, Any], viewer: Viewer) -> Found | None:
    if record.get("final_text") is None:  # suppressed or held out: nothing was shown to anyone
        return None
    key = record.get("participant_key")
    if viewer.role == "participant":
        mine = viewer.participant_id is not None and deps.pseudonyms is not None and key is not None
        if mine and deps.pseudonyms.peek(viewer.participant_id) == key:
            return Found(record, viewer.participant_id, True)
        return None
    if viewer.role not in READERS:
        return None
    return Found(record, _nudge_participant(deps, record), False)


def _nudge_participant(deps: Any, record: dict[str, Any]) -> str | None:
    """Whose nudge it is: the nudge store's decision row, else (a store without it) the roster's keys."""
    try:
        from assistant.nudges.service import engine_for

        return str(engine_for(deps).store.decision(str(record["turn_id"])).participant_id)
    except Exception:  # noqa: BLE001 - no nudge store or no such row: fall back to the keys
        people = roster_by_key(deps.pseudonyms, deps.participants) if deps.pseudonyms is not None else {}
        person = people.get(str(record.get("participant_key")))
        return person.participant_id if person is not None else None


def explanation(deps: Any, found: Found) -> dict[str, Any]:
    intents = getattr(deps, "intents", None)

    def topic_of(name: str | None) -> str | None:
        spec = intents.get(name) if intents is not None and name else None
        return spec.topic if spec is not None and spec.topic else None

    return explain(found.record, found.own, source_info_from(deps.index), topic_of)
