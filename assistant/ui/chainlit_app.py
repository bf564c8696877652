"""The Chainlit participant chat. Loaded by Chainlit (`mount_chainlit`), it reads the running
TurnService from `assistant.runtime`; it loads nothing itself."""

from __future__ import annotations

import asyncio

import chainlit as cl

from assistant import runtime
from assistant.errors import BeaconError
from assistant.nudges import chat_card


@cl.password_auth_callback
async def auth(username: str, password: str) -> cl.User | None:
    user = await asyncio.to_thread(runtime.users().authenticate, username, password)
    if user is None:
        return None
    return cl.User(identifier=user.username, metadata={"role": user.role, "participant_id": user.participant_id})


def _who() -> tuple[str | None, str]:
    user = cl.user_session.get("user")
    md = user.metadata if user else {}
    return md.get("participant_id"), md.get("role", "participant")


@cl.on_chat_start
async def start() -> None:
    participant_id, _role = _who()
    cl.user_session.set("thread_id", None)
    if participant_id:
        svc = runtime.service()
        person = svc.deps.participants.get(participant_id)
        plan = svc.deps.plans[person.plan_id]
        # life-event nudge cards first (ask / remind me later / dismiss): the greeting ends the start-up
        await chat_card.send_cards(svc, participant_id)
        await cl.Message(
            content=f"Hello {person.first_name}. I can answer questions about the {plan.plan_name} "
            "using your plan's documents and your own figures. What would you like to know?"
        ).send()
    else:
        await cl.Message(
            content="Hello. Ask about retirement plan rules; sign in as a participant for answers "
            "about a specific plan and account."
        ).send()


def _source_elements(citations: list[dict]) -> tuple[str, list[cl.Text]]:
    names, elements = [], []
    for i, c in enumerate(citations, start=1):
        where = f"p. {c['page']}" if c.get("page") else f"§{c['section']}"
        name = f"[{i}] {c['document_title'].split(' — ')[0]} {where}"
        body = (
            f"**{c['title']}** ({'page ' + str(c['page']) if c.get('page') else 'section ' + c['section']})\n\n{c['document_title']}, effective "
            f"{c.get('effective_date') or 'n/a'}, version {c.get('version') or 'n/a'}\n\n> {c['snippet']}"
        )
        names.append(name)
        elements.append(cl.Text(name=name, content=body, display="side"))
    return ("\n\n**Sources:** " + ", ".join(names)) if names else "", elements


@cl.on_message
async def on_message(message: cl.Message) -> None:
    participant_id, _role = _who()
    svc = runtime.service()
    try:
        out = await asyncio.to_thread(
            svc.run, message.content, participant_id, None, cl.user_session.get("thread_id"), "participant"
        )
    except BeaconError as e:
        await cl.Message(content=str(e)).send()
        return
    cl.user_session.set("thread_id", out["thread_id"])
    sources, elements = _source_elements(out["citations"])
    await cl.Message(
        content=out["answer"] + sources,
        elements=elements,
        metadata={"turn_id": out["turn_id"], "audit_id": out["audit_id"], "action": out["action"]},
    ).send()
