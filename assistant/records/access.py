"""Recording who looked at a participant: every agent (or compliance) access to a participant's
profile, threads or context card is an audit record of kind `access`, written before the data is
shown — if it cannot be recorded, the data is not shown (fail closed)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any


def record_access(deps: Any, actor: str, role: str, participant_id: str, what: str, reason: str | None = None) -> str:
    """Append the access record; returns its id (`beacon audit show ID`). Raises if it cannot be written."""
    key = deps.pseudonyms.key_for(participant_id) if deps.pseudonyms is not None else None
    record: dict[str, Any] = {
        "kind": "access",
        "turn_id": f"access-{uuid.uuid4().hex}",
        "thread_id": "",
        "participant_key": key,
        "actor": actor,
        "actor_role": role,
        "what": what,
        "reason": reason,
        "at": dt.datetime.now(dt.UTC).isoformat(),
    }
    deps.audit.append(record)
    return str(record["turn_id"])
