""" "Why am I seeing this?" under answers and nudge cards in the web chat: the same explanation as
`GET /api/v1/turns/{turn_id}/why` (assistant/supervision/why.py), with the same access rules.
Imported by assistant/surfaces/ui/chat.py; it loads nothing at import."""

from __future__ import annotations

import asyncio
import logging

import chainlit as cl

from assistant.records.access import record_access
from assistant.services import runtime
from assistant.supervision.why_access import Viewer, explanation, find_for

log = logging.getLogger("beacon.why")
ACTION = "beacon_why"
LABEL = "Why am I seeing this?"


def button(turn_id: str) -> cl.Action:
    return cl.Action(
        name=ACTION, payload={"turn_id": turn_id}, label=LABEL, tooltip="Sources, rules and your data behind this"
    )


def render(exp: dict) -> str:  # type: ignore[type-arg]
    lines = ["**Why am I seeing this?**", "", *[f"- {b}" for b in exp["because"]]]
    if exp["sources"]:
        lines += ["", "Sources:"]
        lines += [
            f"- {s['label']}" + (f", effective {s['effective_date']}" if s.get("effective_date") else "")
            for s in exp["sources"]
        ]
    return "\n".join(lines)


@cl.action_callback(ACTION)
async def on_why(action: cl.Action) -> None:
    user = cl.user_session.get("user")
    md = (user.metadata if user else None) or {}
    viewer = Viewer(md.get("role", "participant"), user.identifier if user else "", md.get("participant_id"))
    deps = runtime.service().deps
    turn_id = str(action.payload.get("turn_id", ""))
    found = await asyncio.to_thread(find_for, deps, turn_id, viewer)
    if found is None:
        await cl.Message(content="I can't find that message in your conversations.").send()
        return
    if not found.own and found.participant_id is not None:
        try:  # staff reading someone's turn: recorded first, or nothing is shown
            await asyncio.to_thread(
                record_access, deps, viewer.username, viewer.role, found.participant_id, f"why {turn_id}"
            )
        except Exception as e:  # noqa: BLE001 - fail closed
            log.error("why: access could not be recorded: %s", type(e).__name__)
            await cl.Message(content="The access could not be recorded in the audit trail, so nothing is shown.").send()
            return
    exp = await asyncio.to_thread(explanation, deps, found)
    await cl.Message(content=render(exp), metadata={"why": turn_id}).send()
