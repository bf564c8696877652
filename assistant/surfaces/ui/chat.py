"""The Chainlit web chat: the participant chat and, for agents, the copilot profile.

Loaded by Chainlit (`mount_chainlit`), it reads the running TurnService from `assistant.services.runtime`;
it loads nothing itself. A turn is guarded as a whole by TurnService.run before anything is
shown; only then is the guarded answer streamed to the browser token by token, so no unguarded
text ever reaches the page. Chat history is Chainlit's data layer (assistant/surfaces/ui/history.py),
which stores redacted text only.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import chainlit as cl
from chainlit.context import context
from chainlit.types import ThreadDict

from assistant.errors import BeaconError
from assistant.records.users import LoginLocked
from assistant.services import runtime
from assistant.surfaces.ui import compliance as compliance_ui
from assistant.surfaces.ui import copilot as copilot_ui
from assistant.surfaces.ui import nudge_card as chat_card
from assistant.surfaces.ui import why as why_ui
from assistant.surfaces.ui.formatting import figures_block, source_elements, starters_for
from assistant.surfaces.ui.history import BeaconDataLayer, history_url

PARTICIPANT_PROFILE = "Participant chat"
STARTER = "beacon_starter"


@cl.data_layer
def _data_layer() -> BeaconDataLayer:
    deps = runtime.service().deps
    return BeaconDataLayer(deps, history_url(deps.settings))


@cl.password_auth_callback
async def auth(username: str, password: str) -> cl.User | None:
    try:
        user = await asyncio.to_thread(runtime.users().authenticate, username, password)
    except LoginLocked:
        return None  # Chainlit shows its sign-in error; the API says how long the lock lasts
    if user is None:
        return None
    return cl.User(identifier=user.username, metadata={"role": user.role, "participant_id": user.participant_id})


@cl.set_chat_profiles
async def profiles(current_user: cl.User | None, language: str | None = None) -> list[cl.ChatProfile]:
    role = (current_user.metadata or {}).get("role") if current_user else None
    if role not in copilot_ui.ROLES and role not in compliance_ui.ROLES:
        return []  # participants have the one chat; no picker
    out = []
    if role in copilot_ui.ROLES:
        out.append(
            cl.ChatProfile(
                name=copilot_ui.PROFILE,
                markdown_description="Look up a verified caller, get a suggested compliant reply, approve or edit it; "
                "the hand-off queue.",
                default=True,
            )
        )
    if role in compliance_ui.ROLES:
        out.append(
            cl.ChatProfile(
                name=compliance_ui.PROFILE,
                markdown_description="The review queue: sampled turns as participants saw them, and your verdicts.",
                default=not out,
            )
        )
    return [
        *out,
        cl.ChatProfile(name=PARTICIPANT_PROFILE, markdown_description="The participant chat (general questions)."),
    ]


def _who() -> tuple[str | None, str]:
    user = cl.user_session.get("user")
    md = (user.metadata if user else None) or {}
    return md.get("participant_id"), md.get("role", "participant")


@cl.on_chat_start
async def start() -> None:
    if copilot_ui.active():
        await copilot_ui.start()
        return
    if compliance_ui.active():
        await compliance_ui.start()
        return
    participant_id, _role = _who()
    cl.user_session.set("thread_id", None)
    if participant_id:
        svc = runtime.service()
        person = svc.deps.participants.get(participant_id)
        plan = svc.deps.plans[person.plan_id]
        # life-event nudge cards first (ask / remind me later / dismiss): the greeting ends the start-up
        await chat_card.send_cards(svc, participant_id)
        questions = starters_for(svc.deps.intents, person.decision_moment)
        await cl.Message(
            content=f"Hello {person.first_name}. I can answer questions about the {plan.plan_name} "
            "using your plan's documents and your own figures. What would you like to know?",
            actions=[cl.Action(name=STARTER, payload={"question": q}, label=q) for q in questions],
        ).send()
    else:
        await cl.Message(
            content="Hello. Ask about retirement plan rules; sign in as a participant for answers "
            "about a specific plan and account."
        ).send()


@cl.on_chat_resume
async def resume(thread: ThreadDict) -> None:
    """Chainlit restored the session (its `thread_id` is the Beacon conversation): continue it."""
    if copilot_ui.active():
        await copilot_ui.resume()
    elif compliance_ui.active():
        await compliance_ui.start()


@cl.action_callback(STARTER)
async def on_starter(action: cl.Action) -> None:
    user = cl.user_session.get("user")
    question = str(action.payload["question"])
    await cl.Message(content=question, author=user.identifier if user else "You", type="user_message").send()
    if not context.session.has_first_interaction:  # a typed message would start the saved thread; so does this
        context.session.has_first_interaction = True
        await context.emitter.init_thread(question)
    await answer(question)


async def stream_guarded(
    text: str, metadata: dict[str, Any], elements: list[Any] | None = None, actions: list[cl.Action] | None = None
) -> cl.Message:
    """Stream an answer the guard has already passed (never model output before the guard)."""
    msg = cl.Message(content="", metadata=metadata)
    for token in re.findall(r"\S+\s*|\s+", text):
        await msg.stream_token(token)
        await asyncio.sleep(0.004)
    msg.elements = elements or []  # type: ignore[assignment]
    msg.actions = actions or []
    await msg.send()
    return msg


async def answer(text: str) -> None:
    participant_id, _role = _who()
    svc = runtime.service()
    try:
        out = await asyncio.to_thread(
            svc.run, text, participant_id, None, cl.user_session.get("thread_id"), "participant"
        )
    except BeaconError as e:
        await cl.Message(content=str(e)).send()
        return
    cl.user_session.set("thread_id", out.thread_id)
    sources, elements = source_elements(out.citations)
    body = out.answer
    if out.action == "answer":
        body += figures_block(out.figures)
    if out.handoff_id:
        body += (
            f"\n\nI've passed our conversation to a member of the team (reference **{out.handoff_id[:8]}**); "
            "they can see the summary, so you won't need to repeat yourself."
        )
    metadata = {
        "turn_id": out.turn_id,
        "audit_id": out.audit_id,
        "thread_id": out.thread_id,
        "action": out.action,
    }
    await stream_guarded(body + sources, metadata, elements, [why_ui.button(out.turn_id)])


@cl.on_message
async def on_message(message: cl.Message) -> None:
    if copilot_ui.active():
        await copilot_ui.on_message(message)
        return
    if compliance_ui.active():
        await compliance_ui.on_message(message)
        return
    await answer(message.content)
