"""The nudge card at the start of a Chainlit chat session: the guarded nudge text with three
actions — ask about it (recorded `opened`, then answered as a normal turn), remind me later
(`remind_later`, shown again after the policy's days) and dismiss (`dismissed`). Imported by
assistant/surfaces/ui/chat.py; it reads the running TurnService and loads nothing at import."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import chainlit as cl

from assistant.errors import BeaconError
from assistant.nudges.service import card_action, engine_for, session_cards
from assistant.surfaces.ui.why import button as why_button

log = logging.getLogger("beacon.nudges")
ACTION = "beacon_nudge"
LABELS = {"ask": "Ask about it", "remind_later": "Remind me later", "dismiss": "Dismiss"}


async def send_cards(svc: Any, participant_id: str) -> None:
    try:
        cards = await asyncio.to_thread(session_cards, svc.deps, participant_id)
    except BeaconError as e:  # a broken catalog must not break the chat; the batch reports it
        log.warning("nudge cards unavailable: %s", e)
        return
    for c in cards:
        actions = [
            cl.Action(
                name=ACTION, payload={"decision_id": c["decision_id"], "action": a, "title": c["title"]}, label=label
            )
            for a, label in LABELS.items()
        ]
        actions.append(why_button(c["decision_id"]))  # the rule or life event behind it (ui/why.py)
        await cl.Message(
            content=f"**{c['title']}**\n\n{c['text']}",
            actions=actions,
            metadata={"nudge": c["id"], "decision_id": c["decision_id"]},
        ).send()


@cl.action_callback(ACTION)
async def on_card_action(action: cl.Action) -> None:
    from assistant.services import runtime

    svc = runtime.service()
    engine = engine_for(svc.deps)
    what = action.payload["action"]
    await asyncio.to_thread(card_action, engine, action.payload["decision_id"], what, svc.deps.today())
    await action.remove()
    if what == "remind_later":
        days = engine.config.policy.config.remind_later_days
        await cl.Message(content=f"I'll show this again in {days} days.").send()
    elif what == "dismiss":
        await cl.Message(content="Dismissed. You can ask about it any time.").send()
    else:
        user = cl.user_session.get("user")
        participant_id = user.metadata.get("participant_id") if user else None
        out = await asyncio.to_thread(
            svc.run,
            f"Tell me more: {action.payload['title']}",
            participant_id,
            None,
            cl.user_session.get("thread_id"),
            "participant",
        )
        cl.user_session.set("thread_id", out.thread_id)
        await cl.Message(content=out.answer, metadata={"turn_id": out.turn_id, "action": out.action}).send()
