"""Numbers and time spans read from a participant's own words: "if I raised it to 8%",
"and if I leave next year?", "about $60k" (the answer to a clarifying question)."""

from __future__ import annotations

import re

from assistant.decisions.definitions import RATE_MISMATCH

WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_NUM = r"(\d+(?:\.\d+)?|" + "|".join(WORD_NUMBERS) + ")"
PERCENT = re.compile(_NUM + r"\s*(?:%|percent\b|per cent\b)", re.I)
CHANGE = re.compile(
    r"\b(raise|raised|raising|increase|increased|increasing|bump|go(ing)? up|went|go to|change|changed|changing|lower|lowered|"
    r"reduce|reduced|cut|drop|switch|set|move|moved|contribut\w*|put in|sav(e|ed|ing)|defer\w*)\b",
    re.I,
)
YEARS_AHEAD = re.compile(r"\bin\s+" + _NUM + r"\s+years?\b|\b(next|following)\s+year\b|\ba year from now\b", re.I)
MONEY = re.compile(r"\$?\s*(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(k|thousand)?\b", re.I)


def _number(token: str) -> float:
    return float(WORD_NUMBERS.get(token.lower(), token))


def new_rate(text: str) -> float | None:
    """The contribution rate a what-if question names ("what if I raised it to 8%?"), if any."""
    if not CHANGE.search(text) or RATE_MISMATCH.search(text):
        return None
    found = PERCENT.findall(text)
    return _number(found[-1]) if found else None


def years_ahead(text: str) -> int:
    """0 for now; 1 for "next year"; N for "in N years" (capped at 40)."""
    m = YEARS_AHEAD.search(text)
    if not m:
        return 0
    if m.group(1):
        return min(40, max(0, int(_number(m.group(1)))))
    return 1


def answer_for(field: str, text: str) -> float | None:
    """The value a reply gives for the profile field a clarifying question asked about, or None."""
    t = text.strip()
    if field in ("deferral_pct", "new_pct"):
        m = PERCENT.search(t) or re.fullmatch(r"\D{0,20}?" + _NUM + r"\D{0,10}", t, re.I)
        if m:
            v = _number(m.group(1))
            return v if 0 <= v <= 100 else None
        return None
    if field == "years_of_vesting_service":
        m = re.search(_NUM + r"(?:\s*(?:years?|yrs?))?", t, re.I)
        if m:
            v = _number(m.group(1))
            return float(int(v)) if 0 <= v <= 70 else None
        return None
    if field == "annual_salary":
        m = MONEY.search(t)
        if not m:
            return None
        v = float(m.group(1).replace(",", ""))
        if m.group(2):
            v *= 1000
        return v if 0 <= v <= 10_000_000 else None
    return None
