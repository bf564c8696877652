"""One turn end to end: validate, redact, run the graph, shape the CLI/REST JSON.

Raw text never goes further than this module: it is redacted here, before the graph (and so the
checkpointer, the audit log and any model) sees it.
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from typing import Any

from assistant.errors import BadInputError, NotFoundError
from assistant.services.deps import Deps
from assistant.storage import checkpoints
from assistant.turn.graph import build_graph
from assistant.turn.nodes.audit import AuditWriteFailed, build_record
from assistant.turn.result import Citation, DraftInfo, GuardFinding, Guardrail, NudgeCard, TurnFigure, TurnResult
from assistant.understanding.language import distress_abroad, in_spanish

log = logging.getLogger("beacon.turn")

FIGURE_FIELDS = ("name", "label", "value", "unit", "inputs", "source", "rule")

CHANNELS = ("participant", "copilot")


def _checkpointer(deps: Deps) -> Any:
    """PostgresSaver when BEACON_DATABASE_URL names PostgreSQL, else SqliteSaver on checkpoints.db."""
    return checkpoints.open_checkpointer(deps.settings)


def validate_text(text: object, max_chars: int) -> str:
    if not isinstance(text, str):
        raise BadInputError("The message must be text.")
    if "\x00" in text or sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t") > 0:
        raise BadInputError("The message contains binary or control characters; send plain text.")
    stripped = text.strip()
    if not stripped:
        raise BadInputError("The message is empty; type a question.")
    if len(stripped) > max_chars:
        raise BadInputError(f"The message is {len(stripped)} characters long; the limit is {max_chars}. Shorten it.")
    return stripped


class TurnService:
    """Runs turns against one compiled graph with a SQLite checkpointer keyed by thread."""

    def __init__(self, deps: Deps, checkpointer: Any = None) -> None:
        self.deps = deps
        self.checkpointer = checkpointer if checkpointer is not None else _checkpointer(deps)
        self.graph = build_graph(deps, self.checkpointer)

    def thread_state(self, thread_id: str) -> dict[str, Any]:
        snap = self.graph.get_state({"configurable": {"thread_id": thread_id}})
        return dict(snap.values) if snap and snap.values else {}

    def _scope(self, participant: str | None, plan: str | None) -> tuple[str | None, str | None]:
        if participant:
            person = self.deps.participants.get(participant)
            if plan and plan != person.plan_id:
                raise BadInputError(f"Participant {participant} is in plan '{person.plan_id}', not '{plan}'.")
            return participant, person.plan_id
        if plan and plan != "general" and plan not in self.deps.plans:
            indexed = {e.plan_id for e in self.deps.index.entries()}
            if plan not in indexed:
                known = ", ".join(sorted(set(self.deps.plans) | indexed - {"general"}))
                raise NotFoundError(f"Unknown plan '{plan}' (known plans: {known}).")
        return None, plan

    def run(
        self,
        text: object,
        participant: str | None = None,
        plan: str | None = None,
        thread_id: str | None = None,
        channel: str = "participant",
        user: str | None = None,
        offer_nudges: bool = False,
    ) -> TurnResult:
        """One turn; `user` is the login asking (recorded as the thread's creator on its first turn).

        `offer_nudges`: on the first turn of a participant's conversation, add the nudges waiting for
        them (`nudges`: id, title, guarded text, decision id), as the web chat shows cards when a
        session starts; recorded as shown. The CLI, the REST API and the eval runner ask for them."""
        t0 = time.perf_counter()
        started = time.time()
        clean = validate_text(text, self.deps.settings.max_message_chars)
        if channel not in CHANNELS:
            raise BadInputError(f"Unknown channel '{channel}'; use one of: {', '.join(CHANNELS)}.")
        try:
            participant, plan = self._scope(participant, plan)
            previous = self.thread_state(thread_id) if thread_id else {}
        except (BadInputError, NotFoundError):
            raise
        except Exception as e:  # noqa: BLE001 - the database is unreachable: fail closed, write nothing more
            log.error("turn: stores unavailable before the graph: %s", type(e).__name__)
            down: dict[str, Any] = {"turn_id": uuid.uuid4().hex, "thread_id": thread_id or uuid.uuid4().hex}
            down |= {"participant_id": participant, "plan_id": plan if plan in self.deps.plans else None}
            down |= {"channel": channel, "started_at": started}
            return self._withheld(down, type(e).__name__, t0, redacted="[input withheld: a store is unavailable]")
        placeholders: dict[str, str] = {}
        last_user: list[str] = []  # the previous user message (redacted), for numbers split across turns
        if thread_id:
            if not previous:
                raise NotFoundError(f"No conversation '{thread_id}' exists; start a new one without --thread.")
            if previous.get("participant_id") != participant or previous.get("plan_id") != plan:
                raise NotFoundError(f"No conversation '{thread_id}' exists for this participant; start a new one.")
            placeholders = previous.get("pii_placeholders", {})
            last_user = [h["text"] for h in previous.get("history", []) if h.get("role") == "user"][-1:]
        new_thread = thread_id is None
        thread_id = thread_id or uuid.uuid4().hex
        turn_id = uuid.uuid4().hex
        base: dict[str, Any] = {
            "turn_id": turn_id,
            "thread_id": thread_id,
            "participant_id": participant,
            "plan_id": plan,
            "channel": channel,
            "started_at": started,
        }
        t_redact = time.perf_counter()
        try:
            redaction = self.deps.guard.redact(clean, placeholders, last_user[0] if last_user else None)
        except Exception as e:  # noqa: BLE001 - fail closed: the input is withheld entirely
            log.warning("turn %s: PII redaction failed: %s", turn_id, type(e).__name__)
            return self._withheld(base, f"{type(e).__name__}", t0)
        turn_input = {
            **base,
            "text": redaction.text,
            # only when redaction changed the text can it have taken the words a crisis pattern needs
            "before_redaction": list(self.deps.guard.before_redaction(clean)) if redaction.text != clean else [],
            "in_spanish": in_spanish(clean),  # read before redaction, which can take Spanish words as names
            "distress_abroad": distress_abroad(clean),  # crisis warning signs said in Spanish: the 988 check-in
            "pii_entities": [
                {"type": e.entity_type, "placeholder": e.placeholder, "hash": e.value_hash, "score": e.score}
                for e in redaction.entities
            ],
            "pii_placeholders": redaction.placeholders,
            # per-turn fields start empty
            "screen": {},
            "intent": "",
            "route": {},
            "provided": {},
            "passages": [],
            "quarantined": [],
            "figures": [],
            "missing": None,
            "draft": {},
            "verdict": {},
            "result": {},
            "errors": [],
            "redraft": False,
            "llm_rejected": None,
            "review": None,
            "timings": {"redact": round((time.perf_counter() - t_redact) * 1000, 2)},
        }
        config = {"configurable": {"thread_id": thread_id}}
        before = self._last_checkpoint(config)
        try:
            # one checkpoint when the turn ends, written in this thread: a turn is all-or-nothing
            # (a failed one is rolled back below), and per-step background writes cost ~30% of a turn
            final = self.graph.invoke(turn_input, config, durability="exit")
        except Exception as e:  # noqa: BLE001 - the audit node itself failed, or the checkpointer did
            log.error("turn %s: graph failed: %s", turn_id, type(e).__name__)
            self._rollback(thread_id, before)
            attempted = e.record if isinstance(e, AuditWriteFailed) else None
            return self._withheld(base, f"{type(e).__name__}", t0, redacted=redaction.text, attempted=attempted)
        response = self._response(final, t0)
        self._replay_spool()
        if self.deps.threads is not None:
            try:
                self.deps.threads.record(thread_id, turn_id, participant, plan, channel, user)
            except Exception as e:  # noqa: BLE001 - the answer stands; an unrecorded thread is simply not continuable
                log.error("turn %s: thread ownership not recorded: %s", turn_id, type(e).__name__)
        if response.handoff and self.deps.handoffs is not None:
            # "talk to a person": the conversation joins the agents' queue with its summary
            opened = self.deps.handoffs.open(
                final["thread_id"],
                final["turn_id"],
                final.get("participant_id"),
                final.get("plan_id"),
                response.handoff,
            )
            response.handoff_id = opened.handoff_id
        if offer_nudges and new_thread and participant and channel == "participant":
            if response.action in ("answer", "clarify"):  # never beside a refusal or a crisis escalation
                response.nudges = self._nudges(participant)
        return response

    def _replay_spool(self) -> None:
        """The audit store took this turn's record, so it is back: write what was spooled while it was
        down (no manual step; `beacon audit replay` does the same)."""
        spool = self.deps.spool
        if spool is None or not spool.path.exists() or not spool.path.stat().st_size:
            return
        from assistant.services.deps import replay_audit_spool

        try:
            replay_audit_spool(self.deps.audit, spool)
        except Exception as e:  # noqa: BLE001 - the records stay spooled for the next turn or start-up
            log.warning("audit spool replay failed: %s", type(e).__name__)

    def _nudges(self, participant: str) -> list[NudgeCard]:
        """The participant's waiting nudges (evaluated now: same policy, guard and audit as the batch)."""
        from assistant.nudges.service import session_cards

        try:
            cards = session_cards(self.deps, participant)
        except Exception as e:  # noqa: BLE001 - a broken catalog or nudge store must not cost the answer
            log.warning("nudges for a turn unavailable: %s", type(e).__name__)
            return []
        return [NudgeCard(**{k: c[k] for k in ("id", "title", "text", "decision_id")}) for c in cards]

    def _last_checkpoint(self, config: dict[str, Any]) -> str | None:
        tup = self.checkpointer.get_tuple(config)
        return str(tup.config["configurable"]["checkpoint_id"]) if tup else None

    def _rollback(self, thread_id: str, before: str | None) -> None:
        """Drop what a withheld turn checkpointed (its unshown answer is in the thread history):
        the conversation continues from where it was before the turn."""
        try:
            checkpoints.rollback(self.checkpointer, thread_id, before)
        except Exception as e:  # noqa: BLE001 - the turn is already answered fail-closed
            log.error("thread %s: withheld turn could not be rolled back: %s", thread_id, type(e).__name__)

    def _write_audit(self, state: dict[str, Any], attempted: dict[str, Any] | None) -> str | None:
        """Write the fail-closed record; if the store cannot take it, spool it (nothing is lost)."""
        turn_id = state["turn_id"]
        try:
            record = build_record(state, self.deps)  # type: ignore[arg-type]
        except Exception as e:  # noqa: BLE001 - e.g. the pseudonym table is locked: keep what is known
            log.error("turn %s: audit record could not be built: %s", turn_id, type(e).__name__)
            record = {
                "turn_id": turn_id,
                "thread_id": state["thread_id"],
                "participant_key": (attempted or {}).get("participant_key"),
                "redacted_input": state["text"],
                "errors": [*state["errors"], {"stage": "audit", "error": type(e).__name__}],
                "final_action": state["result"]["action"],
                "final_reason": state["result"]["reason"],
                "final_text": state["result"]["answer"],
            }
        if attempted is not None:
            failed = {"stage": "audit", "error": "the turn's record could not be written"}
            record["errors"] = [*record["errors"], failed]
            record["withheld"] = {
                k: attempted.get(k)
                for k in ("intent", "retrieved", "calculations", "draft_hash", "guard_decision", "guard_findings")
            } | {
                "final_action": attempted.get("final_action"),
                "final_text_sha256": hashlib.sha256(str(attempted.get("final_text") or "").encode()).hexdigest(),
            }
        try:
            if attempted is None and self.deps.audit.get(turn_id) is not None:
                # the turn's own record was written, then the graph failed (e.g. the checkpoint):
                # this record says what the person was actually shown
                record["turn_id"], record["supersedes"] = f"{turn_id}/withheld", turn_id
            return self.deps.audit.append(record)
        except Exception as e:  # noqa: BLE001 - the store is down: spool the record, answer fail-closed
            log.error("turn %s: audit write failed, record spooled: %s", turn_id, type(e).__name__)
        try:
            if self.deps.spool is None:
                raise RuntimeError("no audit spool configured")
            self.deps.spool.add(record)
        except Exception as e:  # noqa: BLE001 - nothing was shown but the safe message; say so loudly
            log.critical("turn %s: audit record could be neither written nor spooled: %s", turn_id, type(e).__name__)
        return None

    def _response(self, final: dict[str, Any], t0: float) -> TurnResult:
        result = final["result"]
        verdict = final.get("verdict") or {}
        draft = final.get("draft") or {}
        findings = [
            *final.get("screen", {}).get("findings", []),
            *final.get("quarantined", []),
            *verdict.get("findings", []),
        ]
        return TurnResult(
            thread_id=final["thread_id"],
            turn_id=final["turn_id"],
            audit_id=final.get("audit_hash"),
            action=result["action"],
            answer=result["answer"],
            reason=result.get("reason"),
            intent=final.get("intent"),
            citations=[Citation(**c) for c in result["citations"]],
            figures=[TurnFigure(**{k: f[k] for k in FIGURE_FIELDS if k in f}) for f in result["figures"]],
            redacted=sorted({e["type"] for e in final.get("pii_entities", [])}),
            review=final.get("review"),
            handoff=result.get("handoff"),
            draft=DraftInfo(
                backend=self.deps.drafter.backend_id,
                source=draft.get("source"),
                fallback_reason=draft.get("fallback_reason"),
                trimmed=draft.get("trimmed"),
                rejected_by_guard=[
                    f["rule_id"]
                    for f in (final.get("llm_rejected") or {}).get("findings", [])
                    if f["outcome"] != "pass"
                ],
            ),
            guardrail=Guardrail(
                decision=verdict.get("decision", "block"),
                findings=[GuardFinding(**{k: f.get(k) for k in GuardFinding.model_fields}) for f in findings],
            ),
            latency_ms=round((time.perf_counter() - t0) * 1000, 1),
        )

    def _withheld(
        self,
        base: dict[str, Any],
        error: str,
        t0: float,
        redacted: str | None = None,
        attempted: dict[str, Any] | None = None,
    ) -> TurnResult:
        """Fail closed before or around the graph: a safe message, and still one audit record.

        `attempted` is the record the audit node could not write: what the withheld turn had
        found is kept in this record (`withheld`), though its answer was never shown.
        """
        blocks = self.deps.drafter.blocks
        plan = self.deps.plans.get(base["plan_id"]) if base["plan_id"] else None
        answer = f"{blocks.get('unavailable')} {blocks.contact(plan)}"
        state = {
            **base,
            "text": redacted or "[input withheld: the PII screen failed]",
            "errors": [{"stage": "redact" if redacted is None else "graph", "error": error}],
            "result": {"action": "escalate", "answer": answer, "citations": [], "reason": "unavailable"},
        }
        audit_id = self._write_audit(state, attempted)
        return TurnResult(
            thread_id=base["thread_id"],
            turn_id=base["turn_id"],
            audit_id=audit_id,
            action="escalate",
            answer=answer,
            reason="unavailable",
            draft=DraftInfo(backend=self.deps.drafter.backend_id),
            guardrail=Guardrail(
                decision="block",
                findings=[
                    GuardFinding(
                        rule_id="guard.pipeline_error",
                        stage="input",
                        outcome="error",
                        rationale=f"The turn failed ({error}) and was answered fail-closed.",
                    )
                ],
            ),
            latency_ms=round((time.perf_counter() - t0) * 1000, 1),
        )
