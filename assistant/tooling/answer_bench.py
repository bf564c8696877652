"""Answer quality of the grounded composer on the labelled questions (evals/answers/): does the reply
answer the question that was asked, or say it doesn't know?

Three sets, each scored on one half of the fixed dev/test split (`evals.answer_sets.split_for`):
the real FiQA questions people asked online, the IRA questions answered by IRS Pub 590-A/590-B, and
the bundled-knowledge questions (asked in their plan's scope). Per set: answered-and-relevant (of
the questions whose label expects an answer: the reply answers and states an expected fact),
irrelevant (of all labelled: the reply answers without any expected fact), and for the advice /
out-of-scope / no-answer labels whether the reply was that kind.

`make bench` prints the TEST half; `python -m assistant.tooling.answer_bench --split dev` is the half
to tune on (`--dump FILE` keeps every reply for reading).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.settings import PROJECT_ROOT
from assistant.tooling.llm_bench_report import score_labelled
from evals.answer_sets import load_bundled_facts, load_fiqa, load_irs, split_for
from evals.retrieval_eval import RETRIEVAL_DIR, load_set

PUBLICATIONS = PROJECT_ROOT / "knowledge" / "irs" / "publications"
"""IRS Pub 590-A and 590-B (2025), indexed as general documents by `make run`"""


@dataclass
class Labelled:
    key: str
    set: str
    text: str
    units: list[dict[str, Any]]
    plan: str | None = None


def bundled_deps(data_dir: Path, **settings: Any) -> Any:
    """Offline deps over `data_dir` with what `make run` indexes: the bundled knowledge, the IRS
    publications as general documents, and the demo roster."""
    from assistant.records.participants import parse_roster
    from assistant.retrieval.indexing.ingest import ingest
    from assistant.services.deps import build_deps
    from assistant.settings import Settings

    deps = build_deps(Settings(data_dir=data_dir, **settings))
    ingest([PROJECT_ROOT / "knowledge"], deps.index, deps.embedder, progress=False)
    ingest([PUBLICATIONS], deps.index, deps.embedder, plan="general", progress=False)
    good, _ = parse_roster(PROJECT_ROOT / "knowledge/participants/demo-roster.csv", set(deps.plans))
    deps.participants.upsert(good)
    return deps


def questions(split: str, root: Path = PROJECT_ROOT) -> Iterator[Labelled]:
    """The labelled questions of one half, FiQA first (skipped when its shared file is absent)."""
    fiqa = load_fiqa()
    texts_file = (root / fiqa.source).resolve()
    if texts_file.is_file():
        texts = {str(q["qid"]): q["question"] for q in json.loads(texts_file.read_text(encoding="utf-8"))}
        for q in fiqa.questions:
            if q.split == split and q.qid in texts:
                yield Labelled(f"fiqa/{q.qid}", "fiqa", texts[q.qid], [u.model_dump() for u in q.units])
    for i in load_irs().questions:
        if i.split == split:
            yield Labelled(f"irs/{i.id}", "irs", i.q, [{"expect": i.expect, "facts": i.facts}])
    facts = {b.id: b.facts for b in load_bundled_facts().questions}
    for b in load_set(RETRIEVAL_DIR / "bundled.yaml").questions:
        if split_for(b.id) == split and b.id in facts and b.previous is None:
            yield Labelled(f"bundled/{b.id}", "bundled", b.q, [{"expect": "answer", "facts": facts[b.id]}], b.plan)


def answer_run(service: Any, split: str) -> list[dict[str, Any]]:
    rows = []
    for q in questions(split):
        result = service.run(q.text, **({"plan": q.plan} if q.plan else {}))
        rows.append(
            {
                "key": q.key,
                "set": q.set,
                "question": q.text,
                "expect": [u["expect"] for u in q.units],
                "facts": [f for u in q.units for f in u.get("facts", [])],
                "action": result["action"],
                "reason": result.get("reason"),
                "intent": result.get("intent"),
                "answer": result["answer"],
                "score": score_labelled(q.units, result),
            }
        )
    return rows


def _share(n: int, d: int) -> str:
    return f"{100 * n / d:5.1f}% ({n}/{d})" if d else "    -"


def answer_report(rows: list[dict[str, Any]], split: str) -> list[str]:
    lines = [f"Answers on the {split} half of the labelled questions (composer):"]
    lines.append(f"  {'set':<9} {'answered+relevant':>22} {'irrelevant':>20} {'right kind (no answer)':>24}")
    for name in ("fiqa", "irs", "bundled"):
        mine = [r for r in rows if r["set"] == name]
        if not mine:
            lines.append(f"  {name:<9} skipped: its questions are not here")
            continue
        answerable = [r for r in mine if r["score"]["answerable"]]
        behave = [r for r in mine if r["score"]["behaved"] is not None]
        lines.append(
            f"  {name:<9} {_share(sum(r['score']['relevant'] for r in answerable), len(answerable)):>22}"
            f" {_share(sum(r['score']['irrelevant'] for r in mine), len(mine)):>20}"
            f" {_share(sum(bool(r['score']['behaved']) for r in behave), len(behave)):>24}"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    import tempfile

    from assistant.services.turn_service import TurnService
    from assistant.tooling.eval_turns import EvalTurns

    ap = argparse.ArgumentParser(prog="answer_bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=("dev", "test"), default="dev")
    ap.add_argument("--dump", type=Path, default=None, help="write every reply and its score as JSON")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="beacon-answers-") as tmp:
        deps = bundled_deps(Path(tmp))
        rows = answer_run(EvalTurns(TurnService(deps)), args.split)
    print("\n".join(answer_report(rows, args.split)))
    if args.dump:
        args.dump.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
