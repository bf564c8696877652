"""Current rule over stale pages: a plan's own document that still states a law-driven figure the
law has since changed (RMDs "start at 72", a 2024 contribution limit).

The rules are data (`stale_rules.yaml`): which sentences state the figure, how to read it, where
today's value comes from (the year's `knowledge/irs/limits-<year>.yaml`) and which general document
states the current rule. `stale_statements` finds such sentences in the passages an answer cites;
the draft stage (`assistant/turn/stale_check.py`) then answers with the current rule, says the plan's
document predates it, cites both and flags the turn for review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.decisions.sentences import sentences
from assistant.errors import SettingsError
from assistant.records.provisions import IrsLimits

RULES_FILE = Path(__file__).with_name("stale_rules.yaml")
GENERAL = "general"


class StaleRule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    what: str
    about: re.Pattern[str]
    figure: re.Pattern[str]
    unless: re.Pattern[str] | None = None
    range: tuple[float, float]
    current: list[str] = Field(min_length=1)
    general: str = Field(pattern=r"^general/[a-z0-9-]+#[\d.]+$")
    intents: list[str] = Field(min_length=1)

    @field_validator("about", "figure", "unless", mode="before")
    @classmethod
    def _regex(cls, value: Any) -> Any:
        return re.compile(value, re.I) if isinstance(value, str) else value

    def current_values(self, limits: IrsLimits) -> set[float]:
        out: set[float] = set()
        for name in self.current:
            if name == "rmd_ages":
                out |= {float(row.age) for row in limits.ages.rmd_age_by_birth_year}
            else:
                out.add(limits.value(name))
        return out


@dataclass(frozen=True)
class Stale:
    """One sentence of a plan's document that states a figure the law has changed."""

    rule: StaleRule
    citation_id: str
    sentence: str
    stated: float
    current: tuple[float, ...]


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES_FILE) -> tuple[StaleRule, ...]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        return tuple(StaleRule.model_validate(r) for r in raw)
    except (OSError, yaml.YAMLError, re.error, TypeError) as e:
        raise SettingsError(f"{path}: cannot be read as a list of stale rules ({e}).") from e
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(x) for x in err["loc"])
        raise SettingsError(f"{path}: field '{where}' is invalid ({err['msg']}).") from e


def _number(raw: str) -> float:
    raw = raw.replace(",", "").replace(" ", "")
    if raw.endswith("½") or raw.endswith("1/2"):
        return float(raw.rstrip("½").removesuffix("1/2")) + 0.5
    return float(raw)


def figure_text(value: float) -> str:
    """73 -> "73", 70.5 -> "70½", 24500 -> "$24,500"."""
    if value >= 1000:
        return f"${value:,.0f}"
    return f"{int(value)}½" if value % 1 else f"{int(value)}"


def stale_statements(
    passages: list[dict[str, Any]], limits: IrsLimits, intent: str, shown: str | None = None
) -> list[Stale]:
    """Sentences of plan documents (never general education) that state a rule's figure with a value
    that is not today's, for the rules checked for questions of `intent`; with `shown`, only those
    sentences the reply shows."""
    found: list[Stale] = []
    for rule in load_rules():
        if intent not in rule.intents:
            continue
        current = rule.current_values(limits)
        for p in passages:
            if p["metadata"].get("plan_id") in (None, GENERAL):
                continue
            for s in sentences(p["text"]):
                if shown is not None and s not in shown:
                    continue
                if not rule.about.search(s) or (rule.unless and rule.unless.search(s)):
                    continue
                stated = [
                    v
                    for v in (_number(m.group(1)) for m in rule.figure.finditer(s))
                    if rule.range[0] <= v <= rule.range[1]
                ]
                if current & set(stated):
                    continue  # the sentence also gives today's figure: a history or a case by case rule
                old = [v for v in stated if v not in current]
                if old:
                    found.append(Stale(rule, p["citation_id"], s, old[0], tuple(sorted(current))))
    unique: dict[tuple[str, str], Stale] = {}
    for st in found:
        unique.setdefault((st.rule.id, st.sentence), st)
    return list(unique.values())


def current_sentences(rule: StaleRule, text: str, limits: IrsLimits) -> list[str]:
    """The sentences of the general section that state today's figure."""
    words = [figure_text(v).lstrip("$") for v in rule.current_values(limits)]
    return [s for s in sentences(text) if any(re.search(rf"(?<![\d,]){re.escape(w)}(?![\d,])", s) for w in words)]
