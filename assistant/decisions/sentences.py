"""Sentences of a passage, for replies that quote the one sentence that states a fact.

A period ends a sentence unless it ends an abbreviation that plan booklets print inside sentences
("8 a.m. to 6 p.m. Pacific time", "2200 Alder St. Suite 300", "P.O. Box 1200"). PDF line breaks
are joined first.
"""

from __future__ import annotations

import re

ABBREVIATIONS = frozenset(
    "a.m. p.m. st. ave. blvd. rd. dr. ste. no. inc. co. corp. e.g. i.e. u.s. p.o. jan. feb. mar. apr. "
    "aug. sept. sep. oct. nov. dec. mon. tue. wed. thu. fri. sat. sun. pt. et. ct. mt. mr. mrs. ms. vs. "
    "pub. pubs. sec. secs. rev. proc. reg. regs. ch. chap. pp. fig. approx.".split()
)
"""... and the references tax publications print mid-sentence ("see Pub. 575 and Form 4972" was two "sentences",
the second "575 and Form 4972, Tax on Lump-Sum Distributions, ...", which led a reply)"""
_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9$•\-])")


def sentences(text: str, min_chars: int = 12) -> list[str]:
    """The sentences of `text`, in order; list items ("- ", "• ") stay items of their own."""
    out: list[str] = []
    text = re.sub(r":[ \t]+(?=[-•]\s)", ":\n", text)  # "these choices: - Treat as own ..." starts a list
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
    return [s for s in out if len(s) >= min_chars or (is_item(s) and len(s) > 3)]


def is_item(sentence: str) -> bool:
    return bool(re.match(r"(?:[-•*]|\d+[.)])\s", sentence))


def with_lists(parts: list[str], keep: list[int]) -> list[int]:
    """`keep` (indexes into `parts`) widened so that a list is never cut: when one item of a list, or
    the sentence that introduces it ("... the following reasons:"), is kept, the intro and every item
    are kept."""
    out = set(keep)
    i = 0
    while i < len(parts):
        if not is_item(parts[i]):
            i += 1
            continue
        j = i
        while j < len(parts) and is_item(parts[j]):
            j += 1
        intro = i - 1 if i and parts[i - 1].rstrip().endswith(":") else i
        if out & set(range(intro, j)):
            out |= set(range(intro, j))
        i = j
    return sorted(out)


LEANS_BACK = re.compile(
    r"^(so|thus|therefore|hence|this|that|these|those|it|its|they|their|such|otherwise|instead|however|but|"
    r"also|then|in that case|in this case|as a result|for (this|that) reason|because of (this|that))\b[ ,]",
    re.I,
)
"""a sentence that leans on the one before it ("So if the employer goes bankrupt ...", "This means ...")"""


def with_antecedents(parts: list[str], keep: list[int]) -> list[int]:
    """`keep` widened with the sentence before each kept one that leans back on it, so a reply never
    begins mid-thought ("So if the employer goes bankrupt or closes, its creditors cannot take the money
    in your account." without the sentence that says the money is held in a trust)."""
    out = set(keep)
    for i in sorted(keep):
        j = i
        while j > 0 and j - 1 not in out and LEANS_BACK.match(parts[j]) and not is_item(parts[j]):
            out.add(j - 1)
            j -= 1
    return sorted(out)


EXPLAINS = re.compile(r"^(this|that) means\b", re.I)


def with_explanations(parts: list[str], keep: list[int]) -> list[int]:
    """`keep` widened with the sentence after a kept one that says what it means ("The plan is a safe-harbor
    401(k) plan." without "This means Acme makes the match ... on the same terms for everyone, and it is
    always 100% vested." to "What does it mean that Acme's 401k is a safe harbor plan?")."""
    out = set(keep)
    for i in sorted(keep):
        if i + 1 < len(parts) and EXPLAINS.match(parts[i + 1]):
            out.add(i + 1)
    return sorted(out)


def render(parts: list[str], keep: list[int]) -> str:
    """The kept sentences as one paragraph, with list items each on a line of their own."""
    out = ""
    for n, i in enumerate(keep):
        s = parts[i]
        out += s if not n else ("\n" if is_item(s) or is_item(parts[keep[n - 1]]) else " ") + s
    return out
