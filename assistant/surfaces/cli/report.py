"""`beacon report ...`: supervision reports for compliance (docs/supervision.md).

fairness     rates by age band, plan, channel and roster attributes, with Wilson intervals and flags
supervision  the supervision summary for a period (volumes, sample, findings, open items, versions)
demo-month   write a synthetic month (one group deliberately treated differently) to try `fairness` on
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from assistant.surfaces.cli.common import settings as _settings


def _roster_by_key() -> dict[str, Any]:
    from assistant.surfaces.cli.review import _roster_by_key as roster

    return roster()


def _acted() -> dict[str, set[str]]:
    """decision id -> outcome events, from the nudge store (for uplift); empty when there is none."""
    from assistant.nudges.store import NudgeStore
    from assistant.storage import open_database

    return {d: set(events) for d, events in NudgeStore(open_database(_settings())).outcomes().items()}


def _period(args: argparse.Namespace) -> tuple[dt.date, dt.date]:
    from assistant.errors import BadInputError
    from assistant.supervision.reviews import parse_day

    start, end = parse_day(getattr(args, "from")), parse_day(args.to)
    if end < start:
        raise BadInputError(f"--to {end} is before --from {start}; give the period's first and last day.")
    return start, end


def cmd_fairness(args: argparse.Namespace) -> int:
    from assistant.supervision.fairness import compute
    from assistant.supervision.fairness_report import write_fairness
    from assistant.supervision.reviews import open_desk

    start, end = _period(args)
    desk = open_desk(_settings())
    threshold = args.threshold if args.threshold is not None else desk.policy.fairness_threshold
    records = desk.audit.iter_records(since=start.isoformat())
    report = compute(records, _roster_by_key(), start, end, threshold, _acted())
    report["source"] = desk.audit.describe()
    written = write_fairness(report, Path(args.report_dir))
    print(
        f"fairness {start} to {end}: {report['records']['turns']} turns, {report['records']['nudge_decisions']} "
        f"nudge decisions; {len(report['flags'])} flagged group(s)"
    )
    for f in report["flags"]:
        print(
            f"  FLAG {f['attribute']}={f['group']}: {f['measure']} {f['rate']:.1%} ({f['k']}/{f['n']}) "
            f"vs {f['rest_rate']:.1%} for the rest ({f['rest_k']}/{f['rest_n']})"
        )
    print(f"written: {', '.join(str(p) for p in written)}")
    return 0


def cmd_supervision(args: argparse.Namespace) -> int:
    from assistant.supervision.reviews import open_desk
    from assistant.supervision.summary import summarise, write_summary

    start, end = _period(args)
    s = summarise(open_desk(_settings()), start, end)
    written = write_summary(s, Path(args.report_dir))
    print(
        f"supervision {start} to {end}: {s['volumes']['turns']} turns, {s['sample_size']} sampled, "
        f"{s['reviewed']} reviewed, {len(s['issues'])} findings, {len(s['open_items'])} open; "
        f"audit chain {'OK' if s['audit_chain']['ok'] else 'BROKEN'}"
    )
    print(f"written: {', '.join(str(p) for p in written)}")
    return 0 if s["audit_chain"]["ok"] else 1


def cmd_demo_month(args: argparse.Namespace) -> int:
    from assistant.errors import BadInputError
    from assistant.nudges.store import NudgeStore
    from assistant.records.participants import ParticipantStore
    from assistant.records.pseudonyms import Pseudonyms
    from assistant.services.deps import _secret_key
    from assistant.storage import open_database
    from assistant.supervision.demo_month import write_month
    from assistant.supervision.reviews import open_desk

    s = _settings()
    if s.mode == "production":
        raise BadInputError("demo-month writes synthetic records; it is refused with BEACON_MODE=production.")
    try:
        month = dt.date.fromisoformat(f"{args.month}-01")
    except ValueError as e:
        raise BadInputError(f"--month '{args.month}' is not a month; use YYYY-MM, e.g. 2026-10.") from e
    written = write_month(
        open_desk(s).audit,
        ParticipantStore(db := open_database(s)),
        Pseudonyms(db, _secret_key(s)),
        NudgeStore(db),
        month,
        people=args.people,
        seed=args.seed,
    )
    print(
        f"synthetic month {args.month}: {written['turns']} turns and {written['nudges']} nudge decisions for "
        f"{args.people} synthetic participants; {written['biased_people']} aged 60 and over were refused "
        "20 points more often (deliberately)"
    )
    return 0


def add_parsers(sub: Any) -> None:
    s = sub.add_parser("report", help="supervision reports (fairness, supervision summary)")
    rsub = s.add_subparsers(dest="report_command", required=True)
    fa = rsub.add_parser("fairness", help="outcome rates by group with Wilson 95%% intervals and flags")
    fa.add_argument("--from", required=True, help="first day, YYYY-MM-DD")
    fa.add_argument("--to", required=True, help="last day, YYYY-MM-DD")
    fa.add_argument("--report-dir", required=True, help="where fairness.html, fairness.json and charts go")
    fa.add_argument("--threshold", type=float, help="flag beyond this rate difference (default: the policy file's)")
    fa.set_defaults(fn=cmd_fairness)
    su = rsub.add_parser("supervision", help="the supervision summary for a period (HTML + JSON)")
    su.add_argument("--from", required=True, help="first day, YYYY-MM-DD")
    su.add_argument("--to", required=True, help="last day, YYYY-MM-DD")
    su.add_argument("--report-dir", required=True, help="where supervision.html and supervision.json go")
    su.set_defaults(fn=cmd_supervision)
    dm = rsub.add_parser("demo-month", help="write a synthetic month with one group treated differently")
    dm.add_argument("--month", required=True, help="YYYY-MM")
    dm.add_argument("--people", type=int, default=300)
    dm.add_argument("--seed", type=int, default=7)
    dm.set_defaults(fn=cmd_demo_month)
