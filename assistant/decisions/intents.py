"""The intent registry: every intent Beacon knows, declared once in `intents.yaml`.

An entry says everything each stage needs to know about the intent:

- `topic`, `rules`, `examples`: how routing recognises it (rules first, then the nearest example;
  a follow-up inherits the topic), `assistant/understanding/routing.py`;
- `plan_section`, `general_anchor`: where its rules are written (a plan's SPD section, named by a
  field of the plan's provisions, and a general education document), `assistant/retrieval/anchors.py`;
- `calculation`: the person's figures (`assistant/decisions/calculations.py`, `CALCULATIONS`);
- `playbook`: how the composer drafts it (`assistant/decisions/playbooks/`, `PLAYBOOKS`);
- `starter`: the question the chat offers people whose decision moment matches;
- `retrieve`, `from_documents`: whether documents are searched, and whether the reply comes from them.

Adding an intent = one entry here + its playbook (or none, for an extractive answer) + a test.
The file is validated at load (`extra="forbid"`, every named calculation and playbook must exist).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from assistant.decisions.calculations import CALCULATIONS
from assistant.decisions.playbooks import PLAYBOOKS
from assistant.errors import SettingsError
from assistant.records.provisions import PlanProvisions
from guardrails.policy import Regex

INTENTS_FILE = Path(__file__).with_name("intents.yaml")


class Starter(BaseModel):
    """A question the chat offers on its greeting to people whose roster decision moment names one
    of `moments`; `order` ranks starters when several match (the chat shows two)."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=5)
    moments: list[str] = Field(min_length=1)
    order: int


class Intent(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    topic: str = ""
    rules: list[Regex] = []
    examples: list[str] = []
    plan_section: str | None = None
    """where the plan's SPD states the rules: a field path of the plan's provisions, e.g. `loans.section`
    or `sections.in_service`"""
    general_anchor: str | None = None
    """a general education document (`doc_id`, or `doc_id#section`) that explains the rules"""
    anchor_by_life_event: bool = False
    """pick the general anchor's section by the life event named in the question"""
    calculation: str | None = None
    playbook: str | None = None
    starter: Starter | None = None
    retrieve: bool = True
    from_documents: bool = True
    """False: the reply never quotes documents (a boundary, a greeting, the account summary)"""

    @field_validator("calculation", "playbook")
    @classmethod
    def _registered(cls, name: str | None, info: ValidationInfo) -> str | None:
        registry = CALCULATIONS if info.field_name == "calculation" else PLAYBOOKS
        if name is not None and name not in registry:
            raise ValueError(f"no {info.field_name} '{name}' (known: {', '.join(sorted(registry))})")
        return name

    def plan_section_of(self, plan: PlanProvisions) -> str | None:
        """The SPD section of `plan` that states this intent's rules."""
        if not self.plan_section:
            return None
        value: Any = plan
        for part in self.plan_section.split("."):
            value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
            if value is None:
                return None
        return str(value)


class IntentRegistry:
    """The intents in file order (routing rules are tried in this order)."""

    def __init__(self, intents: list[Intent], path: Path) -> None:
        self.intents = intents
        self.path = path
        self.by_name = {i.name: i for i in intents}

    def get(self, name: str | None) -> Intent | None:
        return self.by_name.get(name) if name else None

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.intents)

    def __contains__(self, name: object) -> bool:
        return name in self.by_name

    def starters(self) -> list[tuple[Intent, Starter]]:
        return sorted(((i, i.starter) for i in self.intents if i.starter), key=lambda pair: pair[1].order)


@lru_cache(maxsize=4)
def load_intents(path: Path = INTENTS_FILE) -> IntentRegistry:
    """Read and validate the registry; a bad entry stops start-up naming the file, intent and field."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    intents = []
    for name, body in raw.items():
        try:
            intents.append(Intent(name=name, **(body or {})))
        except (ValidationError, TypeError) as e:
            detail = e.errors()[0] if isinstance(e, ValidationError) else {"loc": (), "msg": str(e)}
            where = ".".join(str(p) for p in detail["loc"])
            raise SettingsError(f"{path}: intent '{name}' field '{where}' is invalid ({detail['msg']}).") from e
    return IntentRegistry(intents, path)
