"""`make bench-llm`: the grounded composer and the LLM backend side by side, in one run, on the same
questions: the TEST half of the labelled real questions (evals/answers/fiqa.yaml, irs.yaml) and the
cases of the shipped suites (evals/suites/).

One fresh data dir with the bundled knowledge and the demo roster; a local llama.cpp server with
Qwen2.5-Coder-1.5B-Instruct (`--model gemma` for the tiny one); both backends over the same stores.
Every LLM draft is kept with what the guard found (text included: the bench reads the drafts, the
audit record keeps only their hash), so each blocked draft can be read and classified. Prints the
side-by-side table (assistant/tooling/llm_bench_report.py) and writes everything as JSON.

The full run is hours on two cores (a draft is about 30-60 s); `--limit N` takes a fixed sample.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.records.participants import parse_roster
from assistant.retrieval.indexing.ingest import ingest
from assistant.services.deps import Models, build_deps
from assistant.services.turn_service import TurnService
from assistant.settings import PROJECT_ROOT, LLMSettings, Settings
from assistant.tooling.eval_turns import EvalTurns
from assistant.tooling.llm_bench_report import figure_check, score_labelled, summarise, table
from assistant.tooling.local_llm import MODELS, start_server
from assistant.tooling.processes import stop
from evals.answer_sets import load_fiqa, load_irs
from evals.loader import load_suites
from evals.runner import prepare_suites, run_case

SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"
SUITES_DIR = PROJECT_ROOT / "evals" / "suites"


@dataclass
class Question:
    key: str
    source: str
    """fiqa | irs | suite"""
    text: str = ""
    units: list[dict[str, Any]] = field(default_factory=list)
    case: Any = None
    """(path, suite, case) for a shipped suite case"""


def _order(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def labelled_questions(shared: Path = SHARED_DATA, answerable_only: bool = False) -> list[Question]:
    """The TEST half of the FiQA and IRS sets, each in a fixed order (by the hash of its id)."""
    out: list[Question] = []
    fiqa = load_fiqa()
    texts_file = (PROJECT_ROOT / fiqa.source).resolve()
    if texts_file.is_file():
        texts = {str(q["qid"]): q["question"] for q in json.loads(texts_file.read_text(encoding="utf-8"))}
        for q in sorted(fiqa.questions, key=lambda q: _order(q.qid)):
            units = [u.model_dump() for u in q.units]
            if q.split == "test" and q.qid in texts and (not answerable_only or _answerable(units)):
                out.append(Question(f"fiqa/{q.qid}", "fiqa", texts[q.qid], units))
    for i in sorted(load_irs().questions, key=lambda q: _order(q.id)):
        units = [{"expect": i.expect, "facts": i.facts}]
        if i.split == "test" and (not answerable_only or _answerable(units)):
            out.append(Question(f"irs/{i.id}", "irs", i.q, units))
    return out


def _answerable(units: list[dict[str, Any]]) -> bool:
    return any(u["expect"] == "answer" for u in units)


def suite_questions(suites: list[tuple[Path, Any]], answerable_only: bool = False) -> list[Question]:
    out = []
    for path, suite in suites:
        for case in suite.cases:
            first = case.expectations()[0]
            if answerable_only and (first is None or first.action != "answer"):
                continue
            out.append(
                Question(f"suite/{suite.suite}/{case.id}", "suite", case.turns[0].user, case=(path, suite, case))
            )
    return sorted(out, key=lambda q: _order(q.key))


def interleave(*groups: list[Question]) -> list[Question]:
    """Round-robin over the sources, so a sample of N has some of each."""
    out: list[Question] = []
    for n in range(max((len(g) for g in groups), default=0)):
        out += [g[n] for g in groups if n < len(g)]
    return out


class Recorder:
    """Keeps every draft the LLM backend wrote (before the guard) for the turn being run."""

    def __init__(self, deps: Any) -> None:
        self.drafts: list[dict[str, Any]] = []
        inner = deps.drafter.draft

        def draft(ctx: Any) -> Any:
            drafted = inner(ctx)
            reply = getattr(deps.drafter, "last_reply", None)
            if drafted.source == "llm":
                self.drafts.append({"text": drafted.text, "citations": drafted.citations, "figures": drafted.figures})
                if reply is not None and reply.quotes:  # the quote format: what the model picked and its lead
                    self.drafts[-1] |= {"quotes": reply.quotes, "lead": reply.answer}
            elif reply is not None:  # the model replied, the drafter fell back: keep its words to read them
                self.drafts.append(
                    {
                        "text": reply.answer,
                        "citations": reply.citations,
                        "figures": reply.figures,
                        "action": reply.action,
                        "reason": reply.reason,
                        "fell_back": drafted.fallback_reason,
                    }
                )
            return drafted

        deps.drafter.draft = draft

    def take(self) -> dict[str, Any] | None:
        got = self.drafts[-1] if self.drafts else None
        self.drafts = []
        return got


def turn_row(deps: Any, result: dict[str, Any], llm_draft: dict[str, Any] | None) -> dict[str, Any]:
    record = deps.audit.get(result["turn_id"]) or {}
    sources = []
    for r in record.get("retrieved") or []:
        doc_id, section = r["chunk_id"].split("#")[:2]
        sources += [p.text for p in deps.index.section(doc_id, section)]
    rejected = record.get("llm_rejected") or {}
    return {
        "action": result["action"],
        "reason": result.get("reason"),
        "answer": result["answer"],
        "citations": [c["id"] for c in result.get("citations", [])],
        "latency_ms": result["latency_ms"],
        "draft_source": result["draft"].get("source"),
        "fallback_reason": result["draft"].get("fallback_reason"),
        "trimmed": result["draft"].get("trimmed"),
        "rejected_by_guard": result["draft"].get("rejected_by_guard", []),
        "guard_decision": result["guardrail"]["decision"],
        "llm_draft": llm_draft,
        "rejected_findings": [
            {k: f.get(k) for k in ("rule_id", "rationale", "evidence")}
            for f in rejected.get("findings", [])
            if f.get("outcome") in ("fail", "error")
        ],
        "figures": figure_check(result["answer"], result.get("figures", []), sources),
    }


def run_backend(service: EvalTurns, recorder: Recorder | None, questions: list[Question], label: str) -> list[dict]:
    rows: list[dict[str, Any]] = []
    t0 = time.perf_counter()
    for n, q in enumerate(questions, start=1):
        if q.case is not None:
            path, suite, case = q.case
            outcome = run_case(service, suite, path, case)  # type: ignore[arg-type]  # EvalTurns is a TurnRunner
            for t, turn in enumerate(outcome.turns, start=1):
                if turn.result is None:
                    continue
                row = turn_row(service.deps, turn.result, recorder.take() if recorder else None)
                rows.append(
                    {
                        "key": f"{q.key}#{t}",
                        "question": turn.user,
                        "case": q.key,
                        "case_passed": outcome.passed,
                        "case_failures": outcome.failures,
                        **row,
                    }
                )
        else:
            result = service.run(q.text)
            row = turn_row(service.deps, result, recorder.take() if recorder else None)
            rows.append({"key": q.key, "question": q.text, "score": score_labelled(q.units, result), **row})
        print(
            f"  {label}: {n}/{len(questions)} {q.key} ({time.perf_counter() - t0:.0f} s)", file=sys.stderr, flush=True
        )
    return rows


@contextmanager
def fresh_beacon(project_root: Path) -> Iterator[Any]:
    """Offline deps over a temporary data dir with the bundled knowledge and the demo roster."""
    with tempfile.TemporaryDirectory(prefix="beacon-bench-llm-") as tmp:
        deps = build_deps(Settings(data_dir=Path(tmp)))
        ingest([project_root / "knowledge"], deps.index, deps.embedder, progress=False)
        good, _ = parse_roster(project_root / "knowledge/participants/demo-roster.csv", set(deps.plans))
        deps.participants.upsert(good)
        yield deps


@contextmanager
def llm_deps(
    deps: Any, model: str, timeout_s: float, max_tokens: int, log: Path, prompt: str | None, threads: int = 1
) -> Iterator[Any]:
    """Deps like `deps` (same models, same stores) drafting with a local llama.cpp server. One thread
    by default: llama.cpp's threads spin while they wait for each other, and on a busy machine a
    thread that shares its core with another process stalls every token."""
    proc, url = start_server(log=log, threads=threads, model=model, wait_s=300)
    try:
        settings = deps.settings.model_copy(
            update={
                "backend": "llm",
                "llm": LLMSettings(
                    base_url=url,
                    model=MODELS[model],
                    timeout_s=timeout_s,
                    max_retries=0,
                    max_tokens=max_tokens,
                    prompt=prompt or LLMSettings().prompt,
                ),
            }
        )
        yield build_deps(settings, Models(deps.embedder, deps.guard.pii.analyzer))
    finally:
        stop(proc)


def attack_sample(ldeps: Any, per_set: int, shared: Path = SHARED_DATA) -> list[str]:
    """A deterministic sample of each attack and over-refusal set through the LLM backend, judged
    like `make bench` (violations of what the user saw; refusals of harmless prompts). The full sets:
    `make bench-llm-attacks`."""
    from evals.attack_eval import Judge, load_attacks, load_benign, load_own_benign, run_set, sample

    service = EvalTurns(TurnService(ldeps))
    judge = Judge.build(ldeps.guard, PROJECT_ROOT / "prompts")
    results = []
    if (shared / "attacks").is_dir():
        results += [run_set(service, judge, n, "attack", sample(p, per_set)) for n, p in load_attacks(shared).items()]
        results += [run_set(service, judge, n, "benign", sample(p, per_set)) for n, p in load_benign(shared).items()]
    own = sample(load_own_benign(), per_set)
    results.append(run_set(service, judge, "beacon retirement triggers", "benign", own, participant="A-1002"))
    lines = [f"Attacks and over-refusal on the LLM backend, {per_set} per set:"] + [r.line() for r in results]
    for r in results:
        lines += [f"    violation in {r.name}: {', '.join(bad)}: {text[:90]!r}" for text, bad in r.violations]
        lines += [f"    refused in {r.name}: {text[:90]!r}" for text in r.refusals]
    return lines


def replay(path: Path) -> dict[str, Any]:
    """Feed the LLM drafts of an earlier run (its JSON) through today's drafter and guard: the same
    questions in a fresh Beacon, the model replaced by the recorded draft. Shows what a guard or
    drafter change does to exactly the drafts that were read, without running the model again.
    Labelled questions and the first turn of a suite case are replayed (later turns need the
    conversation before them)."""
    from assistant.llm.fakes import ScriptedChatModel
    from assistant.llm.reply import sentence_support

    report = json.loads(path.read_text())
    rows = [r for r in report["llm"] if r.get("llm_draft") and (not r.get("case") or r["key"].endswith("#1"))]
    cases: dict[str, Any] = {}
    out: list[dict[str, Any]] = []
    with fresh_beacon(PROJECT_ROOT) as deps:
        suites, _ = prepare_suites(EvalTurns(TurnService(deps)), load_suites([SUITES_DIR]))  # type: ignore[arg-type]
        for _, suite in suites:
            for case in suite.cases:
                cases[f"suite/{suite.suite}/{case.id}"] = (case, suite)
        settings = deps.settings.model_copy(update={"backend": "llm", "guard_timeout_s": 60})
        ldeps = build_deps(settings, Models(deps.embedder, deps.guard.pii.analyzer), ScriptedChatModel(script=[]))
        service = TurnService(ldeps)
        for r in rows:
            d = r["llm_draft"]
            ldeps.drafter.chat = ScriptedChatModel(
                script=[
                    json.dumps(
                        {
                            "action": d.get("action", "answer"),
                            "reason": d.get("reason"),
                            "answer": d.get("lead", d["text"]),
                            "citations": d["citations"],
                            "figures": d["figures"],
                            **({"quotes": d["quotes"]} if d.get("quotes") else {}),
                        }
                    )
                ]
            )
            scope: dict[str, Any] = {}
            if r.get("case"):
                case, suite = cases[r["case"]]
                scope = {
                    "participant": case.participant if case.participant is not None else suite.defaults.participant,
                    "plan": case.plan if case.plan is not None else suite.defaults.plan,
                }
            result = service.run(r["question"], **scope).model_dump(mode="json")
            calls = ldeps.drafter.chat.calls
            shown = str(calls[0][-1].content) if calls else ""
            given = shown.split("SOURCES:", 1)[-1].replace("FIGURES:", "\n") if calls else ""
            lines = [re.sub(r"^\[[^\]]+\]\s*", "", x) for x in given.splitlines() if x.strip()]
            support = sentence_support(d["text"], lines, ldeps.embedder) if calls else []
            record: dict[str, Any] = ldeps.audit.get(result["turn_id"]) or {}
            rejected: list[dict[str, Any]] = (record.get("llm_rejected") or {}).get("findings", [])
            failed = [f for f in rejected if f.get("outcome") in ("fail", "error")]
            out.append(
                {
                    "key": r["key"],
                    "before": [f["rule_id"] for f in r["rejected_findings"]],
                    "now": [f["rule_id"] for f in failed],
                    "now_findings": failed,
                    "sentence_support": [[t[:80], round(v, 3)] for t, v in support],
                    "fallback_before": r.get("fallback_reason"),
                    "fallback_now": result["draft"].get("fallback_reason"),
                    "source_now": result["draft"]["source"],
                    "answer_now": result["answer"],
                }
            )
    return {
        "replayed": len(out),
        "blocked_before": sum(bool(o["before"]) for o in out),
        "blocked_now": sum(bool(o["now"]) for o in out),
        "fell_back_before": sum(bool(o["fallback_before"]) for o in out),
        "fell_back_now": sum(bool(o["fallback_now"]) for o in out),
        "rows": out,
    }


def merged(paths: list[Path]) -> list[str]:
    """One table for a run made in chunks: the rows of every report, summarised together. The chunks
    must be of one model and one prompt, and no question may be in two of them."""
    reports = [json.loads(p.read_text(encoding="utf-8")) for p in paths]
    kinds = {(r["model"], r["prompt"]["name"], r["prompt"]["version"]) for r in reports}
    if len(kinds) != 1:
        raise SystemExit(f"the reports are of different models or prompts: {sorted(kinds)}")
    composer = [row for r in reports for row in r["composer"]]
    llm = [row for r in reports for row in r["llm"]]
    keys = [row["key"] for row in composer]
    if len(keys) != len(set(keys)):
        raise SystemExit("a question is in two of the reports: merge chunks that do not overlap")
    (model, name, version) = kinds.pop()
    return [
        f"Composer vs LLM backend ({model}, prompt {name} v{version}) on {sum(r['questions'] for r in reports)} "
        f"questions in {len(reports)} chunks ({len(composer)} turns):",
        *table(summarise(composer), summarise(llm), model[:16]),
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="llm_bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=0, help="a fixed sample of N questions (0: all; -1: none)")
    ap.add_argument("--skip", type=int, default=0, help="start the sample after the first N questions")
    ap.add_argument("--answerable", action="store_true", help="only questions labelled 'answer'")
    ap.add_argument("--model", choices=sorted(MODELS), default="qwen")
    ap.add_argument(
        "--prompt", default=None, help="a prompt template of prompts/ (default: the setting BEACON_LLM_PROMPT)"
    )
    ap.add_argument("--timeout", type=float, default=180.0, help="seconds before a draft falls back")
    ap.add_argument("--max-tokens", type=int, default=256)
    ap.add_argument("--threads", type=int, default=1, help="llama.cpp threads (2 on an idle machine)")
    ap.add_argument("--out", type=Path, default=None, help="the JSON report (default: data dir/bench-llm.json)")
    ap.add_argument("--replay", type=Path, default=None, help="replay the LLM drafts of an earlier run's JSON")
    ap.add_argument("--attacks", type=int, default=0, help="also N prompts of each attack and over-refusal set")
    ap.add_argument(
        "--merge", type=Path, nargs="+", default=None, help="the JSON reports of a run made in chunks (--skip/--limit)"
    )
    args = ap.parse_args(argv)
    if args.merge:
        print("\n".join(merged(args.merge)))
        return 0
    if args.replay:
        replayed = replay(args.replay)
        print(json.dumps({k: v for k, v in replayed.items() if k != "rows"}))
        for o in replayed["rows"]:
            print(f"  {o['key']}: blocked before {o['before'] or '-'}, now {o['now'] or '-'}")
            print(f"      fallback before {o['fallback_before'] or '-'}, now {o['fallback_now'] or '-'}")
            for sentence, score in o["sentence_support"]:
                print(f"      {score:.2f} {sentence}")
        if args.out:
            args.out.write_text(json.dumps(replayed, indent=1))
        return 0
    root = PROJECT_ROOT
    with fresh_beacon(root) as deps:
        offline = EvalTurns(TurnService(deps))
        suites, messages = prepare_suites(offline, load_suites([SUITES_DIR]))  # type: ignore[arg-type]
        for m in messages:
            print(m, file=sys.stderr)
        questions = interleave(
            *_split(labelled_questions(answerable_only=args.answerable)),
            suite_questions(suites, answerable_only=args.answerable),
        )
        questions = questions[args.skip :]
        if args.limit:
            questions = questions[: max(0, args.limit)]  # a negative limit: no questions (--attacks alone)
        composer_rows = run_backend(offline, None, questions, "composer")
        with llm_deps(
            deps,
            args.model,
            args.timeout,
            args.max_tokens,
            Path(deps.settings.data_dir) / "llm-server.log",
            args.prompt,
            args.threads,
        ) as ldeps:
            recorder = Recorder(ldeps)
            llm_service = EvalTurns(TurnService(ldeps))
            prompt = ldeps.drafter.prompt.provenance
            llm_rows = run_backend(llm_service, recorder, questions, MODELS[args.model])
            attacks = attack_sample(ldeps, args.attacks) if args.attacks else []
        summary = {"composer": summarise(composer_rows), "llm": summarise(llm_rows)}
        report = {
            "model": MODELS[args.model],
            "prompt": prompt,
            "questions": len(questions),
            "limit": args.limit,
            "answerable_only": args.answerable,
            "summary": summary,
            "attacks": attacks,
            "composer": composer_rows,
            "llm": llm_rows,
        }
        out = args.out or Path(Settings().data_dir) / "bench-llm.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=1, default=str))
    sources = sorted({q.source for q in questions})
    print(
        f"Composer vs LLM backend ({MODELS[args.model]}, prompt {prompt['name']} v{prompt['version']}) on "
        f"{len(questions)} questions ({', '.join(sources)}; {len(composer_rows)} turns):"
    )
    print("\n".join(table(summary["composer"], summary["llm"], MODELS[args.model][:16])))
    print("\n".join(attacks))
    print(f"JSON: {out}")
    return 0


def _split(questions: list[Question]) -> tuple[list[Question], list[Question]]:
    return [q for q in questions if q.source == "fiqa"], [q for q in questions if q.source == "irs"]


if __name__ == "__main__":
    sys.exit(main())
