"""Contact facts an answer may show: a phone number, street address or email address that is
printed, exactly, in a document retrieved for this turn (the plan's booklet names its service line
and mailing address), and that the person did not type themselves.

The output PII rule (`output.pii`) redacts everything else. A value is kept only when

* its entity type is one of the rule's `source_grounded` types (never a name, SSN or account);
* the same text, ignoring case and runs of white space, stands in a retrieved passage as a whole
  value (not inside a longer number);
* its keyed hash is not one of the thread's placeholders: a number the person typed was redacted
  on the way in, and is never shown back because a document happens to print it too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

Keep = Callable[[str, str, str], bool]


def _flat(text: str) -> str:
    return " ".join(text.lower().split())


def source_grounded(types: Iterable[str], sources: Iterable[str], typed_hashes: Iterable[str]) -> Keep | None:
    """A `keep(entity_type, value, keyed_hash)` predicate for `PiiEngine.redact`, or None when the
    rule grounds no entity type."""
    kinds = frozenset(types)
    if not kinds:
        return None
    flat = [_flat(s) for s in sources]
    typed = frozenset(typed_hashes)

    def keep(entity_type: str, value: str, value_hash: str) -> bool:
        if entity_type not in kinds or value_hash in typed:
            return False
        v = _flat(value)
        if len(re.sub(r"[^a-z0-9]", "", v)) < 7:  # too short to be a contact fact on its own
            return False
        whole = re.compile(rf"(?<![\w@.-]){re.escape(v)}(?![\w@-]|\.\w)")
        return any(whole.search(s) for s in flat)

    return keep
