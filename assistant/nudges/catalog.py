"""The nudge catalog: YAML parsed by pydantic (`extra="forbid"`) and cross-checked at load.

A bad entry fails the load with the file, the entry id and the field named: unknown event kinds,
exclusions or figure sources, placeholders no declared source produces, missing disclosures,
"you should" anywhere, "sell" in a market-event text, an SMS channel without an SMS text, an
approval that expires before it was given. The file's sha256 is the catalog version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import string
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.nudges.errors import NudgeConfigError, UnknownNudgeError
from assistant.nudges.events import EVENT_KINDS
from assistant.nudges.figures import EVENT_PLACEHOLDERS, FIGURE_SOURCES
from assistant.nudges.suitability import EXCLUSIONS

Channel = Literal["in_app", "email", "sms"]
SMS_MAX_CHARS = 320
_FORBIDDEN_EVERYWHERE = re.compile(r"\byou should\b|\byou must\b|\bact now\b", re.IGNORECASE)
_FORBIDDEN_MARKET = re.compile(r"\bsell|\bbuy\b|\bget out\b|\bmove to cash\b", re.IGNORECASE)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Trigger(_Strict):
    event: str
    before_days: int = Field(default=0, ge=0, le=730)
    """how many days before the event date the nudge may go out"""
    after_days: int = Field(default=30, ge=0, le=730)
    """how many days after the event date it may still go out (then the event has expired)"""


class Eligibility(_Strict):
    employment_status: list[Literal["active", "terminated", "leave"]] | None = None
    plans: list[str] | None = None
    auto_enrolled: bool | None = None
    min_balance: float | None = Field(default=None, ge=0)


class Approval(_Strict):
    approved_by: str = Field(min_length=3)
    approved_on: dt.date
    expires_on: dt.date
    reference: str | None = None


class Success(_Strict):
    """What counts as acting on the nudge: a profile change within a window."""

    field: Literal["deferral_pct", "roth_pct"]
    direction: Literal["increase", "decrease", "change"]
    within_days: int = Field(ge=1, le=365)


class NudgeSpec(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{2,48}$")
    title: str = Field(min_length=5, max_length=90)
    category: Literal["education", "service"] = "education"
    """service notices (security) are exempt from the hold-out and the frequency cap"""
    trigger: Trigger
    eligibility: Eligibility = Field(default_factory=Eligibility)
    exclusions: list[str] = Field(default_factory=list)
    figures: list[str] = Field(default_factory=list)
    template: str = Field(min_length=20, max_length=1200)
    sms_template: str | None = Field(default=None, max_length=SMS_MAX_CHARS)
    disclosures: list[str]
    channels: list[Channel] = Field(min_length=1)
    priority: int = Field(ge=1, le=100)
    cool_down_days: int = Field(ge=0, le=730)
    success: Success | None = None
    version: int = Field(ge=1)
    approval: Approval


class CatalogFile(_Strict):
    disclosures: dict[str, str]
    nudges: list[NudgeSpec] = Field(min_length=1)


def placeholders(text: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


class Catalog:
    def __init__(self, data: CatalogFile, sha256: str, path: Path) -> None:
        self.data = data
        self.sha256 = sha256
        self.path = path
        self.by_id = {n.id: n for n in data.nudges}
        self.by_event: dict[str, list[NudgeSpec]] = {}
        for n in data.nudges:
            self.by_event.setdefault(n.trigger.event, []).append(n)

    @property
    def version(self) -> str:
        return self.sha256[:12]

    @property
    def nudges(self) -> list[NudgeSpec]:
        return list(self.data.nudges)

    def get(self, nudge_id: str) -> NudgeSpec:
        try:
            return self.by_id[nudge_id]
        except KeyError:
            raise UnknownNudgeError(
                f"There is no nudge '{nudge_id}' in {self.path.name} (known: {', '.join(sorted(self.by_id))})."
            ) from None

    def disclosure_texts(self, spec: NudgeSpec) -> list[str]:
        return [self.data.disclosures[d] for d in spec.disclosures]

    def render(self, spec: NudgeSpec, values: dict[str, str], channel: str = "in_app") -> str:
        """The nudge text with its disclosures; KeyError names a placeholder without a value."""
        body = spec.sms_template if channel == "sms" and spec.sms_template else spec.template
        parts = [body.format_map(values)]
        if channel != "sms":
            parts += [d.format_map(values) for d in self.disclosure_texts(spec)]
        return "\n\n".join(" ".join(p.split()) for p in parts)


def _fail(path: Path, where: str, msg: str) -> NudgeConfigError:
    return NudgeConfigError(f"{path}: {where}: {msg}; fix the entry and run again.")


def _check_entry(path: Path, n: NudgeSpec, i: int, disclosures: dict[str, str], plans: set[str]) -> None:
    at = f"nudge '{n.id}' (entry {i + 1})"
    if n.trigger.event not in EVENT_KINDS:
        raise _fail(
            path,
            f"{at}, field 'trigger.event'",
            f"unknown event '{n.trigger.event}' (known: {', '.join(sorted(EVENT_KINDS))})",
        )
    for x in n.exclusions:
        if x not in EXCLUSIONS:
            raise _fail(
                path, f"{at}, field 'exclusions'", f"unknown exclusion '{x}' (known: {', '.join(sorted(EXCLUSIONS))})"
            )
    for s in n.figures:
        if s not in FIGURE_SOURCES:
            raise _fail(
                path,
                f"{at}, field 'figures'",
                f"unknown figure source '{s}' (known: {', '.join(sorted(FIGURE_SOURCES))})",
            )
    for d in n.disclosures:
        if d not in disclosures:
            raise _fail(
                path,
                f"{at}, field 'disclosures'",
                f"unknown disclosure '{d}' (defined: {', '.join(sorted(disclosures))})",
            )
    if n.category == "education" and "education_only" not in n.disclosures:
        raise _fail(path, f"{at}, field 'disclosures'", "an education nudge must carry the 'education_only' disclosure")
    if n.trigger.event.startswith("market.") and "market_risk" not in n.disclosures:
        raise _fail(path, f"{at}, field 'disclosures'", "a market-event nudge must carry the 'market_risk' disclosure")
    if "sms" in n.channels and not n.sms_template:
        raise _fail(path, f"{at}, field 'sms_template'", "the sms channel needs a short sms_template")
    if n.eligibility.plans:
        unknown = [p for p in n.eligibility.plans if plans and p not in plans]
        if unknown:
            raise _fail(path, f"{at}, field 'eligibility.plans'", f"unknown plan '{unknown[0]}'")
    if n.approval.expires_on <= n.approval.approved_on:
        raise _fail(path, f"{at}, field 'approval.expires_on'", "the approval must expire after it was given")
    known = {name for s in n.figures for name in FIGURE_SOURCES[s].produces}
    known |= set(EVENT_PLACEHOLDERS["*"]) | set(EVENT_PLACEHOLDERS.get(n.trigger.event, ()))
    texts = {"template": n.template, "sms_template": n.sms_template or ""}
    texts |= {f"disclosures.{d}": disclosures[d] for d in n.disclosures}
    for field_name, text in texts.items():
        try:
            names = placeholders(text)
        except ValueError as e:
            raise _fail(path, f"{at}, field '{field_name}'", f"bad placeholder syntax ({e})") from e
        for name in names:
            if name not in known:
                raise _fail(
                    path,
                    f"{at}, field '{field_name}'",
                    f"placeholder '{{{name}}}' is not produced by its figure sources "
                    f"({', '.join(n.figures) or 'none'}) or its event; add the source to 'figures'",
                )
        m = _FORBIDDEN_EVERYWHERE.search(text)
        if m:
            raise _fail(path, f"{at}, field '{field_name}'", f"'{m.group(0)}' is directive language; nudges educate")
        if n.trigger.event.startswith("market."):
            m = _FORBIDDEN_MARKET.search(text)
            if m:
                raise _fail(path, f"{at}, field '{field_name}'", f"a market-event nudge may not say '{m.group(0)}'")


def load_catalog(path: Path, known_plans: set[str] | None = None) -> Catalog:
    try:
        raw_bytes = path.read_bytes()
        raw = yaml.safe_load(raw_bytes.decode("utf-8"))
    except OSError as e:
        raise NudgeConfigError(f"The nudge catalog {path} cannot be read ({e}); check BEACON_KNOWLEDGE_DIR.") from e
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise NudgeConfigError(f"The nudge catalog {path} is not valid YAML ({e}); fix the file and run again.") from e
    try:
        data = CatalogFile.model_validate(raw)
    except ValidationError as e:
        err = e.errors()[0]
        loc = list(err["loc"])
        where = "field '" + ".".join(str(x) for x in loc) + "'"
        if len(loc) >= 2 and loc[0] == "nudges" and isinstance(loc[1], int) and isinstance(raw, dict):
            entry = (raw.get("nudges") or [])[loc[1]]
            nid = entry.get("id", "?") if isinstance(entry, dict) else "?"
            where = f"nudge '{nid}' (entry {loc[1] + 1}), field '" + ".".join(str(x) for x in loc[2:]) + "'"
        raise _fail(path, where, err["msg"]) from e
    seen: set[str] = set()
    for i, n in enumerate(data.nudges):
        if n.id in seen:
            raise _fail(path, f"nudge '{n.id}' (entry {i + 1}), field 'id'", "this id is used twice")
        seen.add(n.id)
        _check_entry(path, n, i, data.disclosures, known_plans or set())
    return Catalog(data, hashlib.sha256(raw_bytes).hexdigest(), path)
