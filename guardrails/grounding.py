"""Grounding of figures: which numbers a text states, which numbers its sources support, and when a
written number faithfully states a supported one.

A faithful paraphrase must pass and anything else must not (tests/guardrails/test_grounding.py
holds each accepted form beside a near-miss that stays blocked):

* numbers are read as people write them: "$1,440", "7%", "6 percent", "$24.5k", "$1.2 million",
  "59½" / "59 1/2" (59.5); citation ids ("acme-401k/spd#7.4") and plan-type labels ("401(k)") are
  no figures;
* the sources support the numbers they write, in digits or in words ("two loans", "sixty days",
  "half" = 50% and 0.5, "a third", "a quarter");
* a number may be rounded to the precision it is written with when that changes it by at most 1%
  ("$1,440" for a calculator's 1,440.38; "4.6%" for 4.615), never to another figure ("$1,441");
* a calculator's figure may be rounded further when the text says so ("about $1,400 a year" for
  1,440.38): to at least two significant digits and within 5%; a figure a source states (a legal
  limit, a fee) is never rounded that way;
* the current calendar year written as a bare year ("for 2026", "the 2026 limit") dates a claim and
  is no figure; the same digits as an amount ("$2,026", "2026%", "2,026") or another year are checked.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

from guardrails.pii import PLACEHOLDER

LABELS = re.compile(
    r"\b\d{3}\([a-z]\)(\(\d+\))*|(?<![\w$.,])(?:401|403|457|409|529)[a-z]\b|\bIRC \d+[A-Za-z]?(\([a-z0-9]+\))*"
    r"|\b(?:section|§|page) ?\d+(\.\d+)*",
    re.IGNORECASE,
)
CITATION_ID = re.compile(r"[\w.-]+(?:/[\w.-]+)*#[\w.-]+")
_NUMBER = re.compile(
    r"(?<![\w.])(?P<num>\$?\d[\d,]*(?:\.\d+)?)(?P<half>½| 1/2(?!\d))?"
    r"(?:\s?(?P<scale>k\b|thousand\b|million\b|billion\b))?(?P<pct>%| percent\b| per cent\b)?",
    re.IGNORECASE,
)
_SCALE = {"k": 1e3, "thousand": 1e3, "million": 1e6, "billion": 1e9}
_HEDGE = re.compile(r"\b(about|around|roughly|approximately|approx\.|some|close to)\s*$", re.IGNORECASE)

_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen"
).split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_FRACTIONS = {
    "half": (50.0, 0.5),
    "one-half": (50.0, 0.5),
    "third": (100 / 3, 1 / 3),
    "one-third": (100 / 3, 1 / 3),
    "quarter": (25.0, 0.25),
    "one-quarter": (25.0, 0.25),
    "two-thirds": (200 / 3, 2 / 3),
    "three-quarters": (75.0, 0.75),
}
_WORD = re.compile(
    r"\b(" + "|".join(sorted([*_TENS, *_UNITS, "hundred", *_FRACTIONS], key=len, reverse=True)) + r")"
    r"(?:[- ](" + "|".join(_UNITS[1:10]) + r"))?\b",
    re.IGNORECASE,
)


def numbers_in(text: str) -> list[tuple[str, float]]:
    """(as written, value) for each figure in the text; labels, placeholders and citation ids are skipped."""
    return [(w, v) for w, v, _ in _figures(text)]


def _figures(text: str) -> list[tuple[str, float, bool]]:
    """(as written, value, hedged) for each figure."""
    cleaned = LABELS.sub(" ", PLACEHOLDER.sub(" ", CITATION_ID.sub(" ", text)))
    out = []
    for m in _NUMBER.finditer(cleaned):
        raw = m.group(0).rstrip(".,")
        digits = m.group("num").strip("$").replace(",", "").rstrip(".")
        try:
            value = float(digits)
        except ValueError:
            continue
        if m.group("half"):
            value += 0.5
        scale = (m.group("scale") or "").lower()
        if scale == "k" and not m.group("num").startswith("$"):
            raw = raw[: raw.lower().rindex("k")]  # "12k" is no amount unless it says "$12k"
        elif scale:
            value *= _SCALE[scale]
        hedged = bool(_HEDGE.search(cleaned[max(0, m.start() - 20) : m.start()]))
        out.append((raw.strip(), value, hedged))
    return out


def word_numbers(text: str) -> set[float]:
    """Numbers a text writes in words: "two loans" (2), "sixty-five" (65), "half" (50 and 0.5)."""
    out: set[float] = set()
    for m in _WORD.finditer(text):
        word, unit = m.group(1).lower(), (m.group(2) or "").lower()
        if word in _FRACTIONS:
            out.update(_FRACTIONS[word])
        elif word == "hundred":
            out.add(100.0)
        elif word in _TENS:
            out.add(float(_TENS[word] + (_UNITS.index(unit) if unit else 0)))
        else:
            out.add(float(_UNITS.index(word)))
    return out


def support_of(sources: list[str]) -> set[float]:
    """Every number the sources state, in digits or in words."""
    return {v for s in sources for _, v in numbers_in(s)} | {v for s in sources for v in word_numbers(s)}


def _round(value: float, places: int) -> float:
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def _decimals(written: str) -> int:
    m = re.search(r"\.(\d+)", written)
    return len(m.group(1)) if m else 0


def supported(value: float, written: str, hedged: bool, support: set[float], calculated: set[float]) -> bool:
    """Whether a number written in a text states one the sources or calculators support."""
    if any(abs(value - s) < 0.006 for s in support | calculated):
        return True
    places = _decimals(written)
    if any(s and _round(s, places) == value and abs(value - s) <= 0.01 * abs(s) for s in support | calculated):
        return True
    if hedged and value >= 100 and value == int(value):
        digits = str(int(value))
        places = -min(len(digits) - len(digits.rstrip("0")), len(digits) - 2)
        return places < 0 and any(
            c and _round(c, places) == value and abs(value - c) <= 0.05 * abs(c) for c in calculated
        )
    return False


_BARE_YEAR = re.compile(r"(?:19|20)\d\d")

_DURATION = re.compile(
    r"(?<![\w.$])(?P<n>\d+(?:\.\d+)?|"
    + "|".join(sorted([*_TENS, *_UNITS[1:], "a", "an"], key=len, reverse=True))
    + r")(?:[- ](?P<unit2>"
    + "|".join(_UNITS[1:10])
    + r"))?(?:\s|-)(?P<unit>business day|calendar day|day|week|month|year)s?\b",
    re.IGNORECASE,
)


def durations_in(text: str) -> list[tuple[str, float, str]]:
    """(as written, number, unit) for each length of time the text states: "1 year", "a five-year period",
    "60-day", "twelve months"."""
    out = []
    for m in _DURATION.finditer(CITATION_ID.sub(" ", text)):
        n = m.group("n").lower()
        if n in ("a", "an"):
            value = 1.0
        elif n in _TENS:
            value = float(_TENS[n] + (_UNITS.index(m.group("unit2").lower()) if m.group("unit2") else 0))
        elif n in _UNITS:
            value = float(_UNITS.index(n))
        else:
            value = float(n)
        out.append((m.group(0), value, m.group("unit").lower().split()[-1]))
    return out


def unsupported_durations(text: str, sources: list[str], calculated: list[float]) -> list[str]:
    """A length of time stated as a number (not "a year") that no source states with the same unit, and no
    calculator gives: every number may be somewhere in the sources ("1" nearly always is), so a duration is
    checked as a number and its unit together ("You have 1 year to roll the loan offset amount over" passed
    on the "1" of another passage; the source says "by your tax-return due date")."""
    said = {(v, u) for s in sources for _, v, u in durations_in(s)}
    calc = set(calculated)
    return [
        w
        for w, v, u in durations_in(text)
        if not w.lower().startswith(("a ", "an ")) and (v, u) not in said and v not in calc
    ]


def unsupported_figures(text: str, sources: list[str], calculated: list[float], year: int | None = None) -> list[str]:
    """The numbers in `text` that no source or calculator supports, as written; `year` (today's by
    default) written bare is a date, not a figure."""
    support = support_of(sources)
    calc = set(calculated)
    this_year = float(year if year is not None else dt.date.today().year)
    figures = [
        w
        for w, v, hedged in _figures(text)
        if not (v == this_year and _BARE_YEAR.fullmatch(w)) and not supported(v, w, hedged, support, calc)
    ]
    return figures + [w for w in unsupported_durations(text, sources, calculated) if w not in figures]
