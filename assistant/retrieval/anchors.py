"""Where the answer to an intent must come from: the section of the plan's SPD that states its rules
(the intent's `plan_section`), then a general education document (`general_anchor`). The query picks
the best chunks inside each scope, so "how many loans" lands on the number-of-loans section."""

from __future__ import annotations

import re

from assistant.decisions.intents import Intent
from assistant.decisions.life_events import DIVORCE_WORDS
from assistant.decisions.playbooks.leaving import ROLL_IN
from assistant.records.provisions import PlanProvisions
from assistant.retrieval.retriever import GENERAL, Anchor

# Life events named in the question pick the education section about them.
LIFE_EVENTS = [
    (re.compile(r"\b(marri|marry|wedding|fianc)", re.I), "1"),
    (DIVORCE_WORDS, "2"),
    (re.compile(r"\b(baby|child|birth|born|adopt)", re.I), "3"),
    (re.compile(r"\b(died|death|passed away|widow)", re.I), "4"),
]


def anchors_for(
    intent: Intent | None, plan: PlanProvisions | None, text: str = "", plan_id: str | None = None
) -> list[Anchor]:
    anchors: list[Anchor] = []
    if plan is None and plan_id and plan_id != GENERAL:
        # a document set without structured provisions (e.g. `beacon ingest --plan NEW`): its own
        # three best passages answer; general education stays in the ordinary hits
        return [Anchor(None, None, 3, plan_id)]
    if intent is None:
        return anchors
    section = intent.plan_section_of(plan) if plan is not None else None
    if plan is not None and section:
        # the two best sections of the plan's topic: dense ranking alone is not reliable enough
        # to pick the one sub-section that answers ("how many loans" -> 7.2, not 7.1)
        anchors.append(Anchor(plan.spd_doc_id, section.split(".")[0], 2))
        if intent.name == "rollover" and ROLL_IN.search(text):
            # money coming INTO the plan: its roll-in rule sits outside the leaving section, and with the
            # IRS publications indexed the general rollover pages outrank it ("can i roll my old 403b
            # into this plan" found no plan chunk among its hits)
            anchors.append(Anchor(plan.spd_doc_id, None, 2))
    if intent.general_anchor:
        doc_id, _, topic_or_none = intent.general_anchor.partition("#")
        topic: str | None = topic_or_none or None
        if intent.anchor_by_life_event:
            topic = next((section for rx, section in LIFE_EVENTS if rx.search(text)), None)
        anchors.append(Anchor(doc_id, topic))
    return anchors
