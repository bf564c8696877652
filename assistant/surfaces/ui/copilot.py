"""The call-center copilot: a Chainlit chat profile for agents (and admins).

1. Hand-off queue: open hand-offs from participant chats with their summaries (topics, sources,
   open flags); claiming one records the access first, then shows its figures and the context card.
2. Look up a caller: participant id, then how the caller was verified; the access is recorded in
   the audit trail (`record_access`) before anything about the participant is shown — if it cannot
   be recorded, nothing is shown.
3. The caller's question (typed or pasted) becomes a copilot turn (guarded as a whole) and a
   suggested reply with citations and guard findings; approve / edit / reject resume the LangGraph
   interrupt in assistant/services/copilot.py; an edited text is re-checked by the guard before it counts
   as sent.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
from typing import Any

import chainlit as cl

from assistant.decisions.calculators import money, pct
from assistant.errors import BeaconError, NotFoundError, UnavailableError
from assistant.records.access import record_access
from assistant.services import runtime
from assistant.services.copilot import Copilot
from assistant.surfaces.ui.formatting import source_elements
from assistant.turn.result import GuardFinding

log = logging.getLogger("beacon.copilot")
PROFILE = "Copilot"
ROLES = ("agent", "admin")
LOOKUP, CLAIM, DECIDE, VERIFY = "copilot_lookup", "copilot_claim", "copilot_decide", "copilot_verify"
PARTICIPANT_ID = re.compile(r"^\s*([A-Za-z]-\d{4,8})\s*$")
VERIFICATIONS = {
    "dob_account": "Date of birth + last 4 of the account number",
    "security_question": "Security question + address on file",
}
_COPILOTS: dict[int, Copilot] = {}


def copilot() -> Copilot:
    svc = runtime.service()
    if id(svc) not in _COPILOTS:
        _COPILOTS[id(svc)] = Copilot(svc)
    return _COPILOTS[id(svc)]


def _handoffs() -> Any:
    store = runtime.service().deps.handoffs
    if store is None:
        raise UnavailableError("The hand-off queue is not configured on this server.")
    return store


def _agent() -> tuple[str, str]:
    user = cl.user_session.get("user")
    return (user.identifier, (user.metadata or {}).get("role", "")) if user else ("", "")


def active() -> bool:
    """This session is the copilot: the profile is chosen and the user is allowed to use it."""
    return cl.user_session.get("chat_profile") == PROFILE and _agent()[1] in ROLES


async def start() -> None:
    cl.user_session.set("caller", None)
    cl.user_session.set("awaiting", None)
    agent, _role = _agent()
    await cl.Message(
        content=f"**Copilot** — signed in as {agent}. Look up a caller after verifying them, or claim a "
        "conversation from the hand-off queue. Every look-up is recorded in the audit trail.",
        actions=[cl.Action(name=LOOKUP, payload={}, label="Look up a caller")],
    ).send()
    await show_queue()


async def resume() -> None:
    # access was recorded for the earlier session only: look the caller up again
    cl.user_session.set("caller", None)
    await cl.Message(
        content="Conversation reopened. Look up the caller again to continue.",
        actions=[cl.Action(name=LOOKUP, payload={}, label="Look up a caller")],
    ).send()


async def show_queue() -> None:
    """The open hand-offs. No participant figures here: those are shown after a recorded claim."""
    handoffs = await asyncio.to_thread(_handoffs().list, "open")
    if not handoffs:
        await cl.Message(content="**Hand-off queue:** empty.").send()
        return
    await cl.Message(content=f"**Hand-off queue:** {len(handoffs)} open").send()
    for h in handoffs:
        s = h.summary
        topics = ", ".join(s.get("intents") or []) or "no question yet"
        flags = ", ".join(s.get("open_flags") or []) or "none"
        await cl.Message(
            content=f"**Hand-off {h.handoff_id[:8]}** · {h.plan_id or 'no plan'} · opened {h.created_at[:16]} UTC\n\n"
            f"- Topics: {topics}\n- Sources: {len(s.get('sources') or [])}\n- Open flags: {flags}\n"
            f"- Turns: {s.get('turns', 0)}",
            actions=[cl.Action(name=CLAIM, payload={"handoff_id": h.handoff_id}, label="Claim")],
        ).send()


async def _record(participant_id: str, what: str, reason: str) -> bool:
    agent, role = _agent()
    try:
        await asyncio.to_thread(record_access, runtime.service().deps, agent, role, participant_id, what, reason)
    except Exception as e:  # noqa: BLE001 - fail closed: nothing about the participant is shown
        log.error("access to a participant could not be recorded: %s", type(e).__name__)
        await cl.Message(
            content="The access could not be recorded in the audit trail, so nothing is shown. Try again."
        ).send()
        return False
    return True


@cl.action_callback(CLAIM)
async def on_claim(action: cl.Action) -> None:
    if not active():
        return
    agent, _role = _agent()
    try:
        h = await asyncio.to_thread(_handoffs().get, action.payload["handoff_id"])
    except BeaconError as e:
        await cl.Message(content=str(e)).send()
        return
    if h.participant_id and not await _record(
        h.participant_id, "hand-off summary and context card", f"claimed hand-off {h.handoff_id}"
    ):
        return
    try:
        h = await asyncio.to_thread(_handoffs().claim, h.handoff_id, agent)
    except BeaconError as e:
        await cl.Message(content=str(e)).send()
        return
    await action.remove()
    s = h.summary
    figures = ", ".join(f"{k} = {v}" for k, v in (s.get("figures") or {}).items()) or "none"
    await cl.Message(
        content=f"**Claimed hand-off {h.handoff_id[:8]}**\n\n{s.get('summary', '')}\n\n"
        f"- Last question: {s.get('last_question') or '—'}\n- Figures shown: {figures}\n"
        f"- Sources: {', '.join(s.get('sources') or []) or 'none'}\n- Open flags: {', '.join(s.get('open_flags') or []) or 'none'}"
    ).send()
    if h.participant_id:
        await _open_caller(h.participant_id)


@cl.action_callback(LOOKUP)
async def on_lookup(action: cl.Action) -> None:
    """Ask for the caller's participant id; the agent's next message is read as the id (no blocking
    dialog, so the chat input stays usable)."""
    if not active():
        return
    cl.user_session.set("caller", None)
    cl.user_session.set("awaiting", "participant_id")
    await cl.Message(content="The caller's participant id (e.g. A-1002)?").send()


async def _ask_verification(pid: str) -> None:
    deps = runtime.service().deps
    try:
        await asyncio.to_thread(deps.participants.get, pid)
    except NotFoundError:
        await cl.Message(content=f"No participant '{pid}'. Check the id and look up again.").send()
        return
    except BeaconError as e:
        await cl.Message(content=str(e)).send()
        return
    await cl.Message(
        content=f"How did you verify the caller for {pid}?",
        actions=[
            *[cl.Action(name=VERIFY, payload={"pid": pid, "how": k}, label=v) for k, v in VERIFICATIONS.items()],
            cl.Action(name=VERIFY, payload={"pid": pid, "how": "none"}, label="Could not verify"),
        ],
    ).send()


@cl.action_callback(VERIFY)
async def on_verify(action: cl.Action) -> None:
    if not active():
        return
    pid, how = str(action.payload.get("pid", "")), action.payload.get("how")
    await action.remove()
    if how not in VERIFICATIONS:
        await cl.Message(
            content="The caller is not verified: nothing is shown. Offer to call back on the number on file."
        ).send()
        return
    if not await _record(pid, "context card", f"verified caller by: {VERIFICATIONS[how]}"):
        return
    await _open_caller(pid)


async def _open_caller(pid: str) -> None:
    """Show the context card (access already recorded) and take the caller's questions."""
    cl.user_session.set("caller", pid)
    cl.user_session.set("thread_id", None)
    await cl.Message(content=await asyncio.to_thread(context_card, runtime.service().deps, pid)).send()
    await cl.Message(content=f"Type or paste the caller's question for {pid}.").send()


