"""What rules out a phone-number reading of some digits (both phone recognizers use it)."""

from __future__ import annotations

import itertools

import regex as re


def not_a_phone(value: str) -> bool:
    """Digits that are not a phone number: too few or too many, years ("2024 2025 2026"), a date,
    a table row or schedule of evenly spaced numbers ("72 73 74 75 76", "20 40 60 80 100"), or
    numbers with decimals."""
    digits = sum(c.isdigit() for c in value.split("x")[0].split("ext")[0])
    groups = re.findall(r"\d+", value)
    return (
        not 7 <= digits <= 15
        or all(re.fullmatch(r"(?:19|20)\d\d", g) for g in groups)
        or bool(re.fullmatch(r"\d{1,2}([./-])\d{1,2}\1(?:19|20)\d\d|(?:19|20)\d\d([./-])\d\d\2\d\d", value))
        or (len(groups) > 2 and len({int(b) - int(a) for a, b in itertools.pairwise(groups)}) == 1)
        or bool(re.search(r"\d\.\d(?!\d)", value))  # a decimal: "92 10.8 117 2.7" (life-expectancy table)
    )
