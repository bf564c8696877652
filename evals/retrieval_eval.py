"""Retrieval quality on a labelled question set: recall@1, recall@5 and MRR per retrieval method.

A set (`evals/retrieval/*.yaml`) lists questions, the plan they are scoped to and the section(s)
that answer them (any one counts). Follow-ups carry the `previous` user turn and are searched with
the route node's rewrite, exactly as a conversation would. Ranks count distinct sections
("doc_id#section"), so two chunks of one section are one result.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from evals.errors import SuiteError

RETRIEVAL_DIR = Path(__file__).with_name("retrieval")
DEPTH = 10


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    plan: str
    q: str = Field(min_length=1)
    answers: list[str] = Field(min_length=1)
    kind: Literal["paraphrase", "lay", "typo", "abbreviation", "followup", "direct"]
    previous: str | None = None


class QuestionSet(BaseModel):
    model_config = ConfigDict(extra="forbid")
    set: str
    questions: list[Question] = Field(min_length=1)


def load_set(path: Path) -> QuestionSet:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        qs = QuestionSet.model_validate(raw)
    except (OSError, yaml.YAMLError) as e:
        raise SuiteError(f"{path}: cannot be read as YAML ({e}).") from e
    except ValidationError as e:
        err = e.errors()[0]
        loc = err["loc"]
        where = ".".join(str(x) for x in loc)
        if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int) and isinstance(raw, dict):
            qid = (raw.get("questions") or [{}])[loc[1]].get("id", f"#{loc[1] + 1}")
            where = f"question '{qid}', field '{'.'.join(str(x) for x in loc[2:])}'"
        raise SuiteError(f"{path}: {where}: {err['msg']}.") from e
    seen: set[str] = set()
    for q in qs.questions:
        if q.id in seen:
            raise SuiteError(f"{path}: question id '{q.id}' is used twice; ids must be unique.")
        seen.add(q.id)
    return qs


@dataclass
class MethodScore:
    ranks: list[int | None] = field(default_factory=list)
    """rank (1-based) of the first answering section per question, None when not in the top DEPTH"""

    def recall(self, k: int) -> float:
        return sum(1 for r in self.ranks if r is not None and r <= k) / len(self.ranks) if self.ranks else 0.0

    @property
    def mrr(self) -> float:
        return sum(1.0 / r for r in self.ranks if r) / len(self.ranks) if self.ranks else 0.0


@dataclass
class RetrievalReport:
    set_name: str
    questions: int
    methods: dict[str, MethodScore]
    by_kind: dict[str, dict[str, MethodScore]]
    misses: dict[str, list[tuple[str, str, list[str]]]]
    """method -> (question id, query searched, top sections) for answers not in the top 5"""


def _ranked_sections(hits: list[Any]) -> list[str]:
    out: list[str] = []
    for h in hits:
        if h.citation_id not in out:
            out.append(h.citation_id)
    return out


def evaluate(qs: QuestionSet, deps: Any, modes: tuple[str, ...] = ("dense", "bm25", "hybrid")) -> RetrievalReport:
    methods = {m: MethodScore() for m in modes}
    by_kind: dict[str, dict[str, MethodScore]] = defaultdict(lambda: {m: MethodScore() for m in modes})
    misses: dict[str, list[tuple[str, str, list[str]]]] = {m: [] for m in modes}
    for q in qs.questions:
        query = q.q
        if q.previous:
            previous_intent, _, _ = deps.router.classify(q.previous)
            query = deps.router.route(q.q, q.previous, previous_intent).query
        for mode in modes:
            hits, _ = deps.retriever.search(query, q.plan, k=DEPTH * 3, mode=mode)
            sections = _ranked_sections(hits)[:DEPTH]
            rank = next((i for i, s in enumerate(sections, start=1) if s in q.answers), None)
            methods[mode].ranks.append(rank)
            by_kind[q.kind][mode].ranks.append(rank)
            if rank is None or rank > 5:
                misses[mode].append((q.id, query, sections[:5]))
    return RetrievalReport(qs.set, len(qs.questions), methods, dict(by_kind), misses)


def format_report(report: RetrievalReport) -> str:
    lines = [f"retrieval — {report.set_name}: {report.questions} labelled questions"]
    lines.append(f"  {'method':<8}{'recall@1':>10}{'recall@5':>10}{'MRR':>8}")
    for mode, s in report.methods.items():
        lines.append(f"  {mode:<8}{s.recall(1):>10.3f}{s.recall(5):>10.3f}{s.mrr:>8.3f}")
    kinds = sorted(report.by_kind)
    lines.append(
        "  recall@5 by kind: "
        + "; ".join(
            f"{kind} ({len(next(iter(report.by_kind[kind].values())).ranks)}) "
            + " ".join(f"{m} {s.recall(5):.2f}" for m, s in report.by_kind[kind].items())
            for kind in kinds
        )
    )
    return "\n".join(lines)
