"""How the rest of Beacon uses nudges: open the engine from `Deps`, run the batch, list a
participant's pending cards (chat, REST API, copilot) and record card actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from assistant.nudges.engine import NudgeEngine, RunReport, load_config
from assistant.nudges.outcomes import detect_actions, record_outcome
from assistant.nudges.policy import partition_of
from assistant.nudges.store import NudgeStore

CARD_ACTIONS = {"ask": "opened", "remind_later": "remind_later", "dismiss": "dismissed"}


class Keys:
    """Participants' pseudonymous keys for a batch: loaded in bulk for a partition (`load`), one by one
    otherwise (a session's cards)."""

    def __init__(self, deps: Any) -> None:
        self.deps = deps
        self.known: dict[str, str] = {}

    def load(self, participant_ids: list[str]) -> None:
        if self.deps.pseudonyms is not None:
            self.known = self.deps.pseudonyms.keys_for(participant_ids)

    def __call__(self, participant_id: str | None) -> str | None:
        if participant_id is not None and participant_id in self.known:
            return self.known[participant_id]
        return self.deps.pseudonym(participant_id)  # type: ignore[no-any-return]


def open_engine(deps: Any) -> NudgeEngine:
    """The engine over this Beacon's stores; the guard and the audit log are the turn's own."""
    s = deps.settings
    config = load_config(s.nudges_config_dir, set(deps.plans))
    store = NudgeStore(deps.db)
    return NudgeEngine(config, deps.plans, deps.limits, store, deps.guard, deps.audit, Keys(deps), s.outbox_dir)


def sync_intents(engine: NudgeEngine, audit: Any, since: str | None = None) -> int:
    """Copy (pseudonymous key, intent, day) of conversation turns from the audit log; idempotent."""
    wanted = set(engine.config.policy.config.behaviour.intents)
    added = 0
    for r in audit.iter_records(since) if since else audit.iter_records():
        if r.get("kind") == "nudge" or r.get("intent") not in wanted or not r.get("participant_key"):
            continue
        day = dt.date.fromisoformat(str(r.get("started_at", ""))[:10])
        added += engine.store.add_intent(str(r["turn_id"]), str(r["participant_key"]), str(r["intent"]), day)
    return added


def run_batch(
    deps: Any, engine: NudgeEngine, as_of: dt.date, dry_run: bool = False, partition: tuple[int, int] = (0, 1)
) -> RunReport:
    """The daily batch: sync conversation intents, detect actions, evaluate and deliver."""
    people = deps.participants.all()
    k, n = partition
    if isinstance(engine.pseudonym, Keys):  # this partition's keys in a few bulk statements
        engine.pseudonym.load([p.participant_id for p in people if n == 1 or partition_of(p.participant_id, n) == k])
    if not dry_run:
        sync_intents(engine, deps.audit)
        detect_actions(engine.store, engine.config.catalog, {p.participant_id: p for p in people}, as_of)
    return engine.run(people, as_of, dry_run=dry_run, partition=partition)


def pending_nudges(
    deps: Any, engine: NudgeEngine, participant_id: str, today: dt.date | None = None
) -> list[dict[str, str]]:
    """In-app nudges waiting for this participant, newest rules applied first.

    Evaluates the participant for the in-app channel now (session start), so a nudge that became
    timely since the last batch is offered too; it passes the same policy, guard and audit.
    """
    today = today or deps.today()
    person = deps.participants.get(participant_id)
    engine.run([person], today, channels=("in_app",))
    return engine.store.cards(participant_id, today)


def card_action(engine: NudgeEngine, decision_id: str, action: str, today: dt.date) -> None:
    """ask -> opened, remind_later -> shown again after `remind_later_days`, dismiss -> dismissed."""
    if action not in CARD_ACTIONS:
        raise ValueError(f"unknown card action '{action}' (known: {', '.join(CARD_ACTIONS)})")
    record_outcome(engine.store, decision_id, CARD_ACTIONS[action], today)
    if action == "remind_later":
        days = engine.config.policy.config.remind_later_days
        engine.store.snooze_card(decision_id, today + dt.timedelta(days=days))
    else:
        engine.store.resolve_card(decision_id, CARD_ACTIONS[action])


def card_shown(engine: NudgeEngine, decision_id: str, today: dt.date) -> None:
    record_outcome(engine.store, decision_id, "shown", today)


_ENGINES: dict[int, NudgeEngine] = {}


def engine_for(deps: Any) -> NudgeEngine:
    """One engine per running Beacon (the chat and the REST API share it)."""
    if id(deps) not in _ENGINES:
        _ENGINES[id(deps)] = open_engine(deps)
    return _ENGINES[id(deps)]


def session_cards(deps: Any, participant_id: str) -> list[dict[str, str]]:
    """The cards to show at the start of a chat session, each recorded as `shown`."""
    engine = engine_for(deps)
    today = deps.today()
    cards = pending_nudges(deps, engine, participant_id, today)
    for c in cards:
        card_shown(engine, c["decision_id"], today)
    return cards
