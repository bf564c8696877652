"""`beacon bench` / `make bench`: per-stage latency on a fixed question set (offline backend).

Runs in a temporary data dir so it never touches the user's stores. Prints p50/p95 per stage and
end to end, cold start to first answer (a fresh process), and peak RSS, against DESIGN.md's budget.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUESTIONS: list[tuple[str | None, str]] = [
    ("A-1002", "How much more would my employer put in if I raised my contribution?"),
    ("C-2002", "How much more would my employer put in if I raised my contribution?"),
    (None, "What's the most I can contribute to my 401(k) in 2026?"),
    ("A-1004", "What's the most I can contribute this year?"),
    ("C-2004", "Can I make catch-up contributions?"),
    ("A-1005", "How much can I borrow and what does a loan cost?"),
    ("C-2005", "How many loans can I have at once?"),
    ("C-2001", "Am I vested in the match?"),
    ("A-1006", "What happens to my 401k if I leave my job?"),
    ("A-1008", "When do I have to start RMDs?"),
    ("C-2002", "I'm about to be evicted, can I take a hardship withdrawal?"),
    ("A-1001", "How do I undo automatic enrollment?"),
    ("A-1007", "I just got married, who is my beneficiary?"),
    ("A-1002", "Which fund should I buy?"),
    ("A-1002", "What's the weather tomorrow?"),
    ("A-1002", "My SSN is 287-65-4321, what's the loan fee?"),
    ("C-2003", "What fees does the plan charge?"),
    ("A-1009", "Do my catch-up contributions have to be Roth?"),
    ("C-2006", "Is there a penalty for taking money out early?"),
    ("A-1003", "I'm turning 50, can I save more?"),
]
STAGES = ["redact", "screen_input", "route", "retrieve", "calculate", "draft", "guard_output", "finalize"]
BUDGET = {
    "turn_p50": 80,
    "turn_p95": 200,
    "guard_output_p50": 25,
    "screen_input_p50": 20,
    "cold_start_s": 10,
    "rss_mb": 1536,
}
ROUNDS = 3


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def cold_start(data_dir: Path) -> float:
    code = (
        "import time; t=time.perf_counter();"
        "from assistant.settings import load_settings; from assistant.services.deps import build_deps;"
        "from assistant.services.turn_service import TurnService;"
        "s=TurnService(build_deps(load_settings()));"
        "s.run('What is the most I can contribute in 2026?');"
        "print(time.perf_counter()-t)"
    )
    env = {**os.environ, "BEACON_DATA_DIR": str(data_dir)}
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)  # noqa: S603 - our own interpreter and code
    in_process = float(out.stdout.strip().splitlines()[-1])
    return max(in_process, time.perf_counter() - t0)


IRS_PDF_BUDGET_S = 30.0


def retrieval_quality(deps) -> list[str]:  # type: ignore[no-untyped-def]
    """Recall@1/@5 and MRR per method on the labelled sets; ingest time of each real IRS PDF.

    The bundled set is measured on the bundled knowledge alone (what `make run` indexes); the
    IRS PDFs are then ingested as plan `irs-pubs` and their own set is measured.
    """
    from assistant.retrieval.indexing.ingest import ingest
    from assistant.settings import PROJECT_ROOT
    from evals.retrieval_eval import RETRIEVAL_DIR, evaluate, format_report, load_set

    lines = []
    bundled = evaluate(load_set(RETRIEVAL_DIR / "bundled.yaml"), deps)
    lines.append(format_report(bundled))
    hybrid = bundled.methods["hybrid"].recall(5)
    best_single = max(bundled.methods["dense"].recall(5), bundled.methods["bm25"].recall(5))
    ok = hybrid >= 0.95 and hybrid > best_single
    lines.append(f"  target hybrid recall@5 >= 0.95 and above both single methods: {'ok' if ok else 'MISSED'}")
    irs = PROJECT_ROOT.parent / "shared" / "data" / "documents" / "irs"
    if not irs.is_dir():
        lines.append(f"IRS PDFs: skipped ({irs} is absent)")
        return lines
    report = ingest([irs], deps.index, deps.embedder, plan="irs-pubs", progress=False)
    for f in report.files:
        if f.status == "rejected":
            lines.append(f"ingest {f.path}: REJECTED {f.reason}")
            continue
        speed = f.chunks / f.seconds if f.seconds else 0.0
        lines.append(
            f"ingest {Path(f.path).name}: {f.chunks} chunks in {f.seconds:.1f} s ({speed:.1f} chunks/s)"
            f"  <= {IRS_PDF_BUDGET_S:.0f} s {'ok' if f.seconds <= IRS_PDF_BUDGET_S else 'OVER'}"
        )
    lines.append(format_report(evaluate(load_set(RETRIEVAL_DIR / "irs-publications.yaml"), deps)))
    return lines


def routing_quality(deps) -> str:  # type: ignore[no-untyped-def]
    """Intent-routing accuracy on the labelled utterance set (lay language, typos, shorthand)."""
    from evals.routing_eval import evaluate_routing, format_routing, load_utterances

    data = load_utterances(intents=set(deps.router.topics))
    return format_routing(evaluate_routing(deps.router, data))


def guard_quality(deps) -> list[str]:  # type: ignore[no-untyped-def]
    """PII detection against Presidio's default analyzer (same run), and attack / over-refusal
    rates on the shared sets through real turns (evals/pii_eval.py, evals/attack_eval.py)."""
    from assistant.services.turn_service import TurnService
    from assistant.settings import PROJECT_ROOT
    from assistant.tooling.attack_bench import attack_report, llm_sample_report
    from assistant.tooling.eval_turns import EvalTurns
    from evals.pii_eval import pii_report

    shared = PROJECT_ROOT.parent / "shared" / "data"
    t = time.perf_counter()
    lines = [pii_report(deps.guard.pii, deps.settings.spacy_model, shared)]
    lines.append(f"  (PII section: {time.perf_counter() - t:.0f} s)")
    t = time.perf_counter()
    lines += attack_report(EvalTurns(TurnService(deps)), shared, PROJECT_ROOT)
    lines.append(f"  (attack section: {time.perf_counter() - t:.0f} s)")
    t = time.perf_counter()
    lines += llm_sample_report(deps, shared, PROJECT_ROOT)
    lines.append(f"  (local-LLM sample: {time.perf_counter() - t:.0f} s)")
    return lines


def main() -> int:
    from assistant.records.participants import parse_roster
    from assistant.retrieval.indexing.ingest import ingest
    from assistant.services.deps import build_deps
    from assistant.services.turn_service import TurnService
    from assistant.settings import PROJECT_ROOT, Settings

    with tempfile.TemporaryDirectory(prefix="beacon-bench-") as tmp:
        data = Path(tmp)
        deps = build_deps(Settings(data_dir=data))
        t = time.perf_counter()
        report = ingest([PROJECT_ROOT / "knowledge"], deps.index, deps.embedder, progress=False)
        ingest_s = time.perf_counter() - t
        from assistant.retrieval.indexing.ingest import precompute_gate_vectors

        gate = precompute_gate_vectors(deps.index, deps.embedder)  # as `beacon ingest` does after ingesting
        good, _ = parse_roster(PROJECT_ROOT / "knowledge/participants/demo-roster.csv", set(deps.plans))
        deps.participants.upsert(good)
        svc = TurnService(deps)
        for pid, q in QUESTIONS[:3]:  # warm-up
            svc.run(q, participant=pid)
        totals: list[float] = []
        turn_ids: list[str] = []
        stages: dict[str, list[float]] = {s: [] for s in STAGES}
        for _ in range(ROUNDS):
            for pid, q in QUESTIONS:
                out = svc.run(q, participant=pid)
                totals.append(out.latency_ms)
                turn_ids.append(out.turn_id)
                record = deps.audit.get(out.turn_id) or {}
                timings: dict[str, float] = record.get("timings_ms", {})  # type: ignore[assignment]
                for s in STAGES:
                    if s in timings:
                        stages[s].append(timings[s])
        cold = cold_start(data)
        retrieval_lines = retrieval_quality(deps)
        retrieval_lines.append(routing_quality(deps))
        from assistant.nudges.bench import nudges_benchmark

        nudge_lines = nudges_benchmark(deps, data)
        from assistant.tooling.api_bench import api_load

        # 20 concurrent sessions over the REST API: one worker per core (the target), then one
        # process (what `beacon serve` alone gives), for reference
        api_lines = api_load(deps, data) + api_load(deps, data, workers=1, judged=False)
        retrieval_lines += guard_quality(deps)
        from assistant.tooling.understanding_bench import understanding_report

        retrieval_lines += understanding_report(deps, turn_ids)
        from assistant.tooling.answer_bench import PUBLICATIONS, answer_report, answer_run
        from assistant.tooling.eval_turns import EvalTurns

        # answers on the test half of the labelled questions, over what `make run` indexes
        ingest([PUBLICATIONS], deps.index, deps.embedder, plan="general", progress=False)
        retrieval_lines += answer_report(answer_run(EvalTurns(svc), "test"), "test")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"Beacon bench — offline backend, {len(QUESTIONS)} questions x {ROUNDS} rounds, warm process")
    print(
        f"ingest: {report.chunks} chunks from {len(report.files)} files in {ingest_s:.1f} s "
        f"({report.chunks / ingest_s:.0f} chunks/s)"
    )
    print(
        f"relevance gate vectors precomputed after ingest: {gate.texts} texts of {gate.documents} documents"
        f" in {gate.seconds:.1f} s"
    )
    print("\n".join(retrieval_lines))
    print("\n".join(nudge_lines))
    print("\n".join(api_lines))
    print(f"{'stage':<14}{'p50 ms':>10}{'p95 ms':>10}{'n':>6}")
    for s in STAGES:
        if stages[s]:
            print(f"{s:<14}{statistics.median(stages[s]):>10.1f}{pct(stages[s], 0.95):>10.1f}{len(stages[s]):>6}")
    p50, p95 = statistics.median(totals), pct(totals, 0.95)
    print(f"{'turn (e2e)':<14}{p50:>10.1f}{p95:>10.1f}{len(totals):>6}")
    print(f"cold start to first answer: {cold:.1f} s;  peak RSS: {rss_mb:.0f} MB")
    checks = [
        ("turn p50", p50, BUDGET["turn_p50"], "ms"),
        ("turn p95", p95, BUDGET["turn_p95"], "ms"),
        ("output guard p50", statistics.median(stages["guard_output"]), BUDGET["guard_output_p50"], "ms"),
        (
            "input screen p50",
            statistics.median([a + b for a, b in zip(stages["redact"], stages["screen_input"], strict=True)]),
            BUDGET["screen_input_p50"],
            "ms",
        ),
        ("cold start", cold, BUDGET["cold_start_s"], "s"),
        ("peak RSS", rss_mb, BUDGET["rss_mb"], "MB"),
    ]
    print("budget (DESIGN.md):")
    for name, value, limit, unit in checks:
        print(f"  {name:<18} {value:>8.1f} {unit:<3} <= {limit:<6} {'ok' if value <= limit else 'OVER'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
