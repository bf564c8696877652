"""The nudge engine: events -> candidates (catalog, eligibility, suitability) -> contact policy ->
output guard -> delivery, with one decision row and one audit record per decision.

`evaluate_person` is pure over preloaded state (fast enough for 100,000 participants per run);
`NudgeEngine.run` reads the store in bulk, evaluates one partition of participants (by hash),
guards and delivers. Re-running a date delivers nothing twice: decision ids are deterministic and
an event already delivered is `already_sent`. A guard that errors or blocks stops the nudge (fail
closed). `dry_run` evaluates and guards but writes nothing, and explains each decision.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.decisions.calculators import Figure, MissingData, numbers_of
from assistant.nudges.catalog import Catalog, NudgeSpec, load_catalog
from assistant.nudges.events import (
    Event,
    EventsConfig,
    behaviour_events,
    config_events,
    date_events,
    life_events,
    load_events_config,
    profile_events,
)
from assistant.nudges.figures import Subject, formatted, long_date
from assistant.nudges.outbox import write_outbox
from assistant.nudges.policy import Candidate, Decision, LoadedPolicy, PersonState, decide, load_policy, partition_of
from assistant.nudges.store import NudgeStore
from assistant.nudges.suitability import excluded
from assistant.records.participants import Participant
from assistant.records.provisions import IrsLimits, PlanProvisions, limits_for
from guardrails.rules import CheckContext

FINAL_ACTION = {"sent": "nudge_sent", "blocked": "nudge_blocked", "held_out": "nudge_held_out"}


@dataclass(frozen=True)
class NudgeConfig:
    catalog: Catalog
    policy: LoadedPolicy
    events: EventsConfig


def load_config(config_dir: Path, known_plans: set[str]) -> NudgeConfig:
    """catalog.yaml, policy.yaml and events.yaml from one folder (knowledge/nudges by default)."""
    return NudgeConfig(
        load_catalog(config_dir / "catalog.yaml", known_plans),
        load_policy(config_dir / "policy.yaml"),
        load_events_config(config_dir / "events.yaml", known_plans),
    )


@dataclass
class RunItem:
    """One decision of a run, as the CLI and the tests see it."""

    participant_id: str
    nudge_id: str
    event_key: str
    status: str
    """sent | blocked | held_out | already_sent | one of the suppression outcomes"""
    reason: str
    channels: list[str] = field(default_factory=list)
    text: str | None = None
    decision_id: str | None = None
    guard_decision: str | None = None
    new: bool = True
    """False when a re-run found this decision already recorded"""


@dataclass
class RunReport:
    as_of: dt.date
    dry_run: bool
    partition: tuple[int, int]
    evaluated: int = 0
    items: list[RunItem] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    guard_calls: int = 0
    outbox_files: list[str] = field(default_factory=list)

    def sent(self) -> list[RunItem]:
        return [i for i in self.items if i.status == "sent" and i.new]

    def count(self, status: str) -> int:
        return sum(1 for i in self.items if i.status == status and i.new)


def decision_id(as_of: dt.date, participant_id: str, nudge_id: str, event_key: str) -> str:
    raw = f"{as_of}|{participant_id}|{nudge_id}|{event_key}"
    return "n_" + hashlib.sha256(raw.encode()).hexdigest()[:20]


def in_window(spec: NudgeSpec, event: Event, as_of: dt.date) -> bool:
    t = spec.trigger
    return event.date - dt.timedelta(days=t.before_days) <= as_of <= event.date + dt.timedelta(days=t.after_days)


def eligible(spec: NudgeSpec, person: Participant) -> bool:
    e = spec.eligibility
    if e.employment_status is not None and person.employment_status not in e.employment_status:
        return False
    if e.plans is not None and person.plan_id not in e.plans:
        return False
    if e.auto_enrolled is not None and person.auto_enrolled != e.auto_enrolled:
        return False
    return not (e.min_balance is not None and person.balance < e.min_balance)


def event_values(event: Event) -> tuple[dict[str, str], list[float]]:
    """Placeholders filled from the event, and the numbers they state (for grounding)."""
    values = {"event_date": long_date(event.date)}
    numbers = [float(event.date.year), float(event.date.month), float(event.date.day)]
    d = event.detail
    if event.kind == "market.drop":
        values |= {
            "market_index": str(d["index"]),
            "market_decline_pct": f"{float(d['decline_pct']):g}%",
            "market_from": long_date(str(d["from_date"])),
        }
        start = dt.date.fromisoformat(str(d["from_date"]))
        numbers += [float(d["decline_pct"]), float(start.year), float(start.month), float(start.day)]
    if event.kind == "date.plan_deadline":
        values["deadline_description"] = str(d["description"])
    return values, numbers


@dataclass
class PersonResult:
    person: Participant
    subject: Subject
    events: list[Event]
    decisions: list[Decision]


class NudgeEngine:
    def __init__(
        self,
        config: NudgeConfig,
        plans: dict[str, PlanProvisions],
        limits: dict[int, IrsLimits],
        store: NudgeStore,
        guard: Any,
        audit: Any,
        pseudonym: Callable[[str], str | None],
        outbox_dir: Path,
    ) -> None:
        self.config = config
        self.plans = plans
        self.limits = limits
        self.store = store
        self.guard = guard
        self.audit = audit
        self.pseudonym = pseudonym
        self.outbox_dir = outbox_dir
        self._guard_cache: dict[str, Any] = {}

    # evaluation (pure over preloaded state) -----------------------------------------------------
    def person_events(
        self,
        person: Participant,
        subject: Subject,
        feed: list[tuple[str, dt.date]],
        intent_dates: list[dt.date],
    ) -> list[Event]:
        cfg = self.config
        b = cfg.policy.config.behaviour
        return [
            *life_events(person, feed),
            *date_events(person, subject.plan, subject.limits, subject.as_of),
            *config_events(subject.plan, cfg.events),
            *profile_events(person, subject.plan, subject.limits, subject.as_of),
            *behaviour_events(intent_dates, subject.as_of, b.min_count, b.within_days),
        ]

    def candidates(self, subject: Subject, events: list[Event]) -> list[Candidate]:
        out = []
        for event in events:
            for spec in self.config.catalog.by_event.get(event.kind, []):
                if in_window(spec, event, subject.as_of) and eligible(spec, subject.person):
                    out.append(Candidate(spec, event, excluded(spec.exclusions, subject, events)))
        return out

    def evaluate_person(
        self,
        person: Participant,
        as_of: dt.date,
        state: PersonState,
        feed: list[tuple[str, dt.date]],
        intent_dates: list[dt.date],
    ) -> PersonResult:
        plan = self.plans[person.plan_id]
        subject = Subject(person, plan, limits_for(self.limits, as_of.year), as_of)
        events = self.person_events(person, subject, feed, intent_dates)
        cands = self.candidates(subject, events)
        decisions = (
            decide(cands, state, self.config.policy.config, as_of, person.participant_id, events) if cands else []
        )
        return PersonResult(person, subject, events, decisions)

    # rendering and the guard --------------------------------------------------------------------
    def render(self, spec: NudgeSpec, subject: Subject, event: Event) -> tuple[dict[str, str], list[Figure], list[str]]:
        """(text by channel kind, figures used, grounding numbers); MissingData/KeyError when a value is missing."""
        figures = [f for source in spec.figures for f in subject.figures(source)]
        values = {f.name: formatted(f) for f in figures}
        ev_values, ev_numbers = event_values(event)
        values |= ev_values
        texts = {"long": self.config.catalog.render(spec, values, "in_app")}
        if spec.sms_template:
            texts["sms"] = self.config.catalog.render(spec, values, "sms")
        numbers = [n for f in figures for n in numbers_of(f)] + ev_numbers
        return texts, figures, [str(n) for n in numbers]

    def check(self, text: str, plan: PlanProvisions, numbers: list[str], figures: list[Figure]) -> Any:
        ctx = CheckContext(
            sources=[],
            figures=[float(n) for n in numbers],
            allowed_phrases=[plan.contact.phone, plan.contact.portal, plan.contact.hours],
            known_ids=sorted({f.rule for f in figures if f.rule}),
        )
        key = hashlib.sha256(
            json.dumps([text, sorted(set(numbers)), ctx.allowed_phrases, ctx.known_ids]).encode()
        ).hexdigest()
        if key not in self._guard_cache:
            self._guard_cache[key] = self.guard.check_output(text, ctx)
        return self._guard_cache[key]

    # the run ------------------------------------------------------------------------------------
    def evaluate(
        self, people: Iterable[Participant], as_of: dt.date, partition: tuple[int, int] = (0, 1)
    ) -> tuple[int, dict[str, int]]:
        """Decide for one partition without rendering, guarding or writing: (evaluated, outcome counts)."""
        k, n = partition
        states = self.store.states()
        feed = self.store.feed_events()
        intents = self.store.intent_dates(self.config.policy.config.behaviour.intents)
        counts: dict[str, int] = {}
        evaluated = 0
        for person in people:
            if n > 1 and partition_of(person.participant_id, n) != k:
                continue
            evaluated += 1
            res = self.evaluate_person(
                person,
                as_of,
                states.get(person.participant_id, PersonState()),
                feed.get(person.participant_id, []),
                intents.get(self.pseudonym(person.participant_id) or "", []),
            )
            for d in res.decisions:
                counts[d.outcome] = counts.get(d.outcome, 0) + 1
        return evaluated, counts

    def run(
        self,
        people: Iterable[Participant],
        as_of: dt.date,
        *,
        dry_run: bool = False,
        partition: tuple[int, int] = (0, 1),
        channels: tuple[str, ...] | None = None,
    ) -> RunReport:
        """Evaluate and deliver for the participants in `partition` (k, n): those whose hash % n == k."""
        report = RunReport(as_of, dry_run, partition)
        k, n = partition
        t0 = time.perf_counter()
        states = self.store.states()
        feed = self.store.feed_events()
        intents = self.store.intent_dates(self.config.policy.config.behaviour.intents)
        report.seconds["load_state"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        results = []
        for person in people:
            if n > 1 and partition_of(person.participant_id, n) != k:
                continue
            report.evaluated += 1
            key = self.pseudonym(person.participant_id) or ""
            res = self.evaluate_person(
                person,
                as_of,
                states.get(person.participant_id, PersonState()),
                feed.get(person.participant_id, []),
                intents.get(key, []),
            )
            if res.decisions:
                results.append(res)
        report.seconds["evaluate"] = time.perf_counter() - t1
        t2 = time.perf_counter()
        for res in results:
            for d in res.decisions:
                if channels is not None and d.outcome == "send":
                    d.channels = [c for c in d.channels if c in channels]
                    if not d.channels:  # not for these channels: the batch delivers it
                        continue
                report.items.append(self._apply(res, d, as_of, dry_run, report))
        if not dry_run:
            report.outbox_files = write_outbox(self.store, self.outbox_dir, as_of)
        report.seconds["deliver"] = time.perf_counter() - t2
        report.seconds["total"] = time.perf_counter() - t0
        return report

    def _apply(self, res: PersonResult, d: Decision, as_of: dt.date, dry_run: bool, report: RunReport) -> RunItem:
        spec, event, person = d.candidate.spec, d.candidate.event, res.person
        did = decision_id(as_of, person.participant_id, spec.id, event.key)
        item = RunItem(person.participant_id, spec.id, event.key, d.outcome, d.reason, d.channels, None, did)
        if d.outcome == "already_sent":
            item.new = False
            return item
        if not dry_run and self.store.has_decision(did):
            item.new = False
            return item
        texts: dict[str, str] = {}
        figures: list[Figure] = []
        verdicts: list[Any] = []
        if d.outcome == "send":
            try:
                texts, figures, numbers = self.render(spec, res.subject, event)
            except (MissingData, KeyError) as e:
                name = e.field_name if isinstance(e, MissingData) else str(e)
                item.status, item.reason = "blocked", f"a template value is unavailable ({name}); nothing is sent"
            else:
                report.guard_calls += len(texts)
                verdicts = [self.check(t, res.subject.plan, numbers, figures) for t in texts.values()]
                failed = next((v for v in verdicts if not v.passed), None)
                if failed is not None:
                    bad = [f"{f.rule_id}: {f.rationale}" for f in failed.findings if f.outcome in ("fail", "error")]
                    item.status, item.reason = "blocked", "the output guard blocked it (" + "; ".join(bad) + ")"
                    item.guard_decision = failed.decision
                else:
                    texts = {kind: v.text for kind, v in zip(texts, verdicts, strict=True)}
                    item.status, item.text = "sent", texts["long"]
                    item.guard_decision = verdicts[0].decision
        if dry_run:
            return item
        self._record(res, d, item, texts, figures, verdicts, as_of)
        return item

    def _record(
        self,
        res: PersonResult,
        d: Decision,
        item: RunItem,
        texts: dict[str, str],
        figures: list[Figure],
        verdicts: list[Any],
        as_of: dt.date,
    ) -> None:
        spec, event, person = d.candidate.spec, d.candidate.event, res.person
        key = self.pseudonym(person.participant_id) or ""
        text = texts.get("long")
        baseline = {spec.success.field: getattr(person, spec.success.field)} if spec.success else {}
        record = self._audit_record(res, d, item, text, figures, verdicts, as_of, key)
        try:
            audit_hash = self.audit.append(record)
        except Exception:
            # a run that stopped after its audit record was written: reuse that record, never a second one
            earlier = self.audit.get(str(item.decision_id))
            if earlier is None:
                raise
            audit_hash = str(earlier.get("_hash"))
        sent = item.status == "sent" and text is not None and item.decision_id is not None
        cards, outbox = [], []
        for ch in item.channels if sent else []:
            if ch == "in_app":
                cards.append(
                    dict(participant_id=person.participant_id, title=spec.title, body=text, show_after=str(as_of))
                )
            else:
                body = texts.get("sms", text) if ch == "sms" else text
                outbox.append(dict(channel=ch, as_of=str(as_of), participant_key=key, subject=spec.title, body=body))
        did = {"decision_id": item.decision_id}
        self.store.insert_decision(  # decision + deliveries in one transaction, once per decision id
            {
                "decision_id": item.decision_id,
                "as_of": as_of.isoformat(),
                "participant_id": person.participant_id,
                "nudge_id": spec.id,
                "nudge_version": spec.version,
                "category": spec.category,
                "event_key": event.key,
                "event_kind": event.kind,
                "status": item.status,
                "reason": item.reason,
                "channels": item.channels if item.status in ("sent", "held_out") else [],
                "text_sha256": hashlib.sha256(text.encode()).hexdigest() if text else None,
                "baseline": baseline,
                "audit_hash": audit_hash,
            },
            cards=[did | c for c in cards],
            outbox=[did | m for m in outbox],
        )

    def _audit_record(
        self,
        res: PersonResult,
        d: Decision,
        item: RunItem,
        text: str | None,
        figures: list[Figure],
        verdicts: list[Any],
        as_of: dt.date,
        key: str,
    ) -> dict[str, Any]:
        spec, event = d.candidate.spec, d.candidate.event
        now = dt.datetime.now(dt.UTC).isoformat()
        findings = [f.to_dict() for v in verdicts for f in v.findings]
        return {
            "turn_id": item.decision_id,
            "thread_id": f"nudges:{as_of}",
            "kind": "nudge",
            "participant_key": key,
            "plan_id": res.person.plan_id,
            "channel": "nudge:" + ",".join(item.channels or ["none"]),
            "started_at": now,
            "finished_at": now,
            "redacted_input": f"[nudge evaluation as of {as_of}: {event.kind} on {event.date}]",
            "intent": f"nudge:{spec.id}",
            "nudge": {
                "id": spec.id,
                "version": spec.version,
                "category": spec.category,
                "priority": spec.priority,
                "approval": spec.approval.model_dump(mode="json"),
            },
            "catalog_version": self.config.catalog.sha256,
            "contact_policy_version": self.config.policy.sha256,
            "event": event.to_dict(),
            "decision": item.status,
            "rationale": item.reason,
            "calculations": [f.to_dict() for f in figures],
            "policy_version": getattr(self.guard, "version", None),
            "backend": "nudge-engine",
            "draft_hash": hashlib.sha256(text.encode()).hexdigest() if text else None,
            "guard_decision": item.guard_decision,
            "guard_findings": findings,
            "final_action": FINAL_ACTION.get(item.status, "nudge_suppressed"),
            "final_reason": item.status,
            "final_text": text if item.status == "sent" else None,
        }