def context_card(deps: Any, pid: str) -> str:
    from assistant.decisions.calculators.vesting import vesting
    from assistant.nudges.service import engine_for

    person = deps.participants.get(pid)
    plan = deps.plans[person.plan_id]
    today = deps.today()
    age = person.age_at_year_end(today.year)
    vested = "n/a"
    try:
        vfig = {f.name: f.value for f in vesting(plan, person)}
        v = vfig.get("vested_pct")
        vested = pct(float(v)) if isinstance(v, int | float) else "n/a"
    except Exception as e:  # noqa: BLE001 - a missing profile field: show n/a
        log.info("vesting unavailable for the card: %s", type(e).__name__)
    events = [
        f"{e.type} {e.date.isoformat()}" for e in person.life_events if (today - e.date) <= dt.timedelta(days=365)
    ]
    try:
        engine = engine_for(deps)
        nudges = [c["title"] for c in engine.store.cards(pid, today)]
    except Exception as e:  # noqa: BLE001 - the card still shows without nudges
        log.info("pending nudges unavailable: %s", type(e).__name__)
        nudges = []
    loans = (
        f"{person.loans_outstanding} outstanding, {money(person.outstanding_loan_balance)}"
        if person.loans_outstanding
        else "none"
    )
    rows = [
        ("Plan", f"{plan.plan_name} ({person.plan_id})"),
        ("Name", person.first_name),
        ("Age at year end", str(age) if age is not None else "n/a"),
        ("Status", person.employment_status),
        (
            "Balance",
            f"{money(person.balance)} (employee {money(person.balance_employee)}, employer {money(person.balance_employer)})",
        ),
        (
            "Deferral",
            pct(person.deferral_pct) + (f" (Roth {pct(person.roth_pct)})" if person.roth_pct else "")
            if person.deferral_pct is not None
            else "n/a",
        ),
        ("Vested (employer money)", vested),
        ("Loans", loans),
        ("Recent life events", ", ".join(events) or "none"),
        ("Pending nudges", ", ".join(nudges) or "none"),
    ]
    return f"**Context card — {pid}**\n\n" + "\n".join(f"- **{k}:** {v}" for k, v in rows)


