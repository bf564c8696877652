"""Prompt templates from `prompts/`, loaded with their sha256 for provenance.

A template file has YAML front matter and `[system]` / `[user]` blocks with `{placeholders}`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.errors import SettingsError
from assistant.settings import PROJECT_ROOT

PROMPTS_DIR = PROJECT_ROOT / "prompts"


@dataclass(frozen=True)
class PromptTemplate:
    name: str
    version: str
    sha256: str
    system: str
    user: str

    def render(self, **values: str) -> list[tuple[str, str]]:
        """Fill `{name}` placeholders (only those given; other braces stay literal)."""

        def fill(text: str) -> str:
            for key, value in values.items():
                text = text.replace("{" + key + "}", value)
            return text

        return [("system", fill(self.system)), ("user", fill(self.user))]

    @property
    def provenance(self) -> dict[str, str]:
        return {"name": self.name, "version": self.version, "sha256": self.sha256}


def load_prompt(name: str, directory: Path = PROMPTS_DIR) -> PromptTemplate:
    path = directory / f"{name}.md"
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise SettingsError(f"Prompt template {path} cannot be read ({e}).") from e
    text = raw.decode("utf-8")
    match = re.match(r"^---\n(.*?)\n---\n(.*)$", text, flags=re.S)
    if not match:
        raise SettingsError(f"Prompt template {path} needs YAML front matter between '---' lines.")
    meta = yaml.safe_load(match.group(1)) or {}
    blocks = dict(
        re.findall(r"^\[(system|user)\]\n(.*?)(?=^\[(?:system|user)\]\n|\Z)", match.group(2), flags=re.S | re.M)
    )
    if set(blocks) != {"system", "user"}:
        raise SettingsError(f"Prompt template {path} needs a [system] and a [user] block.")
    return PromptTemplate(
        str(meta.get("name", name)),
        str(meta.get("version", "1")),
        hashlib.sha256(raw).hexdigest(),
        blocks["system"].strip(),
        blocks["user"].strip(),
    )
