"""The Compliance profile of the web chat (roles compliance and admin): the review queue, one turn
as the participant saw it (text, passages, figures, guard findings, input classification) and the
verdict form (ok / issue with a category / needs a policy change, with a note). The logic is
assistant/supervision/; this module only shows it. Reading a participant's turn is recorded in the
audit (kind `access`) before it is shown; a verdict is an audit record of kind `review`.

Typed commands: `queue`, `sample YYYY-MM-DD` (draw that day's sample), or a turn id to open it.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

import chainlit as cl

from assistant.errors import BeaconError
from assistant.records.access import record_access
from assistant.services import runtime
from assistant.supervision.keys import roster_by_key
from assistant.supervision.regression import append_case, case_from_review
from assistant.supervision.reviews import open_desk, parse_day
from assistant.supervision.sources import passages
from assistant.supervision.views import turn_view

log = logging.getLogger("beacon.compliance")
PROFILE = "Compliance"
ROLES = ("compliance", "admin")
OPEN, VERDICT, CATEGORY, REGRESS = "review_open", "review_verdict", "review_category", "review_regress"
VERDICT_LABELS = {"ok": "OK", "issue": "Issue…", "needs-policy-change": "Needs a policy change…"}


def _user() -> tuple[str, str]:
    user = cl.user_session.get("user")
    return (user.identifier, (user.metadata or {}).get("role", "")) if user else ("", "")


def active() -> bool:
    return cl.user_session.get("chat_profile") == PROFILE and _user()[1] in ROLES


def _desk() -> Any:
    deps = runtime.service().deps
    return open_desk(deps.settings, audit=deps.audit)


async def start() -> None:
    cl.user_session.set("review_form", None)
    who, _ = _user()
    await cl.Message(
        content=f"**Compliance review** — signed in as {who}. The queue holds each day's sample: every blocked, "
        "escalated or flagged turn plus a risk-weighted random draw. Type `sample YYYY-MM-DD` to draw a day's "
        "sample, `queue` to list open items, or a turn id to open it. Opening a turn is recorded in the audit trail."
    ).send()
    await show_queue()


async def show_queue() -> None:
    items = await asyncio.to_thread(lambda: _desk().queue("open"))
    if not items:
        await cl.Message(content="**Review queue:** nothing open.").send()
        return
    await cl.Message(content=f"**Review queue:** {len(items)} open").send()
    for i in items[:25]:
        await cl.Message(
            content=f"**{i.day}** · `{i.turn_id[:12]}` · {i.channel} · {i.intent or '—'} · **{i.why}**",
            actions=[cl.Action(name=OPEN, payload={"turn_id": i.turn_id}, label="Review")],
        ).send()


def _turn_markdown(v: dict[str, Any]) -> str:
    inp, shown, guard = v["input"], v["shown"], v["guard"]
    sample = f"{v['in_sample']['day']}, {v['in_sample']['why']}" if v["in_sample"] else "not sampled (ad hoc)"
    quoted = "\n".join(f"> {line}" for line in str(shown["text"] or "").splitlines())
    figures = "\n".join(
        f"- {f['label']}: **{f['text']}**" + (f" (rule {f['rule']})" if f["rule"] else "") for f in shown["figures"]
    )
    passages_md = "\n".join(
        f"- **{p['title'] or p['doc_id']} §{p['section'] or '?'}** {p.get('section_title') or ''} (v{p['version']}, score {p['score']})"
        + (" — *document changed since*" if p["changed_since"] else "")
        + f"\n  {(p['text'] or '(no longer in the index)')[:280]}"
        for p in v["passages"]
    )
    flagged = [f for f in guard["findings"] if f["outcome"] != "pass"]
    passed = len(guard["findings"]) - len(flagged)
    findings = "\n".join(f"| `{f['rule_id']}` | {f['outcome']} | {f['rationale']} |" for f in flagged)
    reviews = "\n".join(
        f"- {r['at'][:16]} {r['reviewer']}: **{r['verdict']}**"
        + (f" / {r['category']}" if r["category"] else "")
        + (f" — {r['note']}" if r["note"] else "")
        for r in v["reviews"]
    )
    return "\n".join(
        [
            f"### Turn `{v['turn_id'][:12]}` · {v['channel']} · {v['plan_id'] or 'no plan'} · {str(v['when'])[:16]} UTC",
            f"In sample: **{sample}**",
            "",
            f"**Asked** (redacted): {inp['redacted_text']}",
            f"**Input classification:** {inp['classification']} · intent {inp['intent']} · screen {inp['screen_action']}"
            + (f" ({', '.join(inp['screen_rules'])})" if inp["screen_rules"] else "")
            + (f" · PII removed: {', '.join(inp['pii_removed'])}" if inp["pii_removed"] else ""),
            "",
            f"**What the participant saw** — {shown['action']}" + (f" ({shown['reason']})" if shown["reason"] else ""),
            quoted,
            "",
            "**Figures**",
            figures or "- none",
            "",
            "**Retrieved passages**",
            passages_md or "- none",
            "",
            f"**Guard:** {guard['decision']} · {passed} rules passed" + (", these did not:" if flagged else ""),
            *(["| rule | outcome | rationale |", "|---|---|---|", findings] if flagged else []),
            "",
            "**Verdicts so far**",
            reviews or "- none",
        ]
    )


async def open_turn(turn_id: str) -> None:
    deps, (who, role) = runtime.service().deps, _user()
    desk = _desk()
    try:
        record = await asyncio.to_thread(desk.turn, turn_id)
    except BeaconError as e:
        await cl.Message(content=str(e)).send()
        return
    # whose turn it is, from thread ownership (erased participants have none: their records are unlinkable)
    owner = await asyncio.to_thread(deps.threads.thread_of_turn, turn_id) if deps.threads is not None else None
    if owner is not None and owner.participant_id:
        try:  # no record, no data
            await asyncio.to_thread(record_access, deps, who, role, owner.participant_id, f"review turn {turn_id}")
        except Exception as e:  # noqa: BLE001 - fail closed
            log.error("review: access could not be recorded: %s", type(e).__name__)
            await cl.Message(content="The access could not be recorded in the audit trail, so nothing is shown.").send()
            return
    item = next((i for i in await asyncio.to_thread(desk.queue, "all") if i.turn_id == turn_id), None)
    found = await asyncio.to_thread(passages, deps.index, record.get("retrieved", []))
    view = turn_view(record, found, item, await asyncio.to_thread(desk.reviews_of, turn_id))
    await cl.Message(
        content=_turn_markdown(view),
        actions=[
            cl.Action(name=VERDICT, payload={"turn_id": record["turn_id"], "verdict": v}, label=label)
            for v, label in VERDICT_LABELS.items()
        ],
        metadata={"review_turn": record["turn_id"]},
    ).send()


@cl.action_callback(OPEN)
async def on_open(action: cl.Action) -> None:
    if active():
        await open_turn(str(action.payload["turn_id"]))


@cl.action_callback(VERDICT)
async def on_verdict(action: cl.Action) -> None:
    if not active():
        return
    turn_id, verdict = str(action.payload["turn_id"]), str(action.payload["verdict"])
    if verdict == "ok":
        await _decide({"turn_id": turn_id, "verdict": "ok", "category": None}, None)
        return
    if verdict == "issue":
        categories = _desk().policy.categories
        await cl.Message(
            content="Which kind of issue?",
            actions=[
                cl.Action(name=CATEGORY, payload={"turn_id": turn_id, "category": c}, label=c) for c in categories
            ],
        ).send()
        return
    await _ask_note({"turn_id": turn_id, "verdict": verdict, "category": None})


@cl.action_callback(CATEGORY)
async def on_category(action: cl.Action) -> None:
    if active():
        await _ask_note(
            {"turn_id": action.payload["turn_id"], "verdict": "issue", "category": action.payload["category"]}
        )


async def _ask_note(form: dict[str, Any]) -> None:
    cl.user_session.set("review_form", form)
    await cl.Message(
        content=f"Type your note for **{form['verdict']}**{' / ' + form['category'] if form['category'] else ''}: "
        "what is wrong. For a regression case add lines `must: TEXT`, `must not: TEXT`, `expect: refuse` "
        "(answer, clarify, refuse or escalate). Personal data in the note is redacted before it is stored."
    ).send()


def parse_note(text: str) -> dict[str, Any]:
    note, must, must_not, expect = [], [], [], None
    for line in text.splitlines():
        m = re.match(r"^\s*(must not|must|expect)\s*:\s*(.+?)\s*$", line, re.IGNORECASE)
        if not m:
            note.append(line)
        elif m.group(1).lower() == "must":
            must.append(m.group(2))
        elif m.group(1).lower() == "must not":
            must_not.append(m.group(2))
        else:
            expect = m.group(2).lower()
    return {"note": "\n".join(note).strip() or None, "must": must, "must_not": must_not, "expect": expect}


async def _decide(form: dict[str, Any], typed: str | None) -> None:
    deps, (who, role) = runtime.service().deps, _user()
    parsed = parse_note(typed or "")
    try:
        rec = await asyncio.to_thread(
            _desk().decide,
            form["turn_id"],
            form["verdict"],
            who,
            lambda t: deps.guard.redact(t).text,
            category=form["category"],
            note=parsed["note"],
            reviewer_role=role,
            expected_action=parsed["expect"],
            must_contain=parsed["must"],
            must_not_contain=parsed["must_not"],
        )
    except BeaconError as e:
        await cl.Message(content=str(e)).send()
        return
    cl.user_session.set("review_form", None)
    actions = []
    if rec["verdict"] == "issue" and (rec["must_contain"] or rec["must_not_contain"] or rec["expected_action"]):
        actions = [cl.Action(name=REGRESS, payload={"turn_id": form["turn_id"]}, label="Make it a regression case")]
    label = rec["verdict"] + (f" / {rec['category']}" if rec["category"] else "")
    await cl.Message(
        content=f"**Verdict recorded:** {label} on turn `{form['turn_id'][:12]}` by {who} "
        f"(audit record `{rec['turn_id']}`)." + (f"\n\nNote: {rec['note']}" if rec["note"] else ""),
        actions=actions,
    ).send()


@cl.action_callback(REGRESS)
async def on_regress(action: cl.Action) -> None:
    if not active():
        return
    deps = runtime.service().deps
    suite = deps.settings.data_dir / "review-regressions.yaml"
    try:
        people = await asyncio.to_thread(roster_by_key, deps.pseudonyms, deps.participants)
        case = await asyncio.to_thread(
            case_from_review,
            _desk(),
            str(action.payload["turn_id"]),
            lambda k: people[k].participant_id if k in people else None,
        )
        await asyncio.to_thread(append_case, suite, case)
    except BeaconError as e:
        await cl.Message(content=str(e)).send()
        return
    await action.remove()
    await cl.Message(content=f"Case `{case['id']}` appended to `{suite}`; `beacon eval run {suite}` checks it.").send()


async def on_message(message: cl.Message) -> None:
    text = message.content.strip()
    form = cl.user_session.get("review_form")
    if form:
        await _decide(form, text)
        return
    if text.lower() == "queue":
        await show_queue()
        return
    m = re.match(r"^sample\s+(\S+)$", text, re.IGNORECASE)
    if m:
        who, _ = _user()
        try:
            rec = await asyncio.to_thread(_desk().draw_day, parse_day(m.group(1)), who)
        except BeaconError as e:
            await cl.Message(content=str(e)).send()
            return
        pop = ", ".join(f"{n} {ch}" for ch, n in rec["population"].items()) or "no turns"
        await cl.Message(
            content=f"Sample for {rec['day']} drawn (seed {rec['seed']}, recorded as `{rec['turn_id']}`): "
            f"{rec['always']} always reviewed + {rec['sampled']} drawn at rate {rec['sampling']['rate']} from {pop}."
        ).send()
        await show_queue()
        return
    await open_turn(text)