def _findings_text(findings: list[GuardFinding]) -> str:
    bad = [f for f in findings if f.outcome in ("fail", "error", "transform")]
    if not bad:
        return "Guard: passed."
    return "Guard findings:\n" + "\n".join(f"- `{f.rule_id}` ({f.outcome}): {f.rationale}" for f in bad)


def _decision_actions(turn_id: str) -> list[cl.Action]:
    return [
        cl.Action(name=DECIDE, payload={"turn_id": turn_id, "decision": "approve"}, label="Approve"),
        cl.Action(name=DECIDE, payload={"turn_id": turn_id, "decision": "edit"}, label="Edit"),
        cl.Action(name=DECIDE, payload={"turn_id": turn_id, "decision": "reject"}, label="Reject"),
    ]


async def on_message(message: cl.Message) -> None:
    awaiting = cl.user_session.get("awaiting")
    if awaiting == "participant_id":
        m = PARTICIPANT_ID.match(message.content)
        if not m:
            await cl.Message(content="That is not a participant id (a letter, a dash and digits, e.g. A-1002).").send()
            return
        cl.user_session.set("awaiting", None)
        await _ask_verification(m.group(1).upper())
        return
    if isinstance(awaiting, dict) and awaiting.get("edit"):
        cl.user_session.set("awaiting", None)
        await _decide(str(awaiting["edit"]), "edit", message.content)
        return
    pid = cl.user_session.get("caller")
    if not pid:
        await cl.Message(
            content="Look up and verify a caller first (or claim a hand-off).",
            actions=[cl.Action(name=LOOKUP, payload={}, label="Look up a caller")],
        ).send()
        return
    agent, _role = _agent()
    try:
        out = await asyncio.to_thread(copilot().suggest, message.content, pid, agent, cl.user_session.get("thread_id"))
    except BeaconError as e:
        await cl.Message(content=str(e)).send()
        return
    cl.user_session.set("thread_id", out.thread_id)
    sources, elements = source_elements(out.citations)
    await cl.Message(
        content=f"**Suggested reply** ({out.action}):\n\n{out.answer}{sources}\n\n"
        f"{_findings_text(out.guardrail.findings)}",
        elements=elements,  # type: ignore[arg-type]
        actions=_decision_actions(out.turn_id),
        metadata={"turn_id": out.turn_id, "audit_id": out.audit_id, "thread_id": out.thread_id},
    ).send()


@cl.action_callback(DECIDE)
async def on_decide(action: cl.Action) -> None:
    if not active():
        return
    turn_id, decision = action.payload["turn_id"], action.payload["decision"]
    if decision == "edit":
        # the agent's next message is the edited reply (no blocking dialog)
        cl.user_session.set("awaiting", {"edit": turn_id})
        await cl.Message(content="Type or paste the edited reply.").send()
        return
    await _decide(turn_id, decision, None, action)


async def _decide(turn_id: str, decision: str, text: str | None, action: cl.Action | None = None) -> None:
    try:
        state = await asyncio.to_thread(copilot().decide, turn_id, decision, text)
    except LookupError as e:
        await cl.Message(content=str(e)).send()
        return
    if state.get("status") == "sent":
        if action is not None:
            await action.remove()
        how = "edited and re-checked by the guard" if decision == "edit" else "approved"
        await cl.Message(content=f"**Sent to the caller** ({how}):\n\n{state['sent_text']}").send()
    elif state.get("status") == "rejected":
        if action is not None:
            await action.remove()
        await cl.Message(
            content="Rejected: nothing was sent. Answer the caller yourself or ask another question."
        ).send()
    else:
        await cl.Message(
            content="**Not sent:** the guard refused the edited reply.\n\n"
            + _findings_text(
                [GuardFinding(**{k: f.get(k) for k in GuardFinding.model_fields}) for f in state.get("findings") or []]
            )
            + "\n\nEdit again, approve the original suggestion or reject it.",
            actions=_decision_actions(turn_id),
        ).send()
