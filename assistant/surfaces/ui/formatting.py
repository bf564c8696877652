"""How the chat and the copilot show a turn: source panels, the person's figures with their labels,
the starter questions for a persona. Shared by `chat.py` and `copilot.py`."""

from __future__ import annotations

import datetime as dt
import re

import chainlit as cl

from assistant.decisions.calculators import money, pct
from assistant.decisions.intents import IntentRegistry
from assistant.turn.result import Citation, TurnFigure

TALK_TO_A_PERSON = "I'd like to talk to a person."
GENERAL_STARTER = "How does the employer match work in my plan?"


def starters_for(intents: IntentRegistry, decision_moment: str | None) -> list[str]:
    """Up to two questions suited to the persona (the intents' starters), then "talk to a person"."""
    moment = (decision_moment or "").lower()
    picked = [s.text for _, s in intents.starters() if any(k in moment for k in s.moments)][:2]
    return [*(picked or [GENERAL_STARTER]), TALK_TO_A_PERSON]


def source_elements(citations: list[Citation]) -> tuple[str, list[cl.Text]]:
    """One side panel per citation (title, section, effective date, page, snippet)."""
    names, elements = [], []
    for i, c in enumerate(citations, start=1):
        where = f"p. {c.page}" if c.page else f"§{c.section}"
        name = f"[{i}] {c.document_title.split(' — ')[0]} {where}"
        lines = [
            f"**{c.title}**",
            f"{c.document_title}",
            f"Section {c.section}" + (f" · page {c.page}" if c.page else ""),
            f"Effective {c.effective_date or 'n/a'} · version {c.version or 'n/a'}",
            f"> {c.snippet}",
        ]
        names.append(name)
        elements.append(cl.Text(name=name, content="\n\n".join(lines), display="side"))
    return ("\n\n**Sources:** " + ", ".join(names)) if names else "", elements


def _value(f: TurnFigure) -> str:
    v, unit = f.value, f.unit
    if isinstance(v, bool) or unit == "flag":
        return "yes" if v else "no"
    if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
        day = dt.date.fromisoformat(v)
        return f"{day:%B} {day.day}, {day.year}"  # "September 27, 2044", as people write dates
    if not isinstance(v, int | float):
        return str(v)
    if unit == "USD":
        return money(v)
    if unit == "percent":
        return pct(v)
    if unit == "years":
        return f"{v:g} years"
    return f"{v:g}"


def figures_block(figures: list[TurnFigure]) -> str:
    """The person's figures from the calculators, with their labels, plainly (at most eight)."""
    if not figures:
        return ""
    rows = [f"- {f.label}: **{_value(f)}**" for f in figures[:8]]
    return "\n\n**Your figures** (before taxes; from your plan's rules and the account data on file)\n" + "\n".join(
        rows
    )
