"""Intent-routing accuracy on a labelled utterance set (`evals/routing/utterances.yaml`).

Each utterance carries the intent a person means and its kind (plain, lay, typo, abbrev); the
report gives accuracy overall, per kind and per intent, and the most frequent confusions.
"""

from __future__ import annotations

import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from evals.errors import SuiteError

ROUTING_SET = Path(__file__).with_name("routing") / "utterances.yaml"


class Utterance(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1)
    intent: str
    kind: Literal["plain", "lay", "typo", "abbrev"]

    @property
    def split(self) -> str:
        """A fixed half of the set ("dev") may guide changes to the router's exemplars and rules;
        the other half ("test") is only ever measured, so its accuracy is the honest one."""
        return "dev" if zlib.crc32(self.text.encode()) % 2 == 0 else "test"


class UtteranceSet(BaseModel):
    model_config = ConfigDict(extra="forbid")
    set: str
    utterances: list[Utterance] = Field(min_length=1)


def load_utterances(path: Path = ROUTING_SET, intents: set[str] | None = None) -> UtteranceSet:
    try:
        data = UtteranceSet.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError) as e:
        raise SuiteError(f"{path}: cannot be read as YAML ({e}).") from e
    except ValidationError as e:
        err = e.errors()[0]
        raise SuiteError(f"{path}: {'.'.join(str(x) for x in err['loc'])}: {err['msg']}.") from e
    for n, u in enumerate(data.utterances, start=1):
        if intents is not None and u.intent not in intents:
            raise SuiteError(f"{path}: utterance {n} ('{u.text}') has unknown intent '{u.intent}'.")
    return data


@dataclass
class RoutingReport:
    total: int
    correct: int
    by_kind: dict[str, tuple[int, int]]
    by_split: dict[str, tuple[int, int]]
    by_intent: dict[str, tuple[int, int]]
    confusions: list[tuple[tuple[str, str], int]]
    """((expected, got), count), most frequent first"""
    wrong: list[tuple[str, str, str]]
    """(text, expected, got)"""

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


def evaluate_routing(router: Any, data: UtteranceSet) -> RoutingReport:
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_split: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_intent: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    confusions: Counter[tuple[str, str]] = Counter()
    wrong = []
    correct = 0
    for u in data.utterances:
        got, _, _ = router.classify(u.text)
        ok = got == u.intent
        correct += ok
        for table, key in ((by_kind, u.kind), (by_split, u.split), (by_intent, u.intent)):
            table[key][0] += ok
            table[key][1] += 1
        if not ok:
            confusions[(u.intent, got)] += 1
            wrong.append((u.text, u.intent, got))
    return RoutingReport(
        len(data.utterances),
        correct,
        {k: (v[0], v[1]) for k, v in by_kind.items()},
        {k: (v[0], v[1]) for k, v in by_split.items()},
        {k: (v[0], v[1]) for k, v in by_intent.items()},
        confusions.most_common(),
        wrong,
    )


def format_routing(report: RoutingReport) -> str:
    kinds = "; ".join(f"{k} {c}/{n} ({c / n:.0%})" for k, (c, n) in sorted(report.by_kind.items()))
    worst = sorted(report.by_intent.items(), key=lambda kv: kv[1][0] / kv[1][1])[:4]
    return "\n".join(
        [
            f"routing — {report.total} labelled utterances: accuracy {report.accuracy:.3f} ("
            + ", ".join(f"{k} half {c / n:.3f}" for k, (c, n) in sorted(report.by_split.items()))
            + ")",
            f"  by kind: {kinds}",
            "  weakest intents: " + "; ".join(f"{i} {c}/{n}" for i, (c, n) in worst),
            "  top confusions: " + ("; ".join(f"{a}->{b} x{n}" for (a, b), n in report.confusions[:5]) or "none"),
        ]
    )
