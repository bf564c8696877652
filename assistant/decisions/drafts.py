"""What every draft backend shares: the structured Draft, the context it is drafted from, the
pre-approved text blocks and small formatting helpers."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import yaml

from assistant.records.provisions import PlanProvisions

BLOCKS_FILE = Path(__file__).with_name("text_blocks.yaml")
Action = Literal["answer", "clarify", "refuse", "escalate"]


@dataclass
class Draft:
    action: Action
    text: str
    citations: list[str] = field(default_factory=list)
    """citation ids ("doc_id#section") the text relies on"""
    figures: list[str] = field(default_factory=list)
    """names of the calculator figures the text states"""
    reason: str | None = None
    """why the action is not a plain answer: out_of_scope, advice, injection, crisis, fraud,
    no_source, missing_data, human_requested, unavailable, guard_blocked"""
    source: str = "composer"
    """which backend wrote the text: composer | llm"""
    handoff: dict[str, Any] | None = None
    """for a hand-off to a person: the summary the person receives (intents, figures, sources, flags)"""
    fallback_reason: str | None = None
    """why the LLM backend's draft was not used (timeout, unusable reply, blocked by the guard)"""
    trimmed: str | None = None
    """what the LLM backend cut from the model's draft before the guard, and why (a lead sentence the
    quoted sentences do not support: the quotes are shown without it)"""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ComposeContext:
    intent: str
    text: str
    query: str
    plan: PlanProvisions | None
    figures: dict[str, dict[str, Any]]
    passages: list[dict[str, Any]]
    screen_action: str = "allow"
    check_in: bool = False
    """a crisis signal below the crisis threshold: the reply opens with 988 and a person"""
    screen_kind: str | None = None
    """what stopped the turn at the input screen: crisis, fraud, forgery, harmful, injection,
    third_party, blocked (assistant/understanding/screening.py)"""
    screen_also_fraud: bool = False
    """a crisis stop that also reads as fraud or coercion: the crisis reply also warns"""
    in_spanish: bool = False
    """the message, read before redaction, is in Spanish"""
    missing: dict[str, Any] | None = None
    min_relevance: float = 0.3
    pii_types: list[str] = field(default_factory=list)
    """entity types redacted from the user's message"""
    unknown_terms: list[str] = field(default_factory=list)
    """words of an availability question no document uses ("does the plan offer crypto?")"""
    history: list[dict[str, Any]] = field(default_factory=list)
    """the thread so far (redacted): user turns with intents, assistant turns with figures and sources"""
    route_method: str = "rule"
    """how routing chose the intent: rule | exemplar | classifier | default | inherited | clarified"""
    route_confidence: float = 1.0
    """the nearest example's similarity for an exemplar route"""
    part: str | None = None
    """the one question of a several-part message this draft answers (`text` is the whole message)"""
    after_playbook: bool = False
    """the extractive part follows a playbook's personal paragraph (`Kit.with_education`): the routed topic's
    own rules are what it adds, and another section does not take their place"""

    def guessed(self, bound: float) -> bool:
        """Was the topic reached only by a nearest example less similar than `bound`?"""
        return self.route_method == "exemplar" and self.route_confidence < bound


class Blocks:
    def __init__(self, path: Path = BLOCKS_FILE) -> None:
        raw = path.read_bytes()
        self.raw: dict[str, str] = yaml.safe_load(raw.decode("utf-8"))
        self.provenance = {"name": path.name, "sha256": hashlib.sha256(raw).hexdigest()}
        """what the audit records as the 'prompt' of the offline composer"""

    def get(self, key: str, plan: PlanProvisions | None = None) -> str:
        text = " ".join(self.raw[key].split())
        if plan is not None:
            text = text.format(
                phone=plan.contact.phone,
                hours=plan.contact.hours,
                portal=plan.contact.portal,
                advice_service=plan.advice_service or "",
            )
        return text

    def contact(self, plan: PlanProvisions | None) -> str:
        return self.get("contact_plan", plan) if plan else self.get("contact_generic")


@dataclass
class Kit:
    """What a playbook drafts with: the pre-approved text blocks and the extractive answer from the
    retrieved passages (for a plan with no figures, or to follow the person's figures with the rule)."""

    blocks: Blocks
    extractive: Callable[[ComposeContext], Draft]

    def with_education(self, ctx: ComposeContext, lines: list[str], cites: list[str], figs: list[str]) -> Draft:
        """A personal paragraph followed by the extractive answer from the anchored passages."""
        general = self.extractive(replace(ctx, after_playbook=True))
        if general.action == "answer":
            body = general.text.rsplit("\n\n", 1)[0]  # without the education note; added once below
            # a passage the personal paragraph already quotes is not shown twice (the early-withdrawal
            # exceptions came twice to "is the money I take out taxed as regular income?")
            lines = [*lines, *(p for p in body.split("\n\n") if p not in lines)]
            cites = [*cites, *general.citations]
        lines.append(self.blocks.get("education_note"))
        return Draft("answer", join(lines), unique(cites), figs)


Playbook = Callable[[Kit, ComposeContext], Draft]


def next_step(ctx: ComposeContext, what: str) -> str:
    """Where to act: the plan's portal and phone (with hours)."""
    plan = ctx.plan
    assert plan is not None
    return f"{what} on {plan.contact.portal} or by calling {plan.contact.phone} ({plan.contact.hours})."


def day(value: Any) -> str:
    """An ISO date as people write it: "September 27, 2044"."""
    d = dt.date.fromisoformat(str(value))
    return f"{d:%B} {d.day}, {d.year}"


def fig(ctx: ComposeContext, name: str) -> Any:
    return ctx.figures[name]["value"]


def section_label(citation_id: str) -> str:
    return citation_id.split("#", 1)[1] if "#" in citation_id else ""


def by_citation(passages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Merge the chunks of one section into one passage, keeping order."""
    merged: dict[str, dict[str, Any]] = {}
    for p in passages:
        if p["citation_id"] in merged:
            merged[p["citation_id"]]["text"] += " " + p["text"]
        else:
            merged[p["citation_id"]] = dict(p)
    return list(merged.values())


def join(lines: list[str]) -> str:
    """Paragraphs separated by blank lines; consecutive "- " bullets stay one list."""
    out = ""
    for i, line in enumerate(lines):
        if i:
            out += "\n" if line.startswith("- ") and lines[i - 1].startswith("- ") else "\n\n"
        out += line
    return out


def unique(items: list[str]) -> list[str]:
    seen: list[str] = []
    for i in items:
        if i and i not in seen:
            seen.append(i)
    return seen
