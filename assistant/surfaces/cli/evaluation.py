"""`beacon eval run|compare` and `beacon bench`: compliance suites and the benchmark."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def _eval_service(backend: str | None) -> Any:
    from assistant.services.deps import build_deps
    from assistant.services.turn_service import TurnService
    from assistant.settings import load_settings
    from assistant.tooling.eval_turns import EvalTurns

    settings = load_settings(**({"backend": backend} if backend else {}))
    return EvalTurns(TurnService(build_deps(settings)))


def cmd_eval_run(args: argparse.Namespace) -> int:
    from evals.loader import load_suites
    from evals.report import apply_baseline, console, policy_table, write_reports
    from evals.runner import prepare_suites, run_suites

    suites = load_suites([Path(p) for p in args.suites])  # invalid suite: exit 2 before any work
    service = _eval_service(args.backend)
    suites, messages = prepare_suites(service, suites)
    for m in messages:
        print(m)
    if not suites:
        print("beacon: no suite could run (see the messages above)", file=sys.stderr)
        return 1
    outcomes = run_suites(service, suites, workers=args.workers)
    if args.baseline:
        apply_baseline(outcomes, Path(args.baseline))
    rows = policy_table(outcomes, [s for _, s in suites])
    print(console(outcomes, rows))
    if args.report_dir:
        title = "Beacon eval: " + ", ".join(s.suite for _, s in suites)
        write_reports(outcomes, rows, Path(args.report_dir), title)
        print(f"reports written to {args.report_dir}/ (report.html, results.json, junit.xml)")
    return 0 if all(r.ok for r in rows) else 1


def cmd_eval_compare(args: argparse.Namespace) -> int:
    from evals.loader import load_suites
    from evals.report import compare_table, draft_stats, policy_table, write_reports
    from evals.runner import prepare_suites, run_suites

    suites = load_suites([Path(p) for p in args.suites])
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if len(backends) != 2:
        print("beacon: --backends takes exactly two backends, e.g. offline,llm", file=sys.stderr)
        return 2
    tables = []
    stats = []
    for backend in backends:
        service = _eval_service(backend)
        runnable, messages = prepare_suites(service, suites)
        for m in messages:
            print(m)
        outcomes = run_suites(service, runnable, workers=args.workers)
        rows = policy_table(outcomes, [s for _, s in suites])
        tables.append(rows)
        stats.append(draft_stats(outcomes))
        if args.report_dir:
            write_reports(outcomes, rows, Path(args.report_dir) / backend, f"Beacon eval on {backend}")
    print(compare_table(tables[0], tables[1], backends[0], backends[1]))
    for backend, st in zip(backends, stats, strict=True):
        print(
            f"{backend}: {st['turns']} turns; LLM drafts shown {st['llm_shown']}, rejected by the guard "
            f"{st['rejected_by_guard']}, replaced after an error {st['fallback_error']}; "
            f"ungrounded figures in final answers {st['ungrounded_shown']}"
        )
    return 0 if all(r.ok for rows in tables for r in rows) else 1


def cmd_bench(args: argparse.Namespace) -> int:
    from assistant.tooling.bench import main as bench_main

    return bench_main()


def add_parsers(sub: Any) -> None:
    s = sub.add_parser("eval", help="compliance regression suites")
    esub = s.add_subparsers(dest="eval_command", required=True)
    er = esub.add_parser("run", help="run suites against one backend")
    er.add_argument("suites", nargs="+", help="suite files or folders")
    er.add_argument("--report-dir")
    er.add_argument("--baseline", help="a results.json from an earlier run")
    er.add_argument("--backend", choices=["offline", "llm"])
    er.add_argument("--workers", type=int, default=2)
    er.set_defaults(fn=cmd_eval_run)
    ec = esub.add_parser("compare", help="run suites on two backends side by side")
    ec.add_argument("suites", nargs="+")
    ec.add_argument("--backends", default="offline,llm")
    ec.add_argument("--report-dir")
    ec.add_argument("--workers", type=int, default=2)
    ec.set_defaults(fn=cmd_eval_compare)
    s = sub.add_parser("bench", help="the performance benchmark")
    s.set_defaults(fn=cmd_bench)
