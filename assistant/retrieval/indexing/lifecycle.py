"""Which indexed rules are in force on a date: effective dates, amendments and conflicts.

Every chunk carries a `rule_key`: "doc_id#section" of the rule it states. A Summary of Material
Modifications declares `amends: <spd doc_id>` in its front matter and numbers its sections like the
SPD sections it replaces, so its "7.4" has the rule key "acme-401k/spd#7.4" — the same as the SPD's.
On a given date, among the documents in force (no effective date, or one on or before the date):

- the rule with the newest effective date wins; the others are *superseded* and never retrieved;
- two documents with the same newest date that state the same rule are a *conflict*: both stay,
  and the turn cites both and is flagged for review;
- a document whose effective date is still in the future is *not yet effective* and not retrieved.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Lifecycle:
    """The state of every chunk on one date."""

    as_of: dt.date
    excluded: frozenset[str] = frozenset()
    """chunk ids that are superseded or not yet effective"""
    reasons: Mapping[str, str] = field(default_factory=dict)
    """chunk id -> why it is excluded (superseded by ... / effective ...)"""
    conflicts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """citation id -> the other citation ids stating the same rule with the same effective date"""


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def rule_key(metadata: Mapping[str, Any]) -> str:
    """Numbered sections of an amendment state the amended document's rule; the rest their own."""
    section = str(metadata["section"])
    owner = metadata.get("amends") if re.fullmatch(r"\d+(\.\d+)*", section) else None
    return f"{owner or metadata['doc_id']}#{section}"


def lifecycle(chunks: Iterable[tuple[str, Mapping[str, Any]]], as_of: dt.date) -> Lifecycle:
    """`chunks`: (chunk id, metadata) for every chunk in the index."""
    excluded: set[str] = set()
    reasons: dict[str, str] = {}
    # rule key -> citation id -> (effective date, chunk ids)
    groups: dict[str, dict[str, tuple[dt.date | None, list[str]]]] = defaultdict(dict)
    for chunk_id, md in chunks:
        effective = _date(md.get("effective_date"))
        if effective and effective > as_of:
            excluded.add(chunk_id)
            reasons[chunk_id] = f"not yet effective (effective {effective.isoformat()})"
            continue
        citation = f"{md['doc_id']}#{md['section']}"
        entry = groups[rule_key(md)].setdefault(citation, (effective, []))
        entry[1].append(chunk_id)
    conflicts: dict[str, tuple[str, ...]] = {}
    for by_citation in groups.values():
        if len(by_citation) < 2:
            continue
        newest = max((d or dt.date.min) for d, _ in by_citation.values())
        winners = [c for c, (d, _) in by_citation.items() if (d or dt.date.min) == newest]
        for citation, (_, ids) in by_citation.items():
            if citation in winners:
                continue
            for cid in ids:
                excluded.add(cid)
                reasons[cid] = f"superseded by {', '.join(winners)} (effective {newest.isoformat()})"
        if len(winners) > 1:
            for w in winners:
                conflicts[w] = tuple(x for x in winners if x != w)
    return Lifecycle(as_of, frozenset(excluded), reasons, conflicts)
