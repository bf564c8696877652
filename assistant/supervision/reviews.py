"""The review queue and reviewers' verdicts, kept in the audit trail itself.

* A day's sample is one audit record of kind `review_sample`: the day, the seed, the policy
  version and settings it was drawn with, how many turns per channel it was drawn from, and the
  sampled turns with why each is there.
* A verdict is an audit record of kind `review`: the reviewed turn, `ok` / `issue` (with a
  category) / `needs-policy-change`, the reviewer's note (PII-redacted before it is stored), and
  optionally what the answer should have done (expected action, must / must-not text), which
  `regression` turns into an eval case. A later verdict on the same turn supersedes earlier ones;
  all stay in the chain.

The queue is every sampled turn; it is *open* until a verdict is recorded.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.errors import BadInputError, NotFoundError
from assistant.supervision.policy import VERDICTS, SupervisionPolicy
from assistant.supervision.sampling import draw, is_turn, population

ACTIONS = ("answer", "clarify", "refuse", "escalate")


def day_of(record: dict[str, Any]) -> str:
    """The day a turn happened (UTC), from its own timestamp."""
    return str(record.get("started_at") or record.get("_created_at") or "")[:10]


def parse_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as e:
        raise BadInputError(f"'{text}' is not a date; use YYYY-MM-DD, e.g. 2026-11-22.") from e


@dataclass
class QueueItem:
    turn_id: str
    day: str
    channel: str
    intent: str | None
    why: str
    sample_id: str
    verdict: dict[str, Any] | None = None
    history: list[dict[str, Any]] = field(default_factory=list)

    @property
    def open(self) -> bool:
        return self.verdict is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "turn_id": self.turn_id,
            "day": self.day,
            "channel": self.channel,
            "intent": self.intent,
            "why": self.why,
            "sample_id": self.sample_id,
            "status": "open" if self.open else "decided",
            "verdict": self.verdict,
        }


class ReviewDesk:
    """Samples, the queue and verdicts over one audit store."""

    def __init__(self, audit: Any, policy: SupervisionPolicy, policy_version: str) -> None:
        self.audit, self.policy, self.policy_version = audit, policy, policy_version

    # --- reading ----------------------------------------------------------------------------
    def turns_between(self, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
        """Conversation turns that started on days start..end (inclusive)."""
        lo, hi = start.isoformat(), end.isoformat()
        # a record is always written after its turn started: created_at >= start bounds the scan
        return [r for r in self.audit.iter_records(since=lo) if is_turn(r) and lo <= day_of(r) <= hi]

    def _scan(self) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
        samples: list[dict[str, Any]] = []
        reviews: dict[str, list[dict[str, Any]]] = {}
        for r in self.audit.iter_records(with_hashes=True):
            if r.get("kind") == "review_sample":
                samples.append(r)
            elif r.get("kind") == "review":
                reviews.setdefault(str(r["reviewed_turn"]), []).append(r)
        return samples, reviews

    def samples(self) -> list[dict[str, Any]]:
        return self._scan()[0]

    def sample_for(self, day: dt.date) -> dict[str, Any] | None:
        found = [s for s in self.samples() if s.get("day") == day.isoformat()]
        return found[-1] if found else None

    def reviews_of(self, turn_id: str) -> list[dict[str, Any]]:
        return self._scan()[1].get(turn_id, [])

    def queue(self, status: str = "open", day: dt.date | None = None) -> list[QueueItem]:
        samples, reviews = self._scan()
        items: dict[str, QueueItem] = {}
        for s in samples:
            if day is not None and s.get("day") != day.isoformat():
                continue
            for it in s.get("items", []):
                items.setdefault(
                    it["turn_id"],
                    QueueItem(it["turn_id"], str(s["day"]), it["channel"], it.get("intent"), it["why"], s["turn_id"]),
                )
        for turn_id, item in items.items():
            history = reviews.get(turn_id, [])
            item.history, item.verdict = history, (history[-1] if history else None)
        out = list(items.values())
        if status == "open":
            out = [i for i in out if i.open]
        elif status == "decided":
            out = [i for i in out if not i.open]
        return sorted(out, key=lambda i: (i.day, i.why == "sampled", i.turn_id))

    def turn(self, turn_id: str) -> dict[str, Any]:
        record = self.audit.get(turn_id)
        if record is None or not is_turn(record):
            raise NotFoundError(
                f"No conversation turn '{turn_id}' in the audit trail; list the queue with `beacon review list`."
            )
        return dict(record)

    # --- writing ----------------------------------------------------------------------------
    def draw_day(self, day: dt.date, actor: str, seed: int | None = None) -> dict[str, Any]:
        """Draw and record the day's sample (once per day)."""
        existing = self.sample_for(day)
        if existing is not None:
            raise BadInputError(
                f"The sample for {day} was already drawn (record {existing['turn_id']}, seed {existing['seed']}); "
                f"see it with `beacon review list --day {day} --all` or check it with `beacon review sample --day {day} --check`."
            )
        turns = self.turns_between(day, day)
        seed = seed if seed is not None else secrets.randbits(63)
        items = draw(turns, self.policy, seed)
        record = {
            "kind": "review_sample",
            "turn_id": f"review-sample-{day}-{uuid.uuid4().hex[:8]}",
            "thread_id": "",
            "day": day.isoformat(),
            "seed": seed,
            "policy_version": self.policy_version,
            "sampling": self.policy.model_dump(include={"rate", "min_per_channel", "topic_weights", "channel_weights"}),
            "population": population(turns),
            "always": sum(1 for i in items if i.why != "sampled"),
            "sampled": sum(1 for i in items if i.why == "sampled"),
            "items": [i.to_dict() for i in items],
            "drawn_by": actor,
            "at": dt.datetime.now(dt.UTC).isoformat(),
        }
        self.audit.append(record)
        return record

    def check_sample(self, day: dt.date) -> tuple[dict[str, Any], list[str]]:
        """Redraw the recorded sample from its seed and settings; the differences (none = reproduced)."""
        recorded = self.sample_for(day)
        if recorded is None:
            raise NotFoundError(f"No sample was drawn for {day}; draw one with `beacon review sample --day {day}`.")
        settings = SupervisionPolicy(**recorded["sampling"])
        redrawn = [i.to_dict() for i in draw(self.turns_between(day, day), settings, int(recorded["seed"]))]
        want = {(i["turn_id"], i["why"]) for i in recorded["items"]}
        got = {(i["turn_id"], i["why"]) for i in redrawn}
        diffs = [f"recorded but not redrawn: {t} ({w})" for t, w in sorted(want - got)]
        diffs += [f"redrawn but not recorded: {t} ({w})" for t, w in sorted(got - want)]
        return recorded, diffs

    def decide(
        self,
        turn_id: str,
        verdict: str,
        reviewer: str,
        redact: Callable[[str], str],
        category: str | None = None,
        note: str | None = None,
        reviewer_role: str = "compliance",
        expected_action: str | None = None,
        must_contain: list[str] | None = None,
        must_not_contain: list[str] | None = None,
    ) -> dict[str, Any]:
        """Record a verdict on one turn (an audit record of kind `review`)."""
        record = self.turn(turn_id)
        if verdict not in VERDICTS:
            raise BadInputError(f"Unknown verdict '{verdict}'; use one of: {', '.join(VERDICTS)}.")
        if verdict == "issue" and category not in self.policy.categories:
            raise BadInputError(
                f"An issue needs a category, one of: {', '.join(self.policy.categories)} (policy file, supervision.categories)."
            )
        if verdict != "issue" and category is not None:
            raise BadInputError("Only an 'issue' verdict takes a category.")
        if verdict != "ok" and not (note or "").strip():
            raise BadInputError(f"A '{verdict}' verdict needs a note saying what is wrong.")
        if expected_action is not None and expected_action not in ACTIONS:
            raise BadInputError(f"Unknown expected action '{expected_action}'; use one of: {', '.join(ACTIONS)}.")
        sampled = any(i.turn_id == turn_id for i in self.queue("all"))
        review = {
            "kind": "review",
            "turn_id": f"review-{uuid.uuid4().hex}",
            "thread_id": "",
            "reviewed_turn": turn_id,
            "reviewed_hash": record.get("_hash"),
            "participant_key": record.get("participant_key"),
            "sampled": sampled,
            "verdict": verdict,
            "category": category,
            "note": redact(note) if note else None,
            "expected_action": expected_action,
            "must_contain": [redact(t) for t in must_contain or []],
            "must_not_contain": [redact(t) for t in must_not_contain or []],
            "reviewer": reviewer,
            "reviewer_role": reviewer_role,
            "policy_version": self.policy_version,
            "at": dt.datetime.now(dt.UTC).isoformat(),
        }
        self.audit.append(review)
        return review


def open_desk(settings: Any, audit: Any = None) -> ReviewDesk:
    """The desk over the configured audit store and the policy file's `supervision:` section."""
    from assistant.supervision.policy import load_supervision_policy

    if audit is None:
        from guardrails.audit import open_audit

        url = settings.audit_url.get_secret_value() if settings.audit_url is not None else None
        audit = open_audit(url, settings.audit_path, settings.audit_schema)
    policy, version = load_supervision_policy(settings.policy_file)
    return ReviewDesk(audit, policy, version)
