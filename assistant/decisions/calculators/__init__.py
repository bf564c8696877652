"""Deterministic, year-versioned calculators over plan provisions and a participant profile.

Each returns `Figure`s carrying the value, the inputs and the source (calculator and the plan or
IRS rule it applies) and a human `label` (labels.py). Which calculators an intent runs is in
`assistant/decisions/calculations.py`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.decisions.calculators.labels import label


@dataclass(frozen=True)
class Figure:
    name: str
    value: float | str
    """a number, or an ISO date when unit is date"""
    unit: str  # USD | percent | years | age | count | flag | date
    inputs: dict[str, Any] = field(default_factory=dict)
    source: str = ""
    """"calculator:<name>" """
    rule: str | None = None
    """citation id of the plan/IRS passage the calculation applies, e.g. acme-401k/spd#4.2"""

    @property
    def label(self) -> str:
        """What people read instead of the machine name (calculators/labels.py)."""
        return label(self.name)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "label": self.label}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Figure:
        return cls(**{k: v for k, v in d.items() if k != "label"})


class MissingData(Exception):
    """The profile lacks a value the calculation needs; `question` asks for it."""

    def __init__(self, field_name: str, question: str, rule: str | None = None) -> None:
        super().__init__(field_name)
        self.field_name = field_name
        self.question = question
        self.rule = rule
        """the plan section ("doc#section") a question states figures of ("The plan allows 1% to 75%"),
        fetched for the turn so the guard finds them there"""


def numbers_of(figure: Figure) -> list[float]:
    """Every number a figure states or used, for checking an answer's figures against it."""
    out: list[float] = []
    values = [figure.value, *figure.inputs.values()]
    for v in values:
        if isinstance(v, bool):
            continue
        if isinstance(v, int | float):
            out.append(float(v))
            if v < 0:  # a decrease is stated as "$76.15 less"
                out.append(-float(v))
        elif isinstance(v, str) and len(v) == 10 and v[4] == "-" and v[7] == "-":
            y, m, d = v.split("-")
            if y.isdigit() and m.isdigit() and d.isdigit():
                out += [float(y), float(m), float(d)]
    return out


def money(value: float) -> str:
    """$1,440 or $55.38 — whole dollars without cents."""
    rounded = round(value, 2)
    if abs(rounded - round(rounded)) < 0.005:
        return f"${round(rounded):,.0f}"
    return f"${rounded:,.2f}"


def pct(value: float) -> str:
    return f"{value:g}%"
