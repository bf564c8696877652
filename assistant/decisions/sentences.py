"""Sentences of a passage, for replies that quote the one sentence that states a fact.

A period ends a sentence unless it ends an abbreviation that plan booklets print inside sentences
("8 a.m. to 6 p.m. Pacific time", "2200 Alder St. Suite 300", "P.O. Box 1200"). PDF line breaks
are joined first.
"""

from __future__ import annotations

import re

ABBREVIATIONS = frozenset(
    "a.m. p.m. st. ave. blvd. rd. dr. ste. no. inc. co. corp. e.g. i.e. u.s. p.o. jan. feb. mar. apr. "
    "aug. sept. sep. oct. nov. dec. mon. tue. wed. thu. fri. sat. sun. pt. et. ct. mt. mr. mrs. ms. vs.".split()
)
_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9$•\-])")


def sentences(text: str, min_chars: int = 12) -> list[str]:
    """The sentences of `text`, in order; list items ("- ", "• ") stay items of their own."""
    out: list[str] = []
    for block in re.split(r"\n(?=\s*(?:[-•*]|\d+[.)])\s)", text):
        flat = " ".join(block.split())
        start = 0
        for m in _END.finditer(flat):
            last = flat[start : m.start()].rsplit(" ", 1)[-1].lower()
            if last in ABBREVIATIONS or re.fullmatch(r"[a-z]\.", last):
                continue
            out.append(flat[start : m.start()].strip())
            start = m.end()
        out.append(flat[start:].strip())
    return [s for s in out if len(s) >= min_chars]
