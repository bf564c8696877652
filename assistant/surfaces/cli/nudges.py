"""`beacon nudges ...`: load feeds, run the batch (or explain it), record outcomes, report uplift,
simulate a population. Registered on the main parser by `add_parsers`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

HELP = """Life-event nudges.

  beacon nudges load-feed FILE          HR life events (CSV: participant_id,event,effective_date)
  beacon nudges load-preferences FILE   consent / opt-out per channel (CSV: participant_id,channel,status,effective_date)
  beacon nudges run --as-of DATE        evaluate everyone and deliver (chat cards; outbox JSONL + .eml for email/SMS)
  beacon nudges run --as-of DATE --dry-run   explain every decision, write nothing
  beacon nudges outcome DECISION EVENT  record shown/opened/acted/dismissed/remind_later for a delivered nudge
  beacon nudges report --out DIR        uplift against the hold-out group per nudge (report.html, uplift.png, uplift.json)
  beacon nudges simulate --out DIR      synthetic population and behaviour, then the report
  beacon nudges catalog                 validate and list the catalog
"""


def _deps():  # type: ignore[no-untyped-def]
    from assistant.services.deps import build_deps
    from assistant.settings import load_settings

    return build_deps(load_settings())


def _today(deps: Any, text: str | None) -> Any:
    from assistant.nudges.outcomes import parse_date

    return parse_date(text) if text else deps.today()


def _partition(text: str) -> tuple[int, int]:
    from assistant.nudges.errors import BadDateError

    k, _, n = text.partition("/")
    if not (k.isdigit() and n.isdigit()) or not 0 <= int(k) < int(n):
        raise BadDateError(f"--partition '{text}' must be K/N with 0 <= K < N, e.g. 0/4.")
    return int(k), int(n)


def cmd_load_feed(args: argparse.Namespace) -> int:
    from assistant.nudges.feeds import parse_hr_feed
    from assistant.nudges.service import open_engine

    deps = _deps()
    engine = open_engine(deps)
    ids = {p.participant_id for p in deps.participants.all()}
    good, bad = parse_hr_feed(Path(args.file), ids, deps.today())
    report = engine.store.add_feed_events(good)
    for line, reason in bad:
        print(f"  rejected line {line}: {reason}", file=sys.stderr)
    print(f"{report.added} added, {report.unchanged} unchanged, {len(bad)} rejected from {args.file}")
    return 0


def cmd_load_preferences(args: argparse.Namespace) -> int:
    from assistant.nudges.feeds import parse_preferences
    from assistant.nudges.service import open_engine

    deps = _deps()
    engine = open_engine(deps)
    good, bad = parse_preferences(Path(args.file), {p.participant_id for p in deps.participants.all()})
    report = engine.store.add_preferences(good)
    for line, reason in bad:
        print(f"  rejected line {line}: {reason}", file=sys.stderr)
    print(f"{report.added} added, {report.unchanged} unchanged, {len(bad)} rejected from {args.file}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from assistant.nudges.service import open_engine, run_batch

    deps = _deps()
    engine = open_engine(deps)
    as_of = _today(deps, args.as_of)
    report = run_batch(deps, engine, as_of, dry_run=args.dry_run, partition=_partition(args.partition))
    if args.json:
        print(json.dumps([i.__dict__ for i in report.items], indent=2, default=str))
        return 0
    shown = report.items if args.dry_run else [i for i in report.items if i.new]
    for i in shown:
        print(f"  {i.participant_id:<8} {i.nudge_id:<26} {i.status:<14} {i.reason}")
        if args.dry_run and i.text:
            print("      " + i.text.replace("\n\n", "\n      "))
    head = "dry run (nothing written)" if args.dry_run else "run"
    sent = report.count("sent")
    print(
        f"{head} as of {as_of}: {report.evaluated} participants evaluated, {sent} nudges sent, "
        f"{report.count('held_out')} held out, {report.count('blocked')} blocked by the guard, "
        f"{sum(1 for i in report.items if i.new and i.status not in ('sent', 'held_out', 'blocked'))} suppressed, "
        f"{sum(1 for i in report.items if not i.new)} already delivered; {report.seconds['total']:.1f} s"
    )
    if report.outbox_files:
        print(f"outbox: {Path(report.outbox_files[0]).parent}/ ({len(report.outbox_files)} files)")
    return 0


def cmd_outcome(args: argparse.Namespace) -> int:
    from assistant.nudges.outcomes import record_outcome
    from assistant.nudges.service import open_engine

    deps = _deps()
    engine = open_engine(deps)
    added = record_outcome(engine.store, args.decision_id, args.event, _today(deps, args.date))
    print(f"{args.event} {'recorded' if added else 'was already recorded'} for {args.decision_id}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from assistant.nudges.outcomes import detect_actions
    from assistant.nudges.report import uplift_rows, write_report
    from assistant.nudges.service import open_engine

    deps = _deps()
    engine = open_engine(deps)
    today = _today(deps, args.as_of)
    detect_actions(engine.store, engine.config.catalog, {p.participant_id: p for p in deps.participants.all()}, today)
    rows = uplift_rows(engine.store, engine.config.catalog)
    files = write_report(rows, Path(args.out), f"Beacon nudges: uplift against the hold-out group (as of {today})")
    from assistant.nudges.report import console

    print(console(rows))
    print(f"report written to {', '.join(files)}")
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    from assistant.nudges.service import open_engine
    from assistant.nudges.simulate import simulate
    from assistant.services.deps import build_deps
    from assistant.settings import load_settings

    out = Path(args.out)
    deps = build_deps(load_settings(data_dir=out / "data"))  # its own stores: never the real roster
    as_of = _today(deps, args.as_of)
    result = simulate(deps, open_engine(deps), out, participants=args.participants, seed=args.seed, as_of=as_of)
    print(result.summary())
    return 0


def cmd_catalog(args: argparse.Namespace) -> int:
    from assistant.nudges.engine import load_config
    from assistant.records.provisions import load_plans
    from assistant.settings import load_settings

    s = load_settings()
    cfg = load_config(s.nudges_config_dir, set(load_plans(s.knowledge_dir)))
    print(f"catalog {cfg.catalog.path} version {cfg.catalog.version}; contact policy version {cfg.policy.version}")
    for n in cfg.catalog.nudges:
        print(
            f"  {n.id:<28} v{n.version} {n.category:<9} p{n.priority:<3} {n.trigger.event:<34} "
            f"{','.join(n.channels):<18} approved {n.approval.approved_on} by {n.approval.approved_by}, "
            f"expires {n.approval.expires_on}"
        )
    return 0


def add_parsers(sub: Any) -> None:
    s = sub.add_parser(
        "nudges",
        help="life-event nudges: feeds, batch run, outcomes, uplift report",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    nsub = s.add_subparsers(dest="nudges_command", required=True)
    p = nsub.add_parser("load-feed", help="load HR life events (CSV); idempotent, bad rows rejected by line")
    p.add_argument("file")
    p.set_defaults(fn=cmd_load_feed)
    p = nsub.add_parser("load-preferences", help="load consent / opt-out per channel (CSV)")
    p.add_argument("file")
    p.set_defaults(fn=cmd_load_preferences)
    p = nsub.add_parser("run", help="evaluate life events and deliver nudges (idempotent per date)")
    p.add_argument("--as-of", help="business date YYYY-MM-DD (default: today / BEACON_TODAY)")
    p.add_argument("--dry-run", action="store_true", help="explain every decision; write nothing")
    p.add_argument("--partition", default="0/1", help="K/N: only participants whose hash falls in worker K of N")
    p.add_argument("--json", action="store_true")
    p.set_defaults(fn=cmd_run)
    p = nsub.add_parser("outcome", help="record an outcome of a delivered nudge")
    p.add_argument("decision_id")
    p.add_argument("event", choices=["shown", "opened", "acted", "dismissed", "remind_later"])
    p.add_argument("--date")
    p.set_defaults(fn=cmd_outcome)
    p = nsub.add_parser("report", help="uplift against the hold-out group (HTML with chart, PNG, JSON)")
    p.add_argument("--out", default="nudge-report")
    p.add_argument("--as-of", help="detect actions up to this date (default: today)")
    p.set_defaults(fn=cmd_report)
    p = nsub.add_parser("simulate", help="a synthetic population and behaviour in its own data dir, then the report")
    p.add_argument("--out", required=True, help="folder for the simulated stores and the report")
    p.add_argument("--participants", type=int, default=2000)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--as-of")
    p.set_defaults(fn=cmd_simulate)
    p = nsub.add_parser("catalog", help="validate and list the nudge catalog")
    p.set_defaults(fn=cmd_catalog)
